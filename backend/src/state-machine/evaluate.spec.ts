import fc from 'fast-check';
import { MONITORING_STATES, type HostSnapshot, type MonitoringState } from './monitoring-state';
import { DEFAULT_POLICY } from './policy';
import { evaluateCheck } from './evaluate';
import * as stateMachine from './index';
import { jitterFraction } from './schedule';

const NOW = new Date('2025-06-01T12:00:00.000Z');

function snap(state: MonitoringState, f = 0, s = 0): HostSnapshot {
  return { state, consecutive_failures: f, consecutive_successes: s };
}

describe('evaluateCheck', () => {
  it.each([
    // [from, f, s, success, next state, interval seconds | null, API priority]
    ['UNKNOWN', 0, 0, true, 'HEALTHY', 1800, 3],
    ['UNKNOWN', 0, 0, false, 'DEGRADED', 300, 6],
    ['HEALTHY', 0, 5, false, 'DEGRADED', 300, 6],
    ['DEGRADED', 1, 0, false, 'CRITICAL', 120, 9],
    ['CRITICAL', 2, 0, false, 'DOWN', 1800, 4],
    ['DOWN', 0, 2, true, 'HEALTHY', 1800, 3],
    ['DOWN', 4, 0, true, 'DEGRADED', 300, 6],
    ['MAINTENANCE', 0, 0, false, 'MAINTENANCE', null, 0],
  ] as const)('%s (f=%i, s=%i) success=%s -> %s', (from, f, s, success, to, interval, priority) => {
    const hostId = `host-${from}-${f}-${s}`;
    const r = evaluateCheck({
      snapshot: snap(from, f, s),
      success,
      now: NOW,
      hostId,
      policy: DEFAULT_POLICY,
    });
    expect(r.transition.state).toBe(to);
    expect(r.transition.previous_state).toBe(from);
    expect(r.check_priority).toBe(priority);
    if (interval === null) {
      expect(r.next_check_at).toBeNull();
    } else {
      const expected = Math.round(interval * 1000 * (1 + 0.1 * jitterFraction(hostId)));
      expect(r.next_check_at!.getTime() - NOW.getTime()).toBe(expected);
    }
  });

  it('never leaves a checked host unscheduled, and never schedules a maintenance host', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MONITORING_STATES),
        fc.nat({ max: 10 }),
        fc.nat({ max: 10 }),
        fc.boolean(),
        fc.uuid(),
        (state, f, s, success, hostId) => {
          const r = evaluateCheck({
            snapshot: snap(state, f, s),
            success,
            now: NOW,
            hostId,
            policy: DEFAULT_POLICY,
          });
          expect(r.next_check_at === null).toBe(state === 'MAINTENANCE');
          if (r.next_check_at) expect(r.next_check_at.getTime()).toBeGreaterThan(NOW.getTime());
        },
      ),
    );
  });
});

describe('index', () => {
  it('re-exports the public surface', () => {
    expect(Object.keys(stateMachine).sort()).toEqual(
      [
        'CHECKED_STATES',
        'DEFAULT_POLICY',
        'JIT_QUEUE_PRIORITY',
        'MONITORING_STATES',
        'POLICY_LIMITS',
        'PROBLEM_STATE_CHOICES',
        'QUEUE_PRIORITIES_IN_USE',
        'UPTIME_STATES',
        'applyCheck',
        'emptyDurations',
        'evaluateCheck',
        'fromQueuePriority',
        'intervalSeconds',
        'isMonitoringState',
        'jitPriority',
        'jitterFraction',
        'nextCheckAt',
        'nextFlapState',
        'flapPercent',
        'FLAP_WINDOW',
        'isUnreachable',
        'recoveredFromDown',
        'PARENT_DOWN_STATES',
        'priorityFor',
        'schedulePricing',
        'timeInStates',
        'toQueuePriority',
        'uptimeOf',
        'validatePolicy',
      ].sort(),
    );
  });
});
