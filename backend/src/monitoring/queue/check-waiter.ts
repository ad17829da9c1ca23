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

/** The longest a finished job can go unnoticed when its completion event is missed. */
const POLL_MS = 1000;

/** BullMQ's words when a wait's time runs out before the job finishes. */
const SLICE_ENDED = /^Job wait .* timed out before finishing/;

export type CheckJobState = 'queued' | 'running' | 'completed' | 'failed';

export type WaitResult =
  | { kind: 'finished'; outcome: CheckRunOutcome }
  | { kind: 'failed'; reason: string }
  | { kind: 'gone' }
  | { kind: 'timeout' };

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

  /**
   * Waits up to timeoutMs for the job to finish: its return value, its failure (a system fault
   * that outlived its retries), `gone` if it left the queue (finished and since removed, or
   * the queue cleared), or `timeout`.
   *
   * The queue's event stream wakes the wait at once, but a stream that has only just started
   * reads from "now" and can miss a job that finishes while it starts (or while it reconnects).
   * So the wait is cut into slices of POLL_MS: each slice registers for the event and then asks
   * Redis whether the job has already finished, and a missed event costs at most one slice.
   */
  async waitFor(
    job: Job<CheckHostJobData, CheckRunOutcome>,
    timeoutMs: number,
  ): Promise<WaitResult> {
    const events = await this.queueEvents(queueOfTask(job.id as string));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const slice = Math.min(POLL_MS, deadline - Date.now());
      // BullMQ reads a ttl of 0 as "no limit".
      if (slice < 1) return { kind: 'timeout' };
      try {
        const outcome = (await job.waitUntilFinished(events, slice)) as CheckRunOutcome;
        return { kind: 'finished', outcome };
      } catch (error) {
        const message = (error as Error).message;
        if (SLICE_ENDED.test(message)) continue;
        if (/^Missing key for job/.test(message)) return { kind: 'gone' };
        return { kind: 'failed', reason: message };
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    const open = [...this.events.values()];
    this.events.clear();
    await Promise.all(open.map((p) => p.then((e) => e.close()).catch(() => undefined)));
  }

  /** The queue's event stream, opened on first use (protected so a spec can withhold events). */
  protected queueEvents(name: CheckQueueName): Promise<QueueEvents> {
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
