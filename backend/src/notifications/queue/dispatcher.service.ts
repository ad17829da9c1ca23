import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlertsRepository, type TakenEvent } from '../../alerts/alerts.repository';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { DispatchRepository, type GroupItemInput } from '../dispatch.repository';
import type { NotificationRuleEntity } from '../entities/notification-rule.entity';
import { planMessages } from '../grouping';
import { escalatedResolutions, planReminders } from '../reminders';
import { RemindersRepository } from '../reminders.repository';
import { RulesRepository } from '../rules.repository';
import { NotificationsProducer } from './notifications.producer';
import { isDatabaseUnavailable, isRedisUnavailable } from '../../common/dependency-errors';

/** Outbox rows taken per transaction, and groups flushed per tick. */
const TAKE_BATCH = 2000;
const FLUSH_BATCH = 100;
/** How often (by the app's clock) open problems are looked at for reminders and escalation. */
export const REMINDER_PASS_MS = 10_000;

/**
 * Whether a rule wants this event: its kind, and a host tag among the rule's (none: any). An
 * event of an unreachable or flapping host (suppressed_by) is wanted by none.
 */
export function ruleMatches(rule: NotificationRuleEntity, event: TakenEvent): boolean {
  if (event.suppressedBy !== null) return false;
  // A reminder or an escalation is addressed to its rule, and only to it.
  if (event.ruleId !== null) return rule.enabled && rule.id === event.ruleId;
  if (!rule.enabled || !rule.events.includes(event.kind)) return false;
  if (rule.tags.length === 0) return true;
  const tags = event.payload.host?.tags ?? [];
  return rule.tags.some((t) => tags.includes(t));
}

/**
 * Turns the outbox into messages, in worker processes, every NOTIFY_DISPATCH_INTERVAL_MS:
 *
 * 1. take: undispatched outbox rows (one taker at a time, oldest first) are matched to rules
 *    by event kind and host tags, and join the group of each (rule, channel), in the
 *    transaction that marks them dispatched;
 * 2. flush: groups that are due become messages, in the transaction that marks their items
 *    as carried (so an item is sent in exactly one message);
 * 3. enqueue: a delivery job per new message, its job id the message id.
 *
 * A process that dies after a commit and before its enqueue leaves committed messages without a
 * job: the sweeper (every 30 s, in one worker) queues them. Nothing is lost, nothing doubled.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotificationDispatcher.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastError: { message: string; at: number } | null = null;
  /** When (app clock) reminders were last looked at. */
  private lastReminderPass = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly dispatch: DispatchRepository,
    private readonly rules: RulesRepository,
    private readonly reminders: RemindersRepository,
    private readonly producer: NotificationsProducer,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.schedulePeriodic(this.config.notifyAlertmanagerResendSeconds);
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: take, flush, enqueue. Specs call it to skip the wait for the timer. */
  tick(): Promise<void> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick()
        .catch((error: Error) => this.warn(error))
        .finally(() => this.schedule());
    }, this.config.notifyDispatchIntervalMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    while ((await this.take()) === TAKE_BATCH && !this.stopped) {
      // a backlog: keep taking
    }
    for (;;) {
      const created = await this.flush();
      await this.producer.enqueue(created.ids);
      if (created.groups < FLUSH_BATCH || this.stopped) break;
    }
  }

  /** Step 1. Returns the number of outbox rows taken. */
  private take(): Promise<number> {
    return this.dispatch.transaction(async (tx) => {
      if (!(await this.dispatch.tryTakeLock(tx))) return 0;
      const now = this.clock.now();
      if (now.getTime() - this.lastReminderPass >= REMINDER_PASS_MS) {
        await this.remind(tx, now);
        this.lastReminderPass = now.getTime();
      }
      const events = await this.alerts.takeUndispatched(tx, TAKE_BATCH, now);
      if (events.length === 0) return 0;
      const rules = (await this.rules.findAll(tx)).filter((r) => r.enabled);
      const items: GroupItemInput[] = [];
      for (const event of events) {
        for (const rule of rules) {
          if (!ruleMatches(rule, event)) continue;
          for (const channelId of event.channelIds ?? rule.channelIds) {
            items.push({
              ruleId: rule.id,
              channelId,
              eventId: event.id,
              eventSeq: event.seq,
              alertId: event.alertId,
              createdAt: event.createdAt,
              groupWaitSeconds: rule.groupWaitSeconds,
            });
          }
        }
      }
      await this.dispatch.addItems(tx, items);
      return events.length;
    });
  }

  /**
   * Reminders and escalations (reminders.ts), written as outbox rows addressed to their rule,
   * with the state that says they were written, under the take lock: one process decides, once.
   * The rows are taken in this same pass.
   */
  private async remind(tx: EntityManager, now: Date): Promise<void> {
    const rules = await this.rules.findAll(tx);
    const states = await this.reminders.load(tx);
    const active = rules.filter(
      (r) => r.enabled && (r.repeatIntervalMinutes > 0 || r.escalations.length > 0),
    );
    const resolutions = escalatedResolutions(states.ended, rules);
    await this.reminders.delete(tx, states.ended);
    if (active.length === 0) {
      await this.alerts.recordAddressed(tx, resolutions, now);
      return;
    }
    const problems = await this.alerts.findNotifiable(tx, now);
    const plan = planReminders(active, problems, states.open, now);
    await this.alerts.recordAddressed(tx, [...resolutions, ...plan.notices], now);
    await this.reminders.save(tx, plan.states);
  }

  /** Step 2. Returns the messages created and the number of groups flushed. */
  private flush(): Promise<{ ids: string[]; groups: number }> {
    return this.dispatch.transaction(async (tx) => {
      const now = this.clock.now();
      const groups = await this.dispatch.dueGroups(tx, now, FLUSH_BATCH);
      const ids: string[] = [];
      for (const group of groups) {
        if (!group.active) {
          await this.dispatch.dropWaiting(tx, group);
          continue;
        }
        const planned = planMessages(await this.dispatch.waitingItems(tx, group));
        ids.push(...(await this.dispatch.createMessages(tx, group, planned, now)));
      }
      return { ids, groups: groups.length };
    });
  }

  /**
   * At most one line a minute per distinct fault; none for Redis or PostgreSQL being away,
   * which DependencyStatus logs once for the outage.
   */
  private warn(error: Error): void {
    if (isDatabaseUnavailable(error) || isRedisUnavailable(error)) return;
    const now = Date.now();
    const last = this.lastError;
    if (last && last.message === error.message && now - last.at < 60_000) return;
    this.lastError = { message: error.message, at: now };
    this.logger.warn(`Notification dispatch failed (retried next tick): ${error.message}`);
  }
}
