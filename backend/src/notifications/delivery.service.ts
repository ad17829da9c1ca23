import { Injectable, Logger } from '@nestjs/common';
import { AlertEventsBus } from '../alerts/alert-events.bus';
import { Clock } from '../common/clock';
import { Telemetry } from '../common/telemetry';
import { AppConfig } from '../config/app-config';
import { ChannelsService } from './channels.service';
import { DeliveriesRepository } from './deliveries.repository';
import { DispatchRepository, type MessageRow } from './dispatch.repository';
import type { DeliveryStatus } from './notification-vocabulary';
import { NotificationTransport } from './notification-transport';
import { DeliveryError, type SendOutcome } from './senders/sender';

/** What an attempt came to: the message is done, or it waits (for an earlier one, or a retry). */
export type AttemptResult =
  | { kind: 'done'; status: 'delivered' | 'failed' | 'cancelled'; deliveryId: string | null }
  | { kind: 'wait'; ms: number; why: 'earlier message' | 'retry' };

/** Shortest and longest wait for an earlier message of the channel before asking again. */
const EARLIER_WAIT_MIN_MS = 200;
const EARLIER_WAIT_MAX_MS = 30_000;

/**
 * Exponential backoff with jitter: base × 2^(attempt-1), at most max, then a random point in
 * its upper half, so that messages failing together do not retry together.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random) {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/**
 * One attempt to deliver one message, and its record: the attempt row, the message's status,
 * and for a message given up on, a delivery_failed live event. A channel's messages go out in
 * order: a message waits while an earlier one of its channel is still pending.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly messages: DispatchRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly channels: ChannelsService,
    private readonly transport: NotificationTransport,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly bus: AlertEventsBus,
    private readonly telemetry: Telemetry,
  ) {}

  /**
   * Attempts a message. `retry: false` (a test from the API): one attempt, failed for good if
   * it fails, whatever is pending before it.
   */
  async attempt(
    messageId: string,
    options: { retry: boolean } = { retry: true },
  ): Promise<AttemptResult> {
    const message = await this.messages.findMessage(messageId);
    if (!message || message.status !== 'pending') {
      return { kind: 'done', status: 'cancelled', deliveryId: null };
    }
    const channel = await this.channels.target(message.channel_id);
    if (!channel || (!channel.enabled && options.retry)) {
      // Disabled (or deleted) since: dropped, as an operator who turns a channel off expects.
      await this.messages.transaction((tx) =>
        this.messages.updateMessage(tx, message.id, {
          status: 'cancelled',
          finishedAt: this.clock.now(),
          lastError: 'channel disabled',
        }),
      );
      return { kind: 'done', status: 'cancelled', deliveryId: null };
    }
    if (options.retry) {
      const earlier = await this.messages.earlierPending(message.channel_id, message.seq);
      if (earlier) {
        const due = earlier.next_attempt_at
          ? new Date(earlier.next_attempt_at).getTime() - this.clock.now().getTime()
          : 0;
        const ms = Math.min(EARLIER_WAIT_MAX_MS, Math.max(EARLIER_WAIT_MIN_MS, due + 100));
        return { kind: 'wait', ms, why: 'earlier message' };
      }
    }

    const attempt = message.attempts + 1;
    const started = process.hrtime.bigint();
    let outcome: SendOutcome | null = null;
    let failure: DeliveryError | null = null;
    try {
      outcome = await this.transport.send(
        { id: message.id, kind: message.kind, alerts: message.payload.alerts },
        channel,
      );
    } catch (error) {
      failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError((error as Error)?.message ?? String(error), false);
    }
    const latencyMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
    const now = this.clock.now();

    if (outcome) {
      const deliveryId = await this.record(message, attempt, 'delivered', latencyMs, now, {
        response: outcome.response,
        httpStatus: outcome.httpStatus,
        error: null,
      });
      this.telemetry.deliveries.inc({ channel_type: channel.type, result: 'delivered' });
      return { kind: 'done', status: 'delivered', deliveryId };
    }

    const error = failure!;
    const deadline = message.created_at.getTime() + this.config.notifyRetryHours * 3_600_000;
    const delay = retryDelay(attempt, this.config.notifyRetryBaseMs, this.config.notifyRetryMaxMs);
    const giveUp = !options.retry || error.permanent || now.getTime() >= deadline;
    const details = {
      response: error.response,
      httpStatus: error.httpStatus,
      error: error.message,
    };
    if (giveUp) {
      const deliveryId = await this.record(message, attempt, 'failed', latencyMs, now, details);
      this.telemetry.deliveries.inc({ channel_type: channel.type, result: 'failed' });
      if (options.retry) {
        this.logger.warn(
          `Notification ${message.id} to channel '${channel.name}' failed for good after ${attempt} attempt(s): ${error.message}`,
        );
      }
      this.bus.publish([
        {
          type: 'delivery_failed',
          delivery: {
            message_id: message.id,
            channel_id: channel.id,
            channel_name: channel.name,
            channel_type: channel.type,
            rule_id: message.rule_id,
            kind: message.kind,
            alert_count: message.alert_count,
            attempts: attempt,
            error: error.message,
          },
          at: now.toISOString(),
        },
      ]);
      return { kind: 'done', status: 'failed', deliveryId };
    }
    // The last retry comes at the deadline, not past it.
    const wait = Math.max(1, Math.min(delay, deadline - now.getTime()));
    await this.record(
      message,
      attempt,
      'retrying',
      latencyMs,
      now,
      details,
      new Date(now.getTime() + wait),
    );
    this.telemetry.deliveries.inc({ channel_type: channel.type, result: 'retrying' });
    return { kind: 'wait', ms: wait, why: 'retry' };
  }

  /** The attempt's row and the message's new status, in one transaction. */
  private record(
    message: MessageRow,
    attempt: number,
    status: DeliveryStatus,
    latencyMs: number,
    now: Date,
    details: { response: string | null; httpStatus: number | null; error: string | null },
    nextAttemptAt: Date | null = null,
  ): Promise<string> {
    return this.messages.transaction(async (tx) => {
      const id = await this.deliveries.insert(tx, {
        messageId: message.id,
        channelId: message.channel_id,
        ruleId: message.rule_id,
        attempt,
        status,
        response: details.response,
        httpStatus: details.httpStatus,
        latencyMs,
        error: details.error,
        at: now,
      });
      await this.messages.updateMessage(tx, message.id, {
        status: status === 'retrying' ? 'pending' : status,
        attempts: attempt,
        nextAttemptAt,
        lastError: details.error,
        finishedAt: status === 'retrying' ? null : now,
      });
      return id;
    });
  }
}
