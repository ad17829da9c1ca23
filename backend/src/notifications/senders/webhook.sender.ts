import { createHmac } from 'node:crypto';
import type { AlertPayload } from '../../alerts/alert-vocabulary';
import {
  type ChannelTarget,
  type NotificationSender,
  type OutgoingMessage,
  postForOutcome,
  type SendContext,
  type SendOutcome,
} from './sender';

/** One alert as the webhook shows it. */
export function webhookAlert(a: AlertPayload) {
  return {
    alert_id: a.alert_id,
    kind: a.kind,
    alert_kind: a.alert_kind,
    severity: a.severity,
    host: {
      id: a.host.id,
      hostname: a.host.hostname,
      ip_address: a.host.ip_address,
      port: a.host.port,
      tags: a.host.tags,
    },
    state: a.state,
    previous_state: a.previous_state,
    error_type: a.error_type,
    error_message: a.error_message,
    stage: a.stage,
    opened_at: a.opened_at,
    resolved_at: a.resolved_at,
    resolve_reason: a.resolve_reason,
    ...(a.notice ? { notice: a.notice } : {}),
  };
}

/** The JSON a webhook receives. `event_id` is the message's id: the same on every retry. */
export function webhookBody(message: OutgoingMessage, sentAt: Date, consoleUrl: string | null) {
  return {
    event_id: message.id,
    kind: message.kind,
    sent_at: sentAt.toISOString(),
    console_url: consoleUrl,
    alerts: message.alerts.map(webhookAlert),
  };
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`: the receiver recomputes it from
 * the raw body and refuses a `t` too far from its own clock (replays).
 */
export function signature(secret: string, unixSeconds: number, rawBody: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** POSTs JSON to a URL, signed with the channel's secret when it has one. */
export class WebhookSender implements NotificationSender {
  readonly type = 'webhook' as const;

  async send(
    message: OutgoingMessage,
    channel: ChannelTarget,
    ctx: SendContext,
  ): Promise<SendOutcome> {
    // The signature's time is this machine's wall clock: the receiver compares it with its own.
    const sentAt = new Date();
    const body = JSON.stringify(webhookBody(message, sentAt, ctx.consoleUrl));
    const headers: Record<string, string> = { 'x-hostwatch-event-id': message.id };
    const secret = channel.secrets.secret;
    if (secret) {
      headers['x-hostwatch-signature'] = signature(
        secret,
        Math.floor(sentAt.getTime() / 1000),
        body,
      );
    }
    return postForOutcome(ctx, String(channel.config.url), body, headers);
  }
}
