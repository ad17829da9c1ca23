import fc from 'fast-check';
import { CHECKED_STATES, MONITORING_STATES } from './monitoring-state';
import { DEFAULT_POLICY, validatePolicy, type MonitoringPolicy } from './policy';
import { intervalSeconds, jitterFraction, nextCheckAt } from './schedule';

const NOW = new Date('2025-01-01T00:00:00.000Z');

function policyWith(input: unknown): MonitoringPolicy {
  const r = validatePolicy(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
}

describe('jitterFraction', () => {
  it.each([
    '',
    'a',
    'host-1',
    '3f2b9c1e-8d4a-4c7e-9b1a-2e5f6d7c8b9a',
    'ünïcødé 🚀',
    'x'.repeat(10000),
  ])('is in [-1, 1] and deterministic for %j', (seed) => {
    const j = jitterFraction(seed);
    expect(j).toBeGreaterThanOrEqual(-1);
    expect(j).toBeLessThanOrEqual(1);
    expect(jitterFraction(seed)).toBe(j);
  });

  it('is in [-1, 1] and deterministic for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (seed) => {
        const j = jitterFraction(seed);
        return Number.isFinite(j) && j >= -1 && j <= 1 && jitterFraction(seed) === j;
      }),
    );
  });

  // Pinned so that a change of hash (which would reshuffle every host's schedule) is deliberate.
  it.each([
    ['', 0.33784437722941973],
    ['host-1', 0.17602908173017884],
    ['3f2b9c1e-8d4a-4c7e-9b1a-2e5f6d7c8b9a', -0.7982389241918546],
  ])('is stable for %j', (seed, expected) => {
    expect(jitterFraction(seed)).toBeCloseTo(expected, 12);
  });

  it('differs for neighbouring ids', () => {
    const values = new Set(['host-1', 'host-2', 'host-3', 'host-4'].map(jitterFraction));
    expect(values.size).toBe(4);
  });

  it.each([
    ['sequential names', (i: number) => `host-${i}`],
    ['uuid-like ids', (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`],
  ])('spreads %s roughly uniformly over [-1, 1]', (_name, id) => {
    const n = 10000;
    const buckets = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const j = jitterFraction(id(i));
      sum += j;
      buckets[Math.min(9, Math.floor(((j + 1) / 2) * 10))]++;
    }
    // Each tenth should hold ~1000; allow a generous +-20%.
    for (const count of buckets) {
      expect(count).toBeGreaterThan(800);
      expect(count).toBeLessThan(1200);
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
  });
});

describe('nextCheckAt', () => {
  it('UNKNOWN is due at once', () => {
    const at = nextCheckAt('UNKNOWN', NOW, 'host-1', DEFAULT_POLICY);
    expect(at?.getTime()).toBe(NOW.getTime());
    expect(at).not.toBe(NOW); // a fresh Date, so callers cannot alias `now`
  });

  it('MAINTENANCE is never scheduled', () => {
    expect(nextCheckAt('MAINTENANCE', NOW, 'host-1', DEFAULT_POLICY)).toBeNull();
  });

  it.each([
    ['HEALTHY', 1800],
    ['DEGRADED', 300],
    ['CRITICAL', 120],
    ['DOWN', 1800],
  ] as const)('%s is due after %i s +-10%% by default', (state, seconds) => {
    for (const seed of ['a', 'b', 'host-42', 'some-uuid']) {
      const delay = nextCheckAt(state, NOW, seed, DEFAULT_POLICY)!.getTime() - NOW.getTime();
      expect(delay).toBeGreaterThanOrEqual(seconds * 1000 * 0.9);
      expect(delay).toBeLessThanOrEqual(seconds * 1000 * 1.1);
    }
  });

  it('applies exactly the seed jitter, in whole milliseconds', () => {
    const seed = 'host-7';
    const expected = Math.round(300_000 * (1 + 0.1 * jitterFraction(seed)));
    const at = nextCheckAt('DEGRADED', NOW, seed, DEFAULT_POLICY)!;
    expect(at.getTime() - NOW.getTime()).toBe(expected);
    expect(Number.isInteger(at.getTime())).toBe(true);
  });

  it('is exact when jitter_ratio is 0', () => {
    const p = policyWith({ jitter_ratio: 0 });
    for (const state of CHECKED_STATES) {
      expect(nextCheckAt(state, NOW, 'x', p)!.getTime() - NOW.getTime()).toBe(
        p.intervals_seconds[state] * 1000,
      );
    }
  });

  it('honours compressed intervals', () => {
    const p = policyWith({ intervals_seconds: { CRITICAL: 1 }, jitter_ratio: 0 });
    expect(nextCheckAt('CRITICAL', NOW, 'x', p)!.getTime()).toBe(NOW.getTime() + 1000);
  });

  it('is deterministic for the same host', () => {
    const a = nextCheckAt('HEALTHY', NOW, 'host-9', DEFAULT_POLICY);
    const b = nextCheckAt('HEALTHY', NOW, 'host-9', DEFAULT_POLICY);
    expect(a).toEqual(b);
  });

  it('rejects an invalid Date', () => {
    expect(() => nextCheckAt('HEALTHY', new Date(Number.NaN), 'x', DEFAULT_POLICY)).toThrow(
      RangeError,
    );
  });

  const validPolicyArb = fc
    .record({
      HEALTHY: fc.integer({ min: 1, max: 604800 }),
      DEGRADED: fc.integer({ min: 1, max: 604800 }),
      CRITICAL: fc.integer({ min: 1, max: 604800 }),
      DOWN: fc.integer({ min: 1, max: 604800 }),
    })
    .chain((intervals) =>
      fc
        .double({ min: 0, max: 0.5, noNaN: true })
        .map((jitter_ratio) => policyWith({ intervals_seconds: intervals, jitter_ratio })),
    );

  it('next check is within interval +- jitter_ratio*interval of now (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CHECKED_STATES),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.string(),
        validPolicyArb,
        (state, now, seed, policy) => {
          const at = nextCheckAt(state, now, seed, policy)!;
          const delay = at.getTime() - now.getTime();
          const interval = policy.intervals_seconds[state] * 1000;
          // Half a millisecond of slack: the result is rounded to whole milliseconds.
          expect(Math.abs(delay - interval)).toBeLessThanOrEqual(
            policy.jitter_ratio * interval + 0.5,
          );
          expect(delay).toBeGreaterThan(0);
          expect(Number.isInteger(at.getTime())).toBe(true);
        },
      ),
    );
  });

  it('is never before now, for any state (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MONITORING_STATES),
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2200-01-01') }),
        fc.string(),
        validPolicyArb,
        (state, now, seed, policy) => {
          const at = nextCheckAt(state, now, seed, policy);
          if (state === 'MAINTENANCE') expect(at).toBeNull();
          else expect(at!.getTime()).toBeGreaterThanOrEqual(now.getTime());
        },
      ),
    );
  });
});

describe('intervalSeconds', () => {
  it.each([
    ['HEALTHY', 1800],
    ['DEGRADED', 300],
    ['CRITICAL', 120],
    ['DOWN', 1800],
    ['UNKNOWN', 0],
    ['MAINTENANCE', null],
  ] as const)('%s -> %p', (state, expected) => {
    expect(intervalSeconds(state, DEFAULT_POLICY)).toBe(expected);
  });
});
