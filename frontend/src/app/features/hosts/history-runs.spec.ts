import type { HistoryItem } from '../../core/api/api-types';
import { collapseRuns, formatRunSpan } from './history-runs';

let n = 0;
const item = (minute: number, over: Partial<HistoryItem> = {}): HistoryItem =>
  ({
    id: `id-${n++}`,
    task_id: `t-${n}`,
    check_time: `2026-12-06T10:${String(minute).padStart(2, '0')}:00.000Z`,
    monitoring_state: 'DOWN',
    state: 'DOWN',
    previous_state: 'DOWN',
    response_time_ms: 2,
    success: false,
    error_message: 'connect ECONNREFUSED',
    error_type: 'refused',
    checked_by: 'scheduler',
    stage: 'connect',
    unreachable: false,
    ...over,
  }) as HistoryItem;

describe('history runs', () => {
  it('folds identical outcomes into one run with its count and time span', () => {
    const refused = Array.from({ length: 30 }, (_, i) => item(45 - i));
    const runs = collapseRuns(refused);
    expect(runs).toHaveLength(1);
    expect(runs[0].count).toBe(30);
    expect(formatRunSpan(runs[0])).toBe('10:16:00–10:45:00 UTC');
  });

  it('starts a new run at a different outcome and at every transition', () => {
    const items = [
      item(9, {
        success: true,
        error_type: null,
        stage: 'auth',
        state: 'HEALTHY',
        previous_state: 'HEALTHY',
      }),
      item(8, {
        success: true,
        error_type: null,
        stage: 'auth',
        state: 'HEALTHY',
        previous_state: 'DOWN',
      }),
      item(7),
      item(6),
      item(5, { state: 'DOWN', previous_state: 'CRITICAL' }),
      item(4, { state: 'CRITICAL', previous_state: 'CRITICAL' }),
      item(3, {
        error_type: 'timeout',
        stage: 'banner',
        state: 'CRITICAL',
        previous_state: 'CRITICAL',
      }),
    ];
    const runs = collapseRuns(items);
    expect(runs.map((r) => [r.count, r.transition])).toEqual([
      [2, true], // healthy again: the change from DOWN is the run's oldest check
      [3, true], // refused while DOWN, back to the change from CRITICAL
      [1, false], // refused while CRITICAL
      [1, false], // a timeout
    ]);
    expect(runs[1].from).toBe(items[4].check_time);
    expect(runs[1].oldest.previous_state).toBe('CRITICAL');
    expect(runs[1].to).toBe(items[2].check_time);
  });

  it('shows dates when a run spans midnight', () => {
    const [run] = collapseRuns([
      item(0, { check_time: '2026-12-07T00:01:00.000Z' }),
      item(0, { check_time: '2026-12-06T23:59:00.000Z' }),
    ]);
    expect(formatRunSpan(run)).toBe('2026-12-06 23:59:00 – 2026-12-07 00:01:00 UTC');
  });
});
