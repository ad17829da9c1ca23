import type { RecentTransition } from '../../core/api/api-types';
import { mergeFeed } from './feed';

const t = (task: string, at: string) =>
  ({
    task_id: task,
    at,
    host_id: 'h',
    hostname: 'db',
    from: 'HEALTHY',
    to: 'DEGRADED',
  }) as RecentTransition;

describe('transitions feed', () => {
  it('merges history and live events newest first, once each, up to its size', () => {
    const live = [t('b', '2026-12-06T10:05:00Z')];
    const history = [
      t('b', '2026-12-06T10:05:00Z'),
      t('a', '2026-12-06T10:00:00Z'),
      t('z', '2026-12-06T09:00:00Z'),
    ];
    expect(mergeFeed(live, history, 2).map((i) => i.task_id)).toEqual(['b', 'a']);
    expect(mergeFeed(history, [t('c', '2026-12-06T11:00:00Z')], 10).map((i) => i.task_id)).toEqual([
      'c',
      'b',
      'a',
      'z',
    ]);
  });
});
