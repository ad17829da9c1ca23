import type { HistoryItem } from '../../core/api/api-types';
import { rangeMs, responseTimeChart, responseTimeSummary, timeTick } from './history-chart';

const item = (minute: number, success: boolean, ms: number): HistoryItem =>
  ({
    id: `i${minute}`,
    check_time: `2026-12-06T10:${String(minute).padStart(2, '0')}:00.000Z`,
    success,
    response_time_ms: ms,
    state: success ? 'HEALTHY' : 'DEGRADED',
  }) as HistoryItem;

describe('response-time chart', () => {
  // Newest first, as the API answers: ok, timeout after 10 s, refused, ok.
  const items = [
    item(40, true, 30),
    item(30, false, 10_000),
    item(20, false, 2),
    item(10, true, 50),
  ];
  const since = Date.parse('2026-12-06T10:00:00Z');
  const until = since + rangeMs('1h');
  const config = responseTimeChart(items, since, until);
  const [line, failures] = config.data.datasets as {
    data: { x: number; y: number | null }[];
    spanGaps?: boolean;
  }[];

  it('plots checks at their times on a time axis over the whole range', () => {
    expect(line.data.map((p) => p.x)).toEqual([10, 20, 30, 40].map((m) => since + m * 60_000));
    const x = (config.options as { scales: { x: { type: string; min: number; max: number } } })
      .scales.x;
    expect(x).toMatchObject({ type: 'linear', min: since, max: until });
  });

  it('breaks the line at failures and marks them at their real duration, never at 0 ms', () => {
    expect(line.data.map((p) => p.y)).toEqual([50, null, null, 30]);
    expect(line.spanGaps).toBe(false);
    expect(failures.data).toEqual([
      { x: since + 20 * 60_000, y: 2 },
      { x: since + 30 * 60_000, y: 10_000 },
    ]);
  });

  it('labels the axis by time of day, with dates beyond two days', () => {
    expect(timeTick(since, rangeMs('24h'))).toBe('10:00');
    expect(timeTick(since, rangeMs('7d'))).toBe('12-06 10:00');
  });

  it('says what it shows in words', () => {
    expect(responseTimeSummary(items, '1 h')).toBe(
      'Response time over the last 1 h: 2 successful checks from 30 ms to 50 ms; 2 failed checks shown as red marks at the time they took to fail',
    );
    expect(responseTimeSummary([], '24 h')).toBe('Response time over the last 24 h: no checks');
  });
});
