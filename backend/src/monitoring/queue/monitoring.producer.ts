import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { ClaimedHost } from '../../hosts/hosts.repository';
import type { CheckRunOutcome } from '../check-runner.service';
import { toQueuePriority } from '../../state-machine';
import {
  CHECK_HOST_JOB,
  CHECK_JOB_OPTIONS,
  CheckHostJobData,
  JIT_QUEUE,
  jitJobId,
  MONITORING_QUEUE,
  scheduledDedupId,
  scheduledJobId,
} from './monitoring.constants';

/** The only place that adds check jobs: scheduled ones to `monitoring`, JIT ones to their own. */
@Injectable()
export class MonitoringProducer {
  constructor(
    @InjectQueue(MONITORING_QUEUE) private readonly queue: Queue<CheckHostJobData>,
    @InjectQueue(JIT_QUEUE) private readonly jitQueue: Queue<CheckHostJobData>,
  ) {}

  /** Queues claimed hosts in one round trip, each at its state's priority. */
  async enqueueScheduled(claims: ClaimedHost[], now: Date): Promise<void> {
    if (claims.length === 0) return;
    const queuedAt = now.toISOString();
    await this.queue.addBulk(
      claims.map((c) => ({
        name: CHECK_HOST_JOB,
        data: {
          host_id: c.id,
          checked_by: 'scheduler' as const,
          priority: c.check_priority,
          queued_at: queuedAt,
        },
        opts: {
          ...CHECK_JOB_OPTIONS,
          jobId: scheduledJobId(c.id, new Date(c.due_at)),
          priority: toQueuePriority(c.check_priority, 'scheduled'),
          deduplication: { id: scheduledDedupId(c.id) },
        },
      })),
    );
  }

  /**
   * Queues a just-in-time check on the JIT queue, whose worker slots scheduled checks never
   * take; returns its job (the job id is the task id). No per-host deduplication: each request
   * gets its own result.
   */
  async enqueueJit(
    hostId: string,
    apiPriority: number,
    now: Date,
  ): Promise<Job<CheckHostJobData, CheckRunOutcome>> {
    return (await this.jitQueue.add(
      CHECK_HOST_JOB,
      { host_id: hostId, checked_by: 'jit', priority: apiPriority, queued_at: now.toISOString() },
      {
        ...CHECK_JOB_OPTIONS,
        jobId: jitJobId(randomUUID()),
        priority: toQueuePriority(apiPriority, 'jit'),
      },
    )) as Job<CheckHostJobData, CheckRunOutcome>;
  }
}
