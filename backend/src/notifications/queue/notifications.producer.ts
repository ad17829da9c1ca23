import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { isRedisUnavailable } from '../../common/dependency-errors';
import { DependencyStatus } from '../../config/dependency-status';
import {
  ALERTMANAGER_RESEND_JOB,
  DELIVER_JOB,
  DELIVER_JOB_OPTIONS,
  DeliverJobData,
  NOTIFICATIONS_QUEUE,
  SWEEP_EVERY_MS,
  SWEEP_JOB,
} from './notifications.constants';

/** The only place that adds notification jobs. */
@Injectable()
export class NotificationsProducer {
  private readonly logger = new Logger(NotificationsProducer.name);
  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE) readonly queue: Queue<DeliverJobData>,
    dependencies: DependencyStatus,
  ) {
    // Redis going away is DependencyStatus' to log, once for the outage (without a listener,
    // BullMQ would print every failed reconnection); a failed add is retried by the sweeper.
    queue.on('error', (error) => {
      if (isRedisUnavailable(error)) dependencies.down('redis', error.message);
      else this.logger.warn(`Notifications queue: ${error.message}`);
    });
  }

  /** One job per message, its id the message's: adding it again changes nothing. */
  async enqueue(messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.queue.addBulk(
      messageIds.map((id) => ({
        name: DELIVER_JOB,
        data: { message_id: id },
        opts: { ...DELIVER_JOB_OPTIONS, jobId: id },
      })),
    );
  }

  /**
   * Makes sure a committed, pending message has a live job: adds it when there is none,
   * retries it when it failed, replaces it when it completed without the message being done.
   */
  async ensureQueued(messageId: string): Promise<'ok' | 'added' | 'retried'> {
    const job = await this.queue.getJob(messageId);
    if (!job) {
      await this.enqueue([messageId]);
      return 'added';
    }
    const state = await job.getState();
    if (state === 'failed') {
      await job.retry('failed');
      return 'retried';
    }
    if (state === 'completed') {
      await job.remove();
      await this.enqueue([messageId]);
      return 'added';
    }
    return 'ok';
  }

  /** Wakes a message's delayed job (the one before it in its channel is done). */
  async promote(messageId: string): Promise<void> {
    const job = await this.queue.getJob(messageId);
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  /** The sweeper and the Alertmanager re-send, each run by one worker at a time. */
  async schedulePeriodic(alertmanagerResendSeconds: number): Promise<void> {
    await this.queue.upsertJobScheduler(
      SWEEP_JOB,
      { every: SWEEP_EVERY_MS },
      {
        name: SWEEP_JOB,
        data: { message_id: '' },
        opts: { removeOnComplete: true, removeOnFail: 100 },
      },
    );
    await this.queue.upsertJobScheduler(
      ALERTMANAGER_RESEND_JOB,
      { every: alertmanagerResendSeconds * 1000 },
      {
        name: ALERTMANAGER_RESEND_JOB,
        data: { message_id: '' },
        opts: { removeOnComplete: true, removeOnFail: 100 },
      },
    );
  }
}
