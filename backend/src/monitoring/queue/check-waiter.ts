import { Injectable } from '@nestjs/common';
import { Job, QueueEvents } from 'bullmq';
import type { CheckRunOutcome } from '../check-runner.service';
import { CheckJob, CheckQueues } from './check-queues';
import { CheckQueueName, queueOfTask } from './monitoring.constants';

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
 * Reads JIT jobs back and waits for them to finish (for ?wait=true), on the event streams of
 * CheckQueues.
 */
@Injectable()
export class CheckWaiter {
  constructor(private readonly queues: CheckQueues) {}

  find(taskId: string): Promise<CheckJob | undefined> {
    return this.queues.findJob(taskId);
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
  async waitFor(job: CheckJob, timeoutMs: number): Promise<WaitResult> {
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

  /** The queue's event stream (protected so a spec can withhold events). */
  protected queueEvents(name: CheckQueueName): Promise<QueueEvents> {
    return this.queues.queueEvents(name);
  }
}
