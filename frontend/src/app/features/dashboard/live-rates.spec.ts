import { HistoryMinute, LiveRates, percentile } from './live-rates';

const T0 = Date.parse('2026-11-28T12:00:00Z');
const min = (n: number, s = 0) => T0 + n * 60_000 + s * 1000;

describe('LiveRates (checks and failures per minute from the live stream)', () => {
  it('counts checks and failures per minute, empty minutes included', () => {
    const rates = new LiveRates(3);
    rates.record(min(0, 5), true);
    rates.record(min(0, 50), false);
    rates.record(min(2, 1), false);
    expect(rates.series(min(2, 30))).toEqual([
      { minute: min(0), checks: 2, failures: 1, avgResponseMs: null, p95ResponseMs: null },
      { minute: min(1), checks: 0, failures: 0, avgResponseMs: null, p95ResponseMs: null },
      { minute: min(2), checks: 1, failures: 1, avgResponseMs: null, p95ResponseMs: null },
    ]);
  });

  it('averages response times of successful checks only (a timeout says nothing of speed)', () => {
    const rates = new LiveRates(1);
    rates.record(min(0, 1), true, 20);
    rates.record(min(0, 2), true, 41);
    rates.record(min(0, 3), false, 5000);
    expect(rates.series(min(0, 30))[0]).toMatchObject({ checks: 3, avgResponseMs: 31 });
  });

  it('forgets minutes that have left the window', () => {
    const rates = new LiveRates(2);
    rates.record(min(0), true);
    expect(rates.series(min(5)).every((b) => b.checks === 0)).toBe(true);
    expect(rates.series(min(5))).toHaveLength(2);
  });

  describe('seeded from the per-minute history, then extended live', () => {
    const minute = (n: number, over: Partial<HistoryMinute> = {}): HistoryMinute => ({
      minute: min(n),
      checks: 0,
      failures: 0,
      samples: 0,
      avgResponseMs: null,
      p95ResponseMs: null,
      ...over,
    });

    it('shows the history after a reload, before any live check', () => {
      const rates = new LiveRates(3);
      rates.beginSeed();
      rates.seed(
        [
          minute(0, { checks: 5, failures: 1, samples: 4, avgResponseMs: 30, p95ResponseMs: 80 }),
          minute(1),
          minute(2, { checks: 2, samples: 2, avgResponseMs: 10, p95ResponseMs: 12 }),
        ],
        min(2, 20),
      );
      expect(rates.series(min(2, 21))).toEqual([
        { minute: min(0), checks: 5, failures: 1, avgResponseMs: 30, p95ResponseMs: 80 },
        { minute: min(1), checks: 0, failures: 0, avgResponseMs: null, p95ResponseMs: null },
        { minute: min(2), checks: 2, failures: 0, avgResponseMs: 10, p95ResponseMs: 12 },
      ]);
    });

    it('counts a live check once at the boundary: before `until` it is in the history already', () => {
      const rates = new LiveRates(2);
      rates.beginSeed();
      // Arrive while the history is being read: one the server counted, one it could not have.
      rates.record(min(1, 19), false);
      rates.record(min(1, 21), true, 40);
      rates.seed(
        [
          minute(0, { checks: 3 }),
          minute(1, { checks: 4, failures: 2, samples: 2, avgResponseMs: 10 }),
        ],
        min(1, 20),
      );
      // And after it landed.
      rates.record(min(1, 30), false);
      const [, current] = rates.series(min(1, 40));
      expect(current).toMatchObject({ checks: 6, failures: 3, avgResponseMs: 20 });
    });

    it('replaces what the live stream gathered before the read with the history', () => {
      const rates = new LiveRates(2);
      rates.record(min(0, 5), true, 10); // already in the history below
      rates.beginSeed();
      rates.seed([minute(0, { checks: 1, samples: 1, avgResponseMs: 10 }), minute(1)], min(1, 1));
      expect(rates.series(min(1, 2)).map((b) => b.checks)).toEqual([1, 0]);
    });

    it('moves into new minutes live after the history, which keeps its place as time passes', () => {
      const rates = new LiveRates(3);
      rates.beginSeed();
      rates.seed([minute(0), minute(1), minute(2, { checks: 7 })], min(2, 50));
      rates.record(min(3, 5), false);
      expect(rates.series(min(3, 10)).map((b) => b.checks)).toEqual([0, 7, 1]);
    });

    it('keeps counting live when the history read failed', () => {
      const rates = new LiveRates(1);
      rates.beginSeed();
      rates.record(min(0, 1), true);
      rates.abandonSeed();
      rates.record(min(0, 2), true);
      expect(rates.series(min(0, 3))[0].checks).toBe(2);
    });

    it('gives a p95 like Postgres, keeps it when the minute ends, and bounds a split minute from above', () => {
      expect(
        percentile(
          Array.from({ length: 20 }, (_, i) => i + 1),
          0.95,
        ),
      ).toBe(19);
      expect(percentile([], 0.95)).toBeNull();
      const rates = new LiveRates(2);
      rates.beginSeed();
      rates.seed(
        [minute(0), minute(1, { checks: 1, samples: 1, avgResponseMs: 50, p95ResponseMs: 50 })],
        min(1, 1),
      );
      for (let ms = 1; ms <= 20; ms++) rates.record(min(1, 2), true, ms);
      expect(rates.series(min(1, 3))[1].p95ResponseMs).toBe(50);
      for (let i = 0; i < 3; i++) rates.record(min(1, 4), true, 500);
      expect(rates.series(min(1, 5))[1].p95ResponseMs).toBe(500); // live part: 1..20 and 3 x 500
      // The minute is over: its p95 stays though its samples are let go.
      expect(rates.series(min(2, 1))[0].p95ResponseMs).toBe(500);
      expect(rates.series(min(2, 2))[0].p95ResponseMs).toBe(500);
    });
  });
});
