import type { Host, HostHeartbeats } from '../../core/api/api-types';
import { worstAndOldestFirst } from '../../shared/severity';

/** A failing host as the "Failing now" panel shows it. */
export interface FailingHost {
  host: Host;
  /** When its run of failures began (null when unknown: older than its history). */
  since: string | null;
}

/**
 * The failing hosts, worst first and, within a state, failing longest first. A host's failing
 * run starts at its first failure after its last success; without one on record, at the
 * state change that brought it here.
 */
export function failingHosts(
  hosts: readonly Host[],
  beats: ReadonlyMap<string, HostHeartbeats>,
): FailingHost[] {
  const items = hosts.map((host) => ({
    host,
    state: host.monitoring_state,
    since: beats.get(host.id)?.failing_since ?? host.last_state_change_at ?? null,
    name: host.hostname,
  }));
  return worstAndOldestFirst(items).map(({ host, since }) => ({ host, since }));
}
