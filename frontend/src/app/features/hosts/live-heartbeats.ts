import type { CheckOutcome, HostHeartbeats } from '../../core/api/api-types';
import { HEARTBEAT_SIZE } from '../../shared/heartbeat';

/**
 * A host's heartbeats after a live result: the result first (newest), the oldest dropped past
 * `size`, and the failing run started by a first failure or ended by a success. A result
 * reported but not applied (an inactive host's check) changes nothing.
 */
export function applyToHeartbeats(
  beats: HostHeartbeats,
  outcome: CheckOutcome,
  size = HEARTBEAT_SIZE,
): HostHeartbeats {
  if (outcome.host_id !== beats.host_id || outcome.state_applied === false) return beats;
  if (beats.results.some((r) => r.check_time === outcome.checked_at)) return beats;
  return {
    host_id: beats.host_id,
    failing_since: outcome.success ? null : (beats.failing_since ?? outcome.checked_at),
    results: [
      {
        check_time: outcome.checked_at,
        success: outcome.success,
        state: outcome.new_state,
        response_time_ms: outcome.response_time_ms,
        error_type: outcome.error_type,
      },
      ...beats.results,
    ].slice(0, size),
  };
}
