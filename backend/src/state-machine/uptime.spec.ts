import fc from 'fast-check';
import { MONITORING_STATES } from './monitoring-state';
import { timeInStates, type StateChange, uptimeOf, UPTIME_STATES } from './uptime';

/** The state at each whole instant, counted one by one: the slow, obvious answer. */
function bruteForce(changes: StateChange[], from: number, to: number) {
  const out: Record<string, number> = {
    HEALTHY: 0,
    DEGRADED: 0,
    CRITICAL: 0,
    DOWN: 0,
    MAINTENANCE: 0,
  };
  for (let t = from; t < to; t++) {
    let state: string | null = null;
    for (const c of changes) if (c.at <= t) state = c.state;
    if (state !== null && state !== 'UNKNOWN') out[state] += 1;
  }
  return out;
}

const changesArb = fc
  .array(
    fc.record({
      at: fc.integer({ min: 0, max: 400 }),
      state: fc.constantFrom(...MONITORING_STATES),
    }),
    {
      maxLength: 30,
    },
  )
  .map((cs) => [...cs].sort((a, b) => a.at - b.at));

describe('uptime from transitions', () => {
  it('counts the time in each state as an instant-by-instant count does', () => {
    fc.assert(
      fc.property(
        changesArb,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        (changes, a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          expect(timeInStates(changes, from, to)).toEqual(bruteForce(changes, from, to));
        },
      ),
    );
  });

  it('gives shares that sum to 1 and leaves maintenance out of availability', () => {
    fc.assert(
      fc.property(changesArb, (changes) => {
        const { shares, availability } = uptimeOf(timeInStates(changes, 0, 400));
        const sum = UPTIME_STATES.reduce((s, k) => s + shares[k], 0);
        if (sum === 0) return;
        expect(sum).toBeCloseTo(1, 9);
        if (availability !== null) {
          expect(availability).toBeCloseTo(shares.HEALTHY / (1 - shares.MAINTENANCE), 9);
        }
      }),
    );
  });

  it('works the example through', () => {
    const day = 24 * 3600_000;
    const changes: StateChange[] = [
      { at: 0, state: 'UNKNOWN' },
      { at: 1000, state: 'HEALTHY' },
      { at: day / 2, state: 'MAINTENANCE' },
      { at: (3 * day) / 4, state: 'DOWN' },
    ];
    const uptime = uptimeOf(timeInStates(changes, 0, day));
    expect(uptime.shares.MAINTENANCE).toBeCloseTo(0.25 / (1 - 1000 / day), 6);
    expect(uptime.availability).toBeCloseTo((day / 2 - 1000) / (day * 0.75 - 1000), 9);
  });
});
