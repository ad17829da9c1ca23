import type { Policy } from '../../core/api/api-types';
import { policyProblems } from './policy-form';

const DEFAULTS: Policy = {
  thresholds: {
    degraded_after_failures: 1,
    critical_after_failures: 2,
    down_after_failures: 3,
    healthy_after_successes: 3,
  },
  intervals_seconds: { HEALTHY: 1800, DEGRADED: 300, CRITICAL: 120, DOWN: 1800 },
  priorities: { HEALTHY: 3, DEGRADED: 6, CRITICAL: 9, DOWN: 4, UNKNOWN: 7, JIT: 9 },
  jitter_ratio: 0.1,
  problem_states: ['CRITICAL', 'DOWN'],
  flapping: { start_percent: 30, stop_percent: 25 },
  history_retention_days: null,
};

describe('policyProblems', () => {
  it('accepts the documented defaults', () => {
    expect(policyProblems(DEFAULTS)).toEqual({});
  });

  it('names each bad field by its API path', () => {
    const bad: Policy = {
      ...DEFAULTS,
      thresholds: { ...DEFAULTS.thresholds, degraded_after_failures: 0 },
      intervals_seconds: { ...DEFAULTS.intervals_seconds, CRITICAL: 1.5 },
      priorities: { ...DEFAULTS.priorities, JIT: 10 },
      jitter_ratio: 0.7,
    };
    expect(Object.keys(policyProblems(bad)).sort()).toEqual([
      'intervals_seconds.CRITICAL',
      'jitter_ratio',
      'priorities.JIT',
      'thresholds.degraded_after_failures',
    ]);
  });

  it('refuses thresholds out of order (DOWN before CRITICAL)', () => {
    const bad = { ...DEFAULTS, thresholds: { ...DEFAULTS.thresholds, down_after_failures: 1 } };
    expect(policyProblems(bad)['thresholds.down_after_failures']).toMatch(/CRITICAL/);
  });

  it('treats an emptied field (NaN) as an error, not as zero', () => {
    const bad = { ...DEFAULTS, jitter_ratio: NaN };
    expect(policyProblems(bad)['jitter_ratio']).toBeDefined();
  });

  it('refuses a flapping stop above its start, and percentages outside 0-100', () => {
    const crossed = { ...DEFAULTS, flapping: { start_percent: 20, stop_percent: 40 } };
    expect(policyProblems(crossed)['flapping.stop_percent']).toMatch(/start/);
    const out = { ...DEFAULTS, flapping: { start_percent: 130, stop_percent: -1 } };
    expect(Object.keys(policyProblems(out)).sort()).toEqual([
      'flapping.start_percent',
      'flapping.stop_percent',
    ]);
  });
});
