import type { Alert } from '../../core/api/api-types';
import { formatDuration, formatErrorType } from '../../shared/format';

export const KIND_LABELS: Record<Alert['kind'], string> = {
  problem: 'Problem state',
  host_key_mismatch: 'Host key changed',
};

export interface SeverityStyle {
  label: string;
  symbol: string;
  /** Text colour on the page's light surfaces, at least 4.5:1. */
  colour: string;
}

export const SEVERITY_STYLES: Record<Alert['severity'], SeverityStyle> = {
  critical: { label: 'Critical', symbol: '■', colour: '#b3261e' },
  warning: { label: 'Warning', symbol: '▲', colour: '#7a4100' },
};

/** "web-7: host key changed", "web-7: problem state". */
export function alertTitle(alert: Pick<Alert, 'kind' | 'host'>): string {
  return `${alert.host.hostname}: ${KIND_LABELS[alert.kind].toLowerCase()}`;
}

/** How long it has been open, or how long it lasted once resolved. */
export function alertDuration(alert: Pick<Alert, 'opened_at' | 'resolved_at'>, now: number) {
  const end = alert.resolved_at ? Date.parse(alert.resolved_at) : now;
  return formatDuration((end - Date.parse(alert.opened_at)) / 1000);
}

/** "connection refused at connect" with the message, or "—". */
export function lastErrorSummary(alert: Pick<Alert, 'last_error_type' | 'last_stage'>): string {
  if (!alert.last_error_type) return '—';
  const stage = alert.last_stage ? ` at ${alert.last_stage}` : '';
  return `${formatErrorType(alert.last_error_type)}${stage}`;
}
