import type { JobsOptions } from 'bullmq';

/** The notifications queue, its job names and options: the one place they are spelled. */
export const NOTIFICATIONS_QUEUE = 'notifications';
/** Deliver one message (data: its id, which is also the job id). */
export const DELIVER_JOB = 'deliver';
/** Re-queue committed messages that have no job (a process died between commit and enqueue). */
export const SWEEP_JOB = 'sweep';
/** Re-send open alerts to Alertmanager channels, which expect to hear about them regularly. */
export const ALERTMANAGER_RESEND_JOB = 'alertmanager-resend';

export const SWEEP_EVERY_MS = 30_000;

export interface DeliverJobData {
  message_id: string;
}

export const DELIVER_JOB_OPTIONS: JobsOptions = {
  // Delivery retries are the message's own (recorded, with backoff, for NOTIFY_RETRY_HOURS);
  // these attempts are for the system's faults (database away) only.
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000, age: 3600 },
  removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
};

/**
 * A delivery that outlives a dead worker's lock (about lockDuration + stalledInterval) goes
 * back to the queue and is sent again with the same event id, which receivers deduplicate on.
 */
export const NOTIFY_WORKER_OPTIONS = {
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 10,
};
