import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { DependencyStatus } from '../../config/dependency-status';
import { isDatabaseUnavailable, isRedisUnavailable } from '../../common/dependency-errors';
import { DeliveryService } from '../delivery.service';
import { DispatchRepository } from '../dispatch.repository';
import {
  ALERTMANAGER_RESEND_JOB,
  DELIVER_JOB,
  DeliverJobData,
  NOTIFICATIONS_QUEUE,
  NOTIFY_WORKER_OPTIONS,
  SWEEP_JOB,
} from './notifications.constants';
import { NotificationsPeriodic } from './periodic.service';
import { NotificationsProducer } from './notifications.producer';

/**
 * The notifications queue's worker: NOTIFY_CONCURRENCY slots per worker process, apart from
 * the check queues', so a slow or dead receiver never holds up a check. A message that has to
 * wait (for a retry, or for an earlier message of its channel) is moved back to the delayed
 * set rather than holding a slot.
 */
@Processor(NOTIFICATIONS_QUEUE, NOTIFY_WORKER_OPTIONS)
export class NotificationsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationsProcessor.name);
  private lastError: { message: string; at: number } | null = null;

  constructor(
    private readonly delivery: DeliveryService,
    private readonly messages: DispatchRepository,
    private readonly producer: NotificationsProducer,
    private readonly periodic: NotificationsPeriodic,
    private readonly config: AppConfig,
    private readonly dependencies: DependencyStatus,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.notifyConcurrency;
  }

  async process(job: Job<DeliverJobData>, token?: string): Promise<unknown> {
    switch (job.name) {
      case DELIVER_JOB: {
        const result = await this.delivery.attempt(job.data.message_id);
        if (result.kind === 'wait') {
          await job.moveToDelayed(Date.now() + result.ms, token);
          throw new DelayedError();
        }
        // Done: the channel's next message need not wait for its timer.
        const message = await this.messages.findMessage(job.data.message_id);
        const next = message ? await this.messages.nextPending(message.channel_id) : null;
        if (next) await this.producer.promote(next);
        return { status: result.status };
      }
      case SWEEP_JOB:
        return { requeued: await this.periodic.sweep() };
      case ALERTMANAGER_RESEND_JOB:
        return { resent: await this.periodic.resendToAlertmanager() };
      default:
        throw new Error(`Unknown job '${job.name}' on queue '${NOTIFICATIONS_QUEUE}'`);
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<DeliverJobData> | undefined, error: Error): void {
    // PostgreSQL or Redis away: the job is retried, and DependencyStatus logs the outage once.
    if (isDatabaseUnavailable(error) || isRedisUnavailable(error)) return;
    const what = job?.data?.message_id ? `message ${job.data.message_id}` : (job?.name ?? 'a job');
    this.logger.warn(
      `Notification job for ${what} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`,
    );
  }

  /**
   * Faults outside a job: Redis going away is DependencyStatus' to log, once for the outage;
   * anything else one line a minute per distinct message.
   */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    if (isRedisUnavailable(error)) {
      this.dependencies.down('redis', error.message);
      return;
    }
    const now = Date.now();
    const last = this.lastError;
    if (last && last.message === error.message && now - last.at < 60_000) return;
    this.lastError = { message: error.message, at: now };
    this.logger.warn(`Worker on queue '${NOTIFICATIONS_QUEUE}': ${error.message}`);
  }
}
