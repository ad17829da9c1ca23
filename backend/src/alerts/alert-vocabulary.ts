import type { MonitoringState } from '../state-machine';

/** What an alert is about: a problem state, or a changed SSH host key. */
export const ALERT_KINDS = ['problem', 'host_key_mismatch'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['critical', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The events notifications are sent about (the outbox's kinds, and a rule's `events`). */
export const ALERT_EVENT_KINDS = [
  'problem_opened',
  'problem_resolved',
  'host_key_mismatch',
  'degraded',
  'flapping_started',
  'flapping_stopped',
] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

/**
 * Why an event notifies nobody: its host was unreachable (the host in front of it was down, or
 * its jump host could not be used), or was flapping. The event is kept, and shown.
 */
export const ALERT_SUPPRESSIONS = ['unreachable', 'flapping'] as const;
export type AlertSuppression = (typeof ALERT_SUPPRESSIONS)[number];

/** Why an alert was resolved, when no check result resolved it. */
export const RESOLVE_REASONS = {
  recovered: 'recovered',
  hostDeleted: 'host deleted',
  maintenance: 'maintenance started',
  hostKeyAccepted: 'host key accepted',
} as const;

/**
 * Severity, fixed when the alert opens: a DOWN host and a changed host key (possibly an
 * attack) are critical, any other problem state a warning.
 */
export function severityOf(kind: AlertKind, state: MonitoringState): AlertSeverity {
  return kind === 'host_key_mismatch' || state === 'DOWN' ? 'critical' : 'warning';
}

/** The host as an alert remembers it (copied when the alert opened). */
export interface AlertHost {
  id: string | null;
  hostname: string;
  ip_address: string | null;
  port: number;
  tags: string[];
}

/**
 * One alert as notifications carry it (the webhook's `alerts[]` item). Written into the outbox
 * row when the event happens, so later changes to the alert do not rewrite what is sent.
 */
export interface AlertPayload {
  /** Null for a `degraded` or `flapping_*` event, which has no alert. */
  alert_id: string | null;
  /** The event: one of ALERT_EVENT_KINDS. */
  kind: AlertEventKind;
  /** What the alert is about (problem or host_key_mismatch); null for degraded. */
  alert_kind: AlertKind | null;
  severity: AlertSeverity | null;
  host: AlertHost;
  /** The host's state after the result that caused the event. */
  state: MonitoringState;
  previous_state: MonitoringState | null;
  error_type: string | null;
  error_message: string | null;
  stage: string | null;
  opened_at: string | null;
  resolved_at: string | null;
  /** Why it resolved: recovered, host deleted, maintenance started, host key accepted. */
  resolve_reason: string | null;
  /** The state that opened the alert, and its error type: fixed for its life (labels). */
  state_at_open: MonitoringState | null;
  opening_error_type: string | null;
  /** The host's flap percentage, on flapping_started and flapping_stopped events. */
  flap_percent?: number;
  /** Set when the event tells a problem again: `reminder`, or `escalation` (to more channels). */
  notice?: 'reminder' | 'escalation';
}
