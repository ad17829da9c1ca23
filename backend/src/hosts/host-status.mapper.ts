/**
 * The API's current_status: a host's monitoring state in the words a dashboard shows.
 * Response wording, so it lives beside the responses, not in the state machine.
 */
import type { MonitoringState } from '../state-machine';

export type HostStatus = 'online' | 'degraded' | 'critical' | 'offline' | 'maintenance' | 'unknown';

const STATUSES: Record<MonitoringState, HostStatus> = {
  HEALTHY: 'online',
  DEGRADED: 'degraded',
  CRITICAL: 'critical',
  DOWN: 'offline',
  MAINTENANCE: 'maintenance',
  UNKNOWN: 'unknown',
};

export function currentStatus(state: MonitoringState): HostStatus {
  return STATUSES[state];
}
