import { DEFAULT_POLICY, validatePolicy, type MonitoringPolicy } from '../state-machine';
import { describeInterval } from './check-interval.mapper';

function policyWith(input: unknown): MonitoringPolicy {
  const r = validatePolicy(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
}

describe('describeInterval', () => {
  it.each([
    ['HEALTHY', { seconds: 1800, minutes: 30, description: 'Stable - 30 min checks' }],
    ['DEGRADED', { seconds: 300, minutes: 5, description: 'Showing issues - 5 min checks' }],
    ['CRITICAL', { seconds: 120, minutes: 2, description: 'Repeated failures - 2 min checks' }],
    ['DOWN', { seconds: 1800, minutes: 30, description: 'Confirmed down - 30 min checks' }],
    ['UNKNOWN', { seconds: 0, minutes: 0, description: 'Never checked - due at once' }],
    ['MAINTENANCE', { seconds: null, minutes: null, description: 'In maintenance - not checked' }],
  ] as const)('default %s', (state, expected) => {
    expect(describeInterval(state, DEFAULT_POLICY)).toEqual(expected);
  });

  it.each([
    [30, { seconds: 30, minutes: 0.5, description: 'Showing issues - 30 s checks' }],
    [10, { seconds: 10, minutes: 0.17, description: 'Showing issues - 10 s checks' }],
    [1, { seconds: 1, minutes: 0.02, description: 'Showing issues - 1 s checks' }],
    [60, { seconds: 60, minutes: 1, description: 'Showing issues - 1 min checks' }],
    [90, { seconds: 90, minutes: 1.5, description: 'Showing issues - 1 min 30 s checks' }],
    [604800, { seconds: 604800, minutes: 10080, description: 'Showing issues - 10080 min checks' }],
  ])('compressed DEGRADED interval of %i s', (seconds, expected) => {
    expect(
      describeInterval('DEGRADED', policyWith({ intervals_seconds: { DEGRADED: seconds } })),
    ).toEqual(expected);
  });
});
