import type { Policy } from '../core/api/api-types';
import { stateDescription } from './state-description';

const policy = {
  thresholds: {
    degraded_after_failures: 1,
    critical_after_failures: 2,
    down_after_failures: 5,
    healthy_after_successes: 3,
  },
  intervals_seconds: { HEALTHY: 600, DEGRADED: 90, CRITICAL: 45, DOWN: 3600 },
} as Policy;

describe('state descriptions', () => {
  it('take the intervals and thresholds from the policy', () => {
    expect(stateDescription('HEALTHY', policy)).toBe('Reachable; checked every 10 min');
    expect(stateDescription('DEGRADED', policy)).toBe(
      'Failed its last check; checked every 1 min 30 s',
    );
    expect(stateDescription('CRITICAL', policy)).toContain('checked every 45 s');
    expect(stateDescription('DOWN', policy)).toBe(
      'Failed 5 times or more in a row; checked every 1 h',
    );
  });

  it('use the defaults until the policy is read', () => {
    expect(stateDescription('HEALTHY', null)).toBe('Reachable; checked every 30 min');
    expect(stateDescription('UNKNOWN', null)).toBe('Never checked yet: due at once');
  });
});
