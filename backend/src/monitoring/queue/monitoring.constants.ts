import type { JobsOptions } from 'bullmq';
import type { CheckTarget } from '../../hosts/host-status.repository';
import type { ProbeResult } from '../../common/probe.types';

/** Queue and job names, job data and the default job options: the one place they are spelled. */
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

/** One scheduled check in a job: its task id, and the host as the producer claimed it. */
export interface ScheduledCheck {
  task_id: string;
  host_id: string;
  /** Where to connect and the state to evaluate against, read by the claim. */
  target: CheckTarget;
}

/** A probe result whose application failed (a system fault): the retry applies it as it is. */
export interface PendingResult {
  result: ProbeResult;
  checked_at: string;
  /** The host as the probe saw it. */
  target: CheckTarget;
}

/**
 * A check job. A JIT job checks one host (`host_id`; its task id is the job id) and reads the
 * host when it runs. A scheduled job carries several hosts of one priority, each with its
 * target, so that queueing, taking and finishing a job and reading its hosts cost once for all
 * of them. (A scheduled job with `host_id` and no `checks`, as earlier versions queued them,
 * runs as one check read when it runs.)
 */
export interface CheckJobData {
  checked_by: CheckedBy;
  /** API-scale priority (0-9) the job was queued with. */
  priority: number;
  queued_at: string;
  host_id?: string;
  checks?: ScheduledCheck[];
  /**
   * Set when results were probed but could not be applied (a system fault), by task id: the
   * retry applies these instead of probing again, and skips `applied` task ids.
   */
  pending_results?: Record<string, PendingResult>;
  applied?: string[];
}

/** Task ids. Scheduled ones name the host and the due time claimed, so a claim is checked once. */
export const scheduledTaskId = (hostId: string, dueAt: Date): string =>
  `sched-${hostId}-${dueAt.getTime()}`;
/** When a scheduled check was due, read back from its task id; null for other task ids. */
export const dueAtOfTask = (taskId: string): Date | null => {
  const match = /^sched-.+-(\d+)$/.exec(taskId);
  return match ? new Date(Number(match[1])) : null;
};
export const jitJobId = (uuid: string): string => `jit-${uuid}`;
/** The queue a task id belongs to: JIT task ids name their queue by their prefix. */
export const queueOfTask = (taskId: string): CheckQueueName =>
  taskId.startsWith('jit-') ? JIT_QUEUE : MONITORING_QUEUE;

const RETRIES = {
  // A failed probe is a result, not a job failure: only system faults (database down) throw,
  // and those are retried up to 3 times with exponential backoff (1 s, 2 s, 4 s).
  attempts: 4,
  backoff: { type: 'exponential', delay: 1000 },
} satisfies JobsOptions;

/** JIT checks: kept long enough to answer GET /checks/{task_id}; history keeps the rest. */
export const JIT_JOB_OPTIONS: JobsOptions = {
  ...RETRIES,
  removeOnComplete: { count: 10000, age: 3600 },
  removeOnFail: { count: 10000, age: 24 * 3600 },
};

/**
 * Scheduled checks: a finished job is not asked for (its checks are in the history), so few
 * are kept; failed ones stay a day for inspection.
 */
export const SCHEDULED_JOB_OPTIONS: JobsOptions = {
  ...RETRIES,
  removeOnComplete: { count: 200 },
  removeOnFail: { count: 1000, age: 24 * 3600 },
};
