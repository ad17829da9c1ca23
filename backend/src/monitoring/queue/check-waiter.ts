import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { CheckRunOutcome } from '../check-runner.service';
import {
  CheckHostJobData,
  CheckQueueName,
  JIT_QUEUE,
  MONITORING_QUEUE,
  queueOfTask,
} from './monitoring.constants';

export type CheckJobState = 'queued' | 'running' | 'completed' | 'failed';

/**
 * Reads jobs back from their queue and waits for them to finish (for JIT ?wait=true). Each
 * queue has its own event stream; one subscription per queue is opened on first use.
 */
@Injectable()
export class CheckWaiter implements OnModuleDestroy {
  private readonly events = new Map<CheckQueueName, Promise<QueueEvents>>();
  private readonly queues: Record<CheckQueueName, Queue<CheckHostJobData>>;

  constructor(
    @InjectQueue(MONITORING_QUEUE) scheduled: Queue<CheckHostJobData>,
    @InjectQueue(JIT_QUEUE) jit: Queue<CheckHostJobData>,
  ) {
    this.queues = { [MONITORING_QUEUE]: scheduled, [JIT_QUEUE]: jit };
  }

  async find(taskId: string): Promise<Job<CheckHostJobData, CheckRunOutcome> | undefined> {
    const queue = this.queues[queueOfTask(taskId)];
    return (await queue.getJob(taskId)) as Job<CheckHostJobData, CheckRunOutcome> | undefined;
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
    const events = await this.queueEvents(queueOfTask(job.id as string));
    try {
      return (await job.waitUntilFinished(events, timeoutMs)) as CheckRunOutcome;
    } catch (error) {
      if (/timed out/i.test((error as Error).message)) return null;
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    const open = [...this.events.values()];
    this.events.clear();
    await Promise.all(open.map((p) => p.then((e) => e.close()).catch(() => undefined)));
  }

  private queueEvents(name: CheckQueueName): Promise<QueueEvents> {
    let events = this.events.get(name);
    if (!events) {
      const opts = this.queues[name].opts;
      const created = new QueueEvents(name, { connection: opts.connection, prefix: opts.prefix });
      events = created.waitUntilReady().then(
        () => created,
        async (error: unknown) => {
          // A failed start is not cached: the next wait tries again.
          this.events.delete(name);
          await created.close().catch(() => undefined);
          throw error;
        },
      );
      this.events.set(name, events);
    }
    return events;
  }
}
