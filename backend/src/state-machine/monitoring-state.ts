/**
 * The vocabulary of the monitoring state machine. Plain TypeScript: no framework, no I/O.
 */
export const MONITORING_STATES = [
  'UNKNOWN',
  'HEALTHY',
  'DEGRADED',
  'CRITICAL',
  'DOWN',
  'MAINTENANCE',
] as const;
export type MonitoringState = (typeof MONITORING_STATES)[number];

/** States a checked host can be in (the ones with an interval and a priority of their own). */
export const CHECKED_STATES = ['HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN'] as const;
export type CheckedState = (typeof CHECKED_STATES)[number];

export function isMonitoringState(value: unknown): value is MonitoringState {
  return typeof value === 'string' && (MONITORING_STATES as readonly string[]).includes(value);
}

/** The counters and state the machine reads; the rest of a host is none of its business. */
export interface HostSnapshot {
  state: MonitoringState;
  consecutive_failures: number;
  consecutive_successes: number;
}
