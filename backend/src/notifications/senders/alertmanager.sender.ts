import type { AlertPayload } from '../../alerts/alert-vocabulary';
import { alertLine } from '../message-text';
import {
  type ChannelTarget,
  type NotificationSender,
  type OutgoingMessage,
  postForOutcome,
  type SendContext,
  type SendOutcome,
} from './sender';

/** Alertmanager label names: letters, digits and underscores, not starting with a digit. */
export function labelName(tag: string): string {
  return `tag_${tag.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Labels stay fixed for an alert's life (Alertmanager identifies an alert by them): what
 * opened it, never what changed since. What changes goes in annotations.
 */
export function alertLabels(a: AlertPayload): Record<string, string> {
  const labels: Record<string, string> = {
    alertname:
      a.alert_kind === 'host_key_mismatch' ? 'HostwatchHostKeyMismatch' : 'HostwatchProblem',
    host: a.host.hostname,
    state: a.state_at_open ?? a.state,
    severity: a.severity ?? 'warning',
  };
  const errorType = a.opening_error_type ?? a.error_type;
  if (errorType) labels.error_type = errorType;
  for (const tag of a.host.tags) labels[labelName(tag)] = 'true';
  return labels;
}

/**
 * One alert for POST /api/v2/alerts. Open: endsAt some resend intervals ahead, refreshed by
 * every re-send (so Alertmanager resolves it by itself if hostwatch stops sending, as with
 * Prometheus). Resolved: endsAt when it resolved.
 */
export function alertmanagerAlert(
  a: AlertPayload,
  ctx: Pick<SendContext, 'now' | 'consoleUrl' | 'alertmanagerResendSeconds'>,
) {
  const resolved = a.kind === 'problem_resolved';
  const endsAt = resolved
    ? (a.resolved_at ?? ctx.now.toISOString())
    : new Date(ctx.now.getTime() + 4 * ctx.alertmanagerResendSeconds * 1000).toISOString();
  const annotations: Record<string, string> = {
    summary: alertLine(a.kind, a),
    current_state: a.state,
    address: `${a.host.ip_address ?? a.host.hostname}:${a.host.port}`,
  };
  if (a.error_type)
    annotations.last_error = `${a.error_type}${a.error_message ? `: ${a.error_message}` : ''}`;
  if (a.alert_id) annotations.hostwatch_alert_id = a.alert_id;
  if (a.resolve_reason) annotations.resolve_reason = a.resolve_reason;
  const alert: Record<string, unknown> = {
    labels: alertLabels(a),
    annotations,
    startsAt: a.opened_at ?? ctx.now.toISOString(),
    endsAt,
  };
  if (ctx.consoleUrl && a.host.id) alert.generatorURL = `${ctx.consoleUrl}/hosts/${a.host.id}`;
  return alert;
}

/** A test: an alert of its own that ends a minute later. */
function testAlert(ctx: SendContext) {
  return {
    labels: { alertname: 'HostwatchTest', severity: 'none' },
    annotations: { summary: 'A test from hostwatch: this channel works' },
    startsAt: ctx.now.toISOString(),
    endsAt: new Date(ctx.now.getTime() + 60_000).toISOString(),
  };
}

/** The alerts endpoint under a channel's base URL. */
export function alertsEndpoint(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v2/alerts`;
}

/** POSTs alerts to a Prometheus Alertmanager, whose own routing then decides who hears. */
export class AlertmanagerSender implements NotificationSender {
  readonly type = 'alertmanager' as const;

  async send(
    message: OutgoingMessage,
    channel: ChannelTarget,
    ctx: SendContext,
  ): Promise<SendOutcome> {
    let alerts: unknown[];
    if (message.kind === 'test') alerts = [testAlert(ctx)];
    // Alertmanager gets problems; a degraded host is not one.
    else
      alerts = message.alerts
        .filter((a) => a.alert_id !== null)
        .map((a) => alertmanagerAlert(a, ctx));
    if (alerts.length === 0)
      return { response: 'nothing to send (no problem in it)', httpStatus: null };
    return postForOutcome(ctx, alertsEndpoint(String(channel.config.url)), JSON.stringify(alerts));
  }
}
