import type { JobsOptions } from 'bullmq';
import type { ProbeResult } from '../../common/probe.types';

/** Queue and job names, and the default job options: the one place they are spelled. */
/** Scheduled checks, claimed by the producer. */
export const MONITORING_QUEUE = 'monitoring';
/**
 * Just-in-time checks (a user asked). A queue of its own with its own worker slots in every
 * worker process (JIT_CONCURRENCY), so a JIT check never waits for a scheduled one to free a
 * slot, however long the scheduled backlog is.
 */
export const JIT_QUEUE = 'monitoring-jit';
/** Every queue a check job can be on; the live events relay and the stats read them all. */
export const CHECK_QUEUES = [MONITORING_QUEUE, JIT_QUEUE] as const;
export type CheckQueueName = (typeof CHECK_QUEUES)[number];
export const CHECK_HOST_JOB = 'check-host';

export type CheckedBy = 'scheduler' | 'jit';

export interface CheckHostJobData {
  host_id: string;
  checked_by: CheckedBy;
  /** API-scale priority (0-9) the job was queued with. */
  priority: number;
  queued_at: string;
  /**
   * Set when the probe ran but applying its result failed (a system fault): the retry applies
   * this result instead of probing again.
   */
  pending_result?: { result: ProbeResult; checked_at: string };
}

/** Job ids. Scheduled ones name the host and the due time claimed, so a claim is queued once. */
export const scheduledJobId = (hostId: string, dueAt: Date): string =>
  `sched-${hostId}-${dueAt.getTime()}`;
export const jitJobId = (uuid: string): string => `jit-${uuid}`;
/** The queue a task id belongs to: JIT task ids name their queue by their prefix. */
export const queueOfTask = (taskId: string): CheckQueueName =>
  taskId.startsWith('jit-') ? JIT_QUEUE : MONITORING_QUEUE;
/** At most one scheduled job per host waits or runs at a time (BullMQ deduplication). */
export const scheduledDedupId = (hostId: string): string => `host-${hostId}`;

export const CHECK_JOB_OPTIONS: JobsOptions = {
  // A failed probe is a result, not a job failure: only system faults (database down) throw,
  // and those are retried up to 3 times with exponential backoff (1 s, 2 s, 4 s).
  attempts: 4,
  backoff: { type: 'exponential', delay: 1000 },
  // Kept bounded: enough to answer GET /checks/{task_id} for recent work, no more.
  removeOnComplete: { count: 10000, age: 3600 },
  removeOnFail: { count: 10000, age: 24 * 3600 },
};
