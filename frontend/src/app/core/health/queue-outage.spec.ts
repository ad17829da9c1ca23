import type { Stats } from '../api/api-types';
import { queueOutageText } from './queue-outage';

const stats = (unavailableSince: string | null): Stats =>
  ({
    queue: { available: unavailableSince === null, unavailable_since: unavailableSince },
  }) as Stats;

describe('the queue outage banner', () => {
  it('says since when checks are paused, in the viewer’s time', () => {
    expect(queueOutageText(stats('2026-12-06T10:42:31.000Z'), 'UTC')).toBe(
      'queue unavailable: checks paused since 10:42',
    );
    expect(queueOutageText(stats('2026-12-06T10:42:31.000Z'), 'Europe/Berlin')).toBe(
      'queue unavailable: checks paused since 11:42',
    );
  });

  it('says nothing while the queue answers, or before the first stats', () => {
    expect(queueOutageText(stats(null))).toBeNull();
    expect(queueOutageText(null)).toBeNull();
  });
});
