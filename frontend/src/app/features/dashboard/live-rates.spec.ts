import { LiveRates } from './live-rates';

const T0 = Date.parse('2026-11-28T12:00:00Z');
const min = (n: number, s = 0) => T0 + n * 60_000 + s * 1000;

describe('LiveRates (checks and failures per minute from the live stream)', () => {
  it('counts checks and failures per minute, empty minutes included', () => {
    const rates = new LiveRates(3);
    rates.record(min(0, 5), true);
    rates.record(min(0, 50), false);
    rates.record(min(2, 1), false);
    expect(rates.series(min(2, 30))).toEqual([
      { minute: min(0), checks: 2, failures: 1, avgResponseMs: null },
      { minute: min(1), checks: 0, failures: 0, avgResponseMs: null },
      { minute: min(2), checks: 1, failures: 1, avgResponseMs: null },
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
});
