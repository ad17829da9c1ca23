/**
 * One check result in, the next state and counters out. Pure: no clock, no I/O.
 */
import type { HostSnapshot, MonitoringState } from './monitoring-state';
import type { MonitoringPolicy } from './policy';

export interface Transition {
  state: MonitoringState;
  previous_state: MonitoringState;
  consecutive_failures: number;
  consecutive_successes: number;
  state_changed: boolean;
}

/** Negative, fractional, non-finite or non-number counters are treated as 0. */
function counter(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function increment(value: number): number {
  return value < Number.MAX_SAFE_INTEGER ? value + 1 : value;
}

/**
 * Applies one check result. Counters are consecutive totals across states: a success zeroes the
 * failure counter, a failure zeroes the success counter. A state moves at most one step per check
 * (HEALTHY -> DEGRADED -> CRITICAL -> DOWN), so with non-default thresholds the counter may already
 * exceed the next threshold when it is reached.
 */
export function applyCheck(
  snapshot: HostSnapshot,
  success: boolean,
  policy: MonitoringPolicy,
): Transition {
  const previous = snapshot.state;
  const failures = success ? 0 : increment(counter(snapshot.consecutive_failures));
  const successes = success ? increment(counter(snapshot.consecutive_successes)) : 0;
  const t = policy.thresholds;

  /** Recovery from DEGRADED, CRITICAL or DOWN: HEALTHY once enough successes, else DEGRADED. */
  const recovered = successes >= t.healthy_after_successes ? 'HEALTHY' : 'DEGRADED';

  let state: MonitoringState;
  switch (previous) {
    case 'UNKNOWN':
      // The first result decides, whatever the thresholds.
      state = success ? 'HEALTHY' : 'DEGRADED';
      break;
    case 'HEALTHY':
      state = success || failures < t.degraded_after_failures ? 'HEALTHY' : 'DEGRADED';
      break;
    case 'DEGRADED':
      state = success ? recovered : failures >= t.critical_after_failures ? 'CRITICAL' : 'DEGRADED';
      break;
    case 'CRITICAL':
      state = success ? recovered : failures >= t.down_after_failures ? 'DOWN' : 'CRITICAL';
      break;
    case 'DOWN':
      state = success ? recovered : 'DOWN';
      break;
    case 'MAINTENANCE':
      // Not scheduled, but a one-off check may still run; it only updates the counters.
      state = 'MAINTENANCE';
      break;
    default: {
      const unreachable: never = previous;
      throw new TypeError(`Unknown monitoring state: ${String(unreachable)}`);
    }
  }

  return {
    state,
    previous_state: previous,
    consecutive_failures: failures,
    consecutive_successes: successes,
    state_changed: state !== previous,
  };
}
