/**
 * Parents and jump hosts (Nagios' UNREACHABLE): a host whose check fails while the host in
 * front of it is down, or whose jump host could not be used, cannot be told apart from that
 * host's failure; it is marked unreachable, and its problems notify nobody.
 */
import type { MonitoringState } from './monitoring-state';

/** States of a parent (or jump host) in which the hosts behind it count as unreachable. */
export const PARENT_DOWN_STATES: readonly MonitoringState[] = ['CRITICAL', 'DOWN'];

export function isUnreachable(input: {
  success: boolean;
  /** The probe failed on the jump host's leg (connect, key or authentication of the jump). */
  jumpLegFailed: boolean;
  /**
   * The host itself answered (it sent its SSH banner): a failure after that (key exchange,
   * host key, authentication) is its own, whatever the state of the host in front of it.
   */
  hostAnswered: boolean;
  /** The state of the host's parent (its jump host, if it has no other), if it has one. */
  parentState: MonitoringState | null;
}): boolean {
  if (input.success) return false;
  if (input.jumpLegFailed) return true;
  return (
    !input.hostAnswered &&
    input.parentState !== null &&
    PARENT_DOWN_STATES.includes(input.parentState)
  );
}

/** Whether a transition brings a host back from down: the hosts behind it are checked at once. */
export function recoveredFromDown(previous: MonitoringState, state: MonitoringState): boolean {
  return PARENT_DOWN_STATES.includes(previous) && !PARENT_DOWN_STATES.includes(state);
}
