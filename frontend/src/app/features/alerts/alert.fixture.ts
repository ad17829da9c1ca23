import type { Alert, AlertEvent } from '../../core/api/api-types';

/** An open problem of host `host`, opened `minute` minutes after 10:00 on 1 December. */
export function fakeAlert(id: string, minute = 0, change: Partial<Alert> = {}): Alert {
  const at = new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();
  return {
    id,
    status: 'open',
    kind: 'problem',
    severity: 'warning',
    host: { id: `host-${id}`, hostname: `web-${id}`, ip_address: '10.0.0.7', port: 22, tags: [] },
    state_at_open: 'CRITICAL',
    current_state: 'CRITICAL',
    last_error_type: 'connection_refused',
    last_error_message: 'connection refused by 10.0.0.7:22',
    last_stage: 'connect',
    opened_at: at,
    resolved_at: null,
    opened_by_task_id: `jit-${id}`,
    resolved_by_task_id: null,
    resolve_reason: null,
    updated_at: at,
    acknowledged: false,
    acknowledged_by: null,
    acknowledged_at: null,
    ack_comment: null,
    ack_sticky: false,
    ack_expires_at: null,
    ...change,
  };
}

/** The same alert resolved `minute` minutes after 10:00. */
export function resolvedAlert(alert: Alert, minute: number, reason = 'recovered'): Alert {
  const at = new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();
  return {
    ...alert,
    status: 'resolved',
    current_state: 'HEALTHY',
    resolved_at: at,
    resolve_reason: reason,
    updated_at: at,
  };
}

export const openedEvent = (alert: Alert): AlertEvent => ({
  type: 'alert_opened',
  alert,
  at: alert.opened_at,
});
export const resolvedEvent = (alert: Alert): AlertEvent => ({
  type: 'alert_resolved',
  alert,
  at: alert.resolved_at ?? alert.updated_at,
});
