import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { CheckRunOutcome } from '../check-runner.service';
import { CheckHostJobData, MONITORING_QUEUE } from './monitoring.constants';

export type CheckJobState = 'queued' | 'running' | 'completed' | 'failed';

/** Reads jobs back from the queue and waits for them to finish (for JIT ?wait=true). */
@Injectable()
export class CheckWaiter implements OnModuleDestroy {
  private events: QueueEvents | null = null;

  constructor(@InjectQueue(MONITORING_QUEUE) private readonly queue: Queue<CheckHostJobData>) {}

  async find(taskId: string): Promise<Job<CheckHostJobData, CheckRunOutcome> | undefined> {
    return (await this.queue.getJob(taskId)) as Job<CheckHostJobData, CheckRunOutcome> | undefined;
  }

  async state(job: Job): Promise<CheckJobState> {
    const state = await job.getState();
    if (state === 'active') return 'running';
    if (state === 'completed') return 'completed';
    if (state === 'failed') return 'failed';
    return 'queued';
  }

  /** Resolves with the job's return value, or null if it does not finish within timeoutMs. */
  async waitFor(
    job: Job<CheckHostJobData, CheckRunOutcome>,
    timeoutMs: number,
  ): Promise<CheckRunOutcome | null> {
    const events = await this.queueEvents();
    try {
      return (await job.waitUntilFinished(events, timeoutMs)) as CheckRunOutcome;
    } catch (error) {
      if (/timed out/i.test((error as Error).message)) return null;
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.events?.close();
  }

  private async queueEvents(): Promise<QueueEvents> {
    if (!this.events) {
      const opts = this.queue.opts;
      this.events = new QueueEvents(MONITORING_QUEUE, {
        connection: opts.connection,
        prefix: opts.prefix,
      });
      await this.events.waitUntilReady();
    }
    return this.events;
  }
}
