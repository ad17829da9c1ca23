import fc from 'fast-check';
import {
  CHECKED_STATES,
  MONITORING_STATES,
  type HostSnapshot,
  type MonitoringState,
} from './monitoring-state';
import { DEFAULT_POLICY, validatePolicy, type MonitoringPolicy } from './policy';
import { applyCheck } from './transition';

const S = true;
const F = false;

function snap(state: MonitoringState, failures: number, successes: number): HostSnapshot {
  return { state, consecutive_failures: failures, consecutive_successes: successes };
}

/** Plays a sequence of results ('S'/'F') from a snapshot; returns every visited state. */
function walk(start: HostSnapshot, results: string, policy: MonitoringPolicy = DEFAULT_POLICY) {
  let current = start;
  const states: MonitoringState[] = [];
  for (const r of results) {
    const t = applyCheck(current, r === 'S', policy);
    states.push(t.state);
    current = snap(t.state, t.consecutive_failures, t.consecutive_successes);
  }
  return { states, last: current };
}

describe('applyCheck: every cell of the rules table (default policy)', () => {
  // [from, success, failures before, successes before, expected state, failures after, successes after]
  type Row = [MonitoringState, boolean, number, number, MonitoringState, number, number];
  const rows: Row[] = [
    // UNKNOWN: first failure -> DEGRADED, first success -> HEALTHY
    ['UNKNOWN', F, 0, 0, 'DEGRADED', 1, 0],
    ['UNKNOWN', F, 4, 0, 'DEGRADED', 5, 0],
    ['UNKNOWN', F, 0, 2, 'DEGRADED', 1, 0],
    ['UNKNOWN', S, 0, 0, 'HEALTHY', 0, 1],
    ['UNKNOWN', S, 3, 0, 'HEALTHY', 0, 1],
    ['UNKNOWN', S, 0, 7, 'HEALTHY', 0, 8],

    // HEALTHY: failure -> DEGRADED when failures >= 1
    ['HEALTHY', F, 0, 0, 'DEGRADED', 1, 0],
    ['HEALTHY', F, 0, 10, 'DEGRADED', 1, 0],
    ['HEALTHY', F, 5, 0, 'DEGRADED', 6, 0],
    ['HEALTHY', S, 0, 0, 'HEALTHY', 0, 1],
    ['HEALTHY', S, 0, 99, 'HEALTHY', 0, 100],
    ['HEALTHY', S, 2, 0, 'HEALTHY', 0, 1],

    // DEGRADED: failure -> CRITICAL when failures >= 2
    ['DEGRADED', F, 0, 0, 'DEGRADED', 1, 0],
    ['DEGRADED', F, 0, 2, 'DEGRADED', 1, 0],
    ['DEGRADED', F, 1, 0, 'CRITICAL', 2, 0],
    ['DEGRADED', F, 2, 0, 'CRITICAL', 3, 0],
    ['DEGRADED', F, 9, 0, 'CRITICAL', 10, 0],
    // DEGRADED: success -> HEALTHY when successes >= 3, else DEGRADED
    ['DEGRADED', S, 0, 0, 'DEGRADED', 0, 1],
    ['DEGRADED', S, 3, 0, 'DEGRADED', 0, 1],
    ['DEGRADED', S, 0, 1, 'DEGRADED', 0, 2],
    ['DEGRADED', S, 0, 2, 'HEALTHY', 0, 3],
    ['DEGRADED', S, 0, 3, 'HEALTHY', 0, 4],
    ['DEGRADED', S, 0, 50, 'HEALTHY', 0, 51],

    // CRITICAL: failure -> DOWN when failures >= 3
    ['CRITICAL', F, 0, 0, 'CRITICAL', 1, 0],
    ['CRITICAL', F, 1, 0, 'CRITICAL', 2, 0],
    ['CRITICAL', F, 0, 2, 'CRITICAL', 1, 0],
    ['CRITICAL', F, 2, 0, 'DOWN', 3, 0],
    ['CRITICAL', F, 3, 0, 'DOWN', 4, 0],
    ['CRITICAL', F, 20, 0, 'DOWN', 21, 0],
    // CRITICAL: success -> HEALTHY when successes >= 3, else DEGRADED
    ['CRITICAL', S, 0, 0, 'DEGRADED', 0, 1],
    ['CRITICAL', S, 2, 0, 'DEGRADED', 0, 1],
    ['CRITICAL', S, 0, 1, 'DEGRADED', 0, 2],
    ['CRITICAL', S, 0, 2, 'HEALTHY', 0, 3],
    ['CRITICAL', S, 0, 8, 'HEALTHY', 0, 9],

    // DOWN: failure -> DOWN
    ['DOWN', F, 0, 0, 'DOWN', 1, 0],
    ['DOWN', F, 3, 0, 'DOWN', 4, 0],
    ['DOWN', F, 0, 2, 'DOWN', 1, 0],
    ['DOWN', F, 1000, 0, 'DOWN', 1001, 0],
    // DOWN: success -> HEALTHY when successes >= 3, else DEGRADED
    ['DOWN', S, 0, 0, 'DEGRADED', 0, 1],
    ['DOWN', S, 7, 0, 'DEGRADED', 0, 1],
    ['DOWN', S, 0, 1, 'DEGRADED', 0, 2],
    ['DOWN', S, 0, 2, 'HEALTHY', 0, 3],
    ['DOWN', S, 0, 4, 'HEALTHY', 0, 5],

    // MAINTENANCE: stays, counters still move
    ['MAINTENANCE', F, 0, 0, 'MAINTENANCE', 1, 0],
    ['MAINTENANCE', F, 2, 0, 'MAINTENANCE', 3, 0],
    ['MAINTENANCE', F, 0, 5, 'MAINTENANCE', 1, 0],
    ['MAINTENANCE', S, 0, 0, 'MAINTENANCE', 0, 1],
    ['MAINTENANCE', S, 0, 2, 'MAINTENANCE', 0, 3],
    ['MAINTENANCE', S, 4, 0, 'MAINTENANCE', 0, 1],
  ];

  it.each(rows)(
    '%s + success=%s with failures=%i successes=%i -> %s (f=%i, s=%i)',
    (from, success, f, s, to, fAfter, sAfter) => {
      expect(applyCheck(snap(from, f, s), success, DEFAULT_POLICY)).toEqual({
        state: to,
        previous_state: from,
        consecutive_failures: fAfter,
        consecutive_successes: sAfter,
        state_changed: from !== to,
      });
    },
  );

  it('covers every state with both outcomes', () => {
    for (const state of MONITORING_STATES) {
      for (const success of [S, F]) {
        expect(rows.some(([from, outcome]) => from === state && outcome === success)).toBe(true);
      }
    }
  });
});

describe('applyCheck: bad counters in the snapshot are treated as 0', () => {
  it.each([
    ['negative', -5],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a string', '2' as unknown as number],
    ['null', null as unknown as number],
    ['undefined', undefined as unknown as number],
  ])('%s counter', (_label, bad) => {
    // DEGRADED with 1 failure would become CRITICAL; with the counter treated as 0 it stays.
    const fail = applyCheck(snap('DEGRADED', bad, 0), F, DEFAULT_POLICY);
    expect(fail).toMatchObject({ state: 'DEGRADED', consecutive_failures: 1 });
    // DEGRADED with 2 successes would become HEALTHY; with the counter treated as 0 it stays.
    const ok = applyCheck(snap('DEGRADED', 0, bad), S, DEFAULT_POLICY);
    expect(ok).toMatchObject({ state: 'DEGRADED', consecutive_successes: 1 });
  });

  it('does not mutate the snapshot', () => {
    const s = Object.freeze(snap('CRITICAL', 2, 0));
    applyCheck(s, F, DEFAULT_POLICY);
    expect(s).toEqual(snap('CRITICAL', 2, 0));
  });

  it('rejects a state outside the vocabulary', () => {
    const bogus = { state: 'EXPLODED', consecutive_failures: 0, consecutive_successes: 0 };
    expect(() => applyCheck(bogus as unknown as HostSnapshot, F, DEFAULT_POLICY)).toThrow(
      /Unknown monitoring state: EXPLODED/,
    );
  });
});

describe('applyCheck: scenario walks (default policy)', () => {
  it.each([
    [
      'three failures: HEALTHY -> DEGRADED -> CRITICAL -> DOWN',
      'HEALTHY',
      'FFF',
      ['DEGRADED', 'CRITICAL', 'DOWN'],
    ],
    [
      'three successes: DOWN -> DEGRADED -> DEGRADED -> HEALTHY',
      'DOWN',
      'SSS',
      ['DEGRADED', 'DEGRADED', 'HEALTHY'],
    ],
    ['new host failing', 'UNKNOWN', 'FFFF', ['DEGRADED', 'CRITICAL', 'DOWN', 'DOWN']],
    ['new host fine', 'UNKNOWN', 'SS', ['HEALTHY', 'HEALTHY']],
    ['recovery from CRITICAL', 'CRITICAL', 'SSS', ['DEGRADED', 'DEGRADED', 'HEALTHY']],
    // A flapping host never earns HEALTHY back: the success streak keeps being reset.
    [
      'flapping from HEALTHY',
      'HEALTHY',
      'FSFSFS',
      ['DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED'],
    ],
    // ...and never reaches CRITICAL either: the failure streak keeps being reset.
    [
      'flapping from DOWN',
      'DOWN',
      'SFSFSF',
      ['DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED'],
    ],
    [
      'two successes then a failure',
      'DOWN',
      'SSFSSS',
      ['DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED', 'HEALTHY'],
    ],
    [
      'one blip while healthy, then recovery',
      'HEALTHY',
      'FSSS',
      ['DEGRADED', 'DEGRADED', 'DEGRADED', 'HEALTHY'],
    ],
    [
      'critical, blip of success, fails again',
      'HEALTHY',
      'FFSFF',
      ['DEGRADED', 'CRITICAL', 'DEGRADED', 'DEGRADED', 'CRITICAL'],
    ],
  ] as const)('%s', (_name, start, results, expected) => {
    expect(walk(snap(start, 0, 0), results).states).toEqual(expected);
  });

  it('reports state_changed only on real changes along a walk', () => {
    let current = snap('HEALTHY', 0, 0);
    const changes: boolean[] = [];
    for (const r of 'SFFFFSSS') {
      const t = applyCheck(current, r === 'S', DEFAULT_POLICY);
      changes.push(t.state_changed);
      expect(t.previous_state).toBe(current.state);
      current = snap(t.state, t.consecutive_failures, t.consecutive_successes);
    }
    // S:H->H, F:H->DG, F:DG->C, F:C->DN, F:DN->DN, S:DN->DG, S:DG->DG, S:DG->H
    expect(changes).toEqual([false, true, true, true, false, true, false, true]);
  });
});

describe('applyCheck: non-default thresholds', () => {
  const result = validatePolicy({
    thresholds: {
      degraded_after_failures: 2,
      critical_after_failures: 4,
      down_after_failures: 6,
      healthy_after_successes: 2,
    },
  });
  if (!result.ok) throw new Error('test policy should be valid');
  const policy = result.policy;

  it.each([
    ['HEALTHY', F, 0, 'HEALTHY'],
    ['HEALTHY', F, 1, 'DEGRADED'],
    ['DEGRADED', F, 2, 'DEGRADED'],
    ['DEGRADED', F, 3, 'CRITICAL'],
    ['CRITICAL', F, 4, 'CRITICAL'],
    ['CRITICAL', F, 5, 'DOWN'],
    ['UNKNOWN', F, 0, 'DEGRADED'],
  ] as const)('%s + failure with %i failures before -> %s', (from, success, f, to) => {
    expect(applyCheck(snap(from, f, 0), success, policy).state).toBe(to);
  });

  it.each([
    ['DOWN', 0, 'DEGRADED'],
    ['DOWN', 1, 'HEALTHY'],
    ['CRITICAL', 0, 'DEGRADED'],
    ['CRITICAL', 1, 'HEALTHY'],
    ['DEGRADED', 0, 'DEGRADED'],
    ['DEGRADED', 1, 'HEALTHY'],
  ] as const)('%s + success with %i successes before -> %s', (from, s, to) => {
    expect(applyCheck(snap(from, 0, s), S, policy).state).toBe(to);
  });

  it('walks HEALTHY to DOWN in six failures', () => {
    expect(walk(snap('HEALTHY', 0, 0), 'FFFFFF', policy).states).toEqual([
      'HEALTHY',
      'DEGRADED',
      'DEGRADED',
      'CRITICAL',
      'CRITICAL',
      'DOWN',
    ]);
  });

  it('moves one step per check even when every threshold is already met', () => {
    const p = validatePolicy({
      thresholds: {
        degraded_after_failures: 3,
        critical_after_failures: 3,
        down_after_failures: 3,
      },
    });
    if (!p.ok) throw new Error('test policy should be valid');
    expect(walk(snap('HEALTHY', 0, 0), 'FFFFF', p.policy).states).toEqual([
      'HEALTHY',
      'HEALTHY',
      'DEGRADED',
      'CRITICAL',
      'DOWN',
    ]);
  });

  it('recovers on the first success when healthy_after_successes is 1', () => {
    const p = validatePolicy({ thresholds: { healthy_after_successes: 1 } });
    if (!p.ok) throw new Error('test policy should be valid');
    expect(applyCheck(snap('DOWN', 5, 0), S, p.policy).state).toBe('HEALTHY');
  });
});

// ---------------------------------------------------------------- properties

const stateArb = fc.constantFrom(...MONITORING_STATES);
const checkedStateArb = fc.constantFrom(...CHECKED_STATES);
const counterArb = fc.oneof(
  fc.nat({ max: 2000 }),
  fc.integer({ min: -100, max: -1 }),
  fc.double({ noNaN: false }),
);
const snapshotArb = fc.record({
  state: stateArb,
  consecutive_failures: counterArb,
  consecutive_successes: counterArb,
});
/** Any valid policy (thresholds ordered as required). */
const policyArb = fc
  .tuple(
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 0, max: 20 }),
    fc.integer({ min: 0, max: 20 }),
    fc.integer({ min: 1, max: 20 }),
  )
  .map(([d, dc, cd, h]) => {
    const r = validatePolicy({
      thresholds: {
        degraded_after_failures: d,
        critical_after_failures: d + dc,
        down_after_failures: d + dc + cd,
        healthy_after_successes: h,
      },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.policy;
  });

const sanitized = (n: number) => (Number.isSafeInteger(n) && n >= 0 ? n : 0);
const SEVERITY: Record<string, number> = { HEALTHY: 0, DEGRADED: 1, CRITICAL: 2, DOWN: 3 };

describe('applyCheck: properties', () => {
  it('a success never raises the failure counter', () => {
    fc.assert(
      fc.property(snapshotArb, policyArb, (s, policy) => {
        const t = applyCheck(s, true, policy);
        return (
          t.consecutive_failures === 0 &&
          t.consecutive_failures <= sanitized(s.consecutive_failures)
        );
      }),
    );
  });

  it('a failure never raises the success counter', () => {
    fc.assert(
      fc.property(snapshotArb, policyArb, (s, policy) => {
        const t = applyCheck(s, false, policy);
        return (
          t.consecutive_successes === 0 &&
          t.consecutive_successes <= sanitized(s.consecutive_successes)
        );
      }),
    );
  });

  it('counters are never both non-zero, and the matching one grows by exactly one', () => {
    fc.assert(
      fc.property(snapshotArb, fc.boolean(), policyArb, (s, success, policy) => {
        const t = applyCheck(s, success, policy);
        expect(t.consecutive_failures === 0 || t.consecutive_successes === 0).toBe(true);
        if (success) expect(t.consecutive_successes).toBe(sanitized(s.consecutive_successes) + 1);
        else expect(t.consecutive_failures).toBe(sanitized(s.consecutive_failures) + 1);
      }),
    );
  });

  it('counters stay non-zero-exclusive along any sequence of results', () => {
    fc.assert(
      fc.property(
        snapshotArb,
        fc.array(fc.boolean(), { maxLength: 30 }),
        policyArb,
        (s, results, policy) => {
          let current: HostSnapshot = s;
          for (const success of results) {
            const t = applyCheck(current, success, policy);
            expect(t.consecutive_failures > 0 && t.consecutive_successes > 0).toBe(false);
            current = snap(t.state, t.consecutive_failures, t.consecutive_successes);
          }
        },
      ),
    );
  });

  it('three consecutive successes from any checked state end HEALTHY under default policy', () => {
    fc.assert(
      fc.property(checkedStateArb, counterArb, counterArb, (state, f, s) => {
        expect(walk(snap(state, f, s), 'SSS').last.state).toBe('HEALTHY');
      }),
    );
  });

  it('healthy_after_successes successes from any checked state end HEALTHY under any policy', () => {
    fc.assert(
      fc.property(checkedStateArb, counterArb, counterArb, policyArb, (state, f, s, policy) => {
        const n = policy.thresholds.healthy_after_successes;
        expect(walk(snap(state, f, s), 'S'.repeat(n), policy).last.state).toBe('HEALTHY');
      }),
    );
  });

  it('down_after_failures + 2 failures from any non-maintenance state end DOWN under any policy', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('UNKNOWN', ...CHECKED_STATES),
        counterArb,
        counterArb,
        policyArb,
        (state, f, s, policy) => {
          const n = policy.thresholds.down_after_failures + 2;
          expect(walk(snap(state, f, s), 'F'.repeat(n), policy).last.state).toBe('DOWN');
        },
      ),
    );
  });

  it('a failure never improves a checked state; a success never worsens it', () => {
    fc.assert(
      fc.property(
        checkedStateArb,
        counterArb,
        counterArb,
        fc.boolean(),
        policyArb,
        (state, f, s, success, policy) => {
          const t = applyCheck(snap(state, f, s), success, policy);
          if (success) expect(SEVERITY[t.state]).toBeLessThanOrEqual(SEVERITY[state]);
          else expect(SEVERITY[t.state]).toBeGreaterThanOrEqual(SEVERITY[state]);
        },
      ),
    );
  });

  it('MAINTENANCE never leaves MAINTENANCE; UNKNOWN always leaves UNKNOWN', () => {
    fc.assert(
      fc.property(snapshotArb, fc.boolean(), policyArb, (s, success, policy) => {
        const t = applyCheck(s, success, policy);
        if (s.state === 'MAINTENANCE') expect(t.state).toBe('MAINTENANCE');
        else expect(t.state).not.toMatch(/UNKNOWN|MAINTENANCE/);
        expect(t.state_changed).toBe(t.state !== s.state);
      }),
    );
  });
});
