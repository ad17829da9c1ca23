import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AlertKind } from '../../alerts/alert-vocabulary';
import { AlertsRepository } from '../../alerts/alerts.repository';
import { toOpenAlertPayload } from '../../alerts/alerts.service';
import { Clock } from '../../common/clock';
import { ChannelsService } from '../channels.service';
import { DispatchRepository } from '../dispatch.repository';
import { MAX_ALERTS_PER_MESSAGE } from '../notification-vocabulary';
import { NotificationTransport } from '../notification-transport';
import { RulesRepository } from '../rules.repository';
import { NotificationsProducer } from './notifications.producer';

/** A pending message this old without a live job is re-queued by the sweeper. */
const SWEEP_AFTER_MS = 30_000;

/** The two periodic jobs of the notifications queue (each run by one worker at a time). */
@Injectable()
export class NotificationsPeriodic {
  private readonly logger = new Logger(NotificationsPeriodic.name);
  private lastWarning = 0;

  constructor(
    private readonly dispatch: DispatchRepository,
    private readonly producer: NotificationsProducer,
    private readonly alerts: AlertsRepository,
    private readonly rules: RulesRepository,
    private readonly channels: ChannelsService,
    private readonly transport: NotificationTransport,
    private readonly clock: Clock,
  ) {}

  /**
   * Committed, pending messages without a live job (a process died between the commit that
   * made them and the enqueue, or a job failed on a system fault) are queued again. The job id
   * is the message id, so a message that still has its job is left alone.
   */
  async sweep(olderThanMs = SWEEP_AFTER_MS): Promise<number> {
    const before = new Date(this.clock.now().getTime() - olderThanMs);
    let requeued = 0;
    for (const id of await this.dispatch.pendingBefore(before, 1000)) {
      if ((await this.producer.ensureQueued(id)) !== 'ok') requeued += 1;
    }
    if (requeued > 0)
      this.logger.log(`Re-queued ${requeued} notification message(s) without a job`);
    return requeued;
  }

  /**
   * Alertmanager forgets an alert it has not heard about for a while (its endsAt, which the
   * sender sets a few resend intervals ahead): every open alert that a rule sends to an
   * Alertmanager channel is posted again, with the same labels and startsAt.
   */
  async resendToAlertmanager(): Promise<number> {
    const targets = await this.channels.targetsOfType('alertmanager');
    if (targets.length === 0) return 0;
    const rules = (await this.rules.findAll()).filter((r) => r.enabled);
    let sent = 0;
    for (const target of targets) {
      const alerts = new Map<string, ReturnType<typeof toOpenAlertPayload>>();
      for (const rule of rules.filter((r) => r.channelIds.includes(target.id))) {
        const kinds: AlertKind[] = [];
        if (rule.events.includes('problem_opened')) kinds.push('problem');
        if (rule.events.includes('host_key_mismatch')) kinds.push('host_key_mismatch');
        if (kinds.length === 0) continue;
        for (const alert of await this.alerts.findOpen(kinds, rule.tags)) {
          alerts.set(alert.id, toOpenAlertPayload(alert));
        }
      }
      const all = [...alerts.values()];
      for (let i = 0; i < all.length; i += MAX_ALERTS_PER_MESSAGE) {
        const chunk = all.slice(i, i + MAX_ALERTS_PER_MESSAGE);
        try {
          await this.transport.send(
            { id: randomUUID(), kind: 'problem_opened', alerts: chunk },
            target,
          );
          sent += chunk.length;
        } catch (error) {
          this.warn(
            `Re-sending ${chunk.length} open alert(s) to Alertmanager channel '${target.name}' failed: ${(error as Error).message}`,
          );
        }
      }
    }
    return sent;
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}
