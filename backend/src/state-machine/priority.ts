/**
 * Priorities. The public API speaks 0..9 where 9 is most urgent; BullMQ speaks "1 is most
 * urgent". This file is the ONE place that maps between the two.
 */
import type { MonitoringState } from './monitoring-state';
import type { MonitoringPolicy } from './policy';

export type QueueJobKind = 'scheduled' | 'jit';

const API_MIN = 0;
const API_MAX = 9;

/** BullMQ priority of every JIT (user-requested) check: ahead of all scheduled checks. */
export const JIT_QUEUE_PRIORITY = 1;

/** Scheduled API priority p maps to 11 - p: 9 -> 2 (just behind JIT), 0 -> 11. */
const SCHEDULED_OFFSET = API_MAX + 2;

/** Every BullMQ priority this module hands out, most urgent first (for queue-depth reports). */
export const QUEUE_PRIORITIES_IN_USE: readonly number[] = Object.freeze(
  Array.from({ length: SCHEDULED_OFFSET - API_MIN }, (_, i) => JIT_QUEUE_PRIORITY + i),
);

/** API priority (0..9) of a scheduled check for a host in `state`; MAINTENANCE is 0. */
export function priorityFor(state: MonitoringState, policy: MonitoringPolicy): number {
  return state === 'MAINTENANCE' ? 0 : policy.priorities[state];
}

/** API priority (0..9) of a user-requested check. */
export function jitPriority(policy: MonitoringPolicy): number {
  return policy.priorities.JIT;
}

/** Rounds and clamps into 0..9; NaN counts as 0 (least urgent). */
function clampApiPriority(p: number): number {
  if (Number.isNaN(p)) return API_MIN;
  return Math.min(API_MAX, Math.max(API_MIN, Math.round(p)));
}

/**
 * BullMQ priority for a job. JIT jobs are always 1, whatever their API priority, so they run
 * before every scheduled job; scheduled jobs get 11 - p (2..11).
 */
export function toQueuePriority(apiPriority: number, kind: QueueJobKind): number {
  if (kind === 'jit') return JIT_QUEUE_PRIORITY;
  return SCHEDULED_OFFSET - clampApiPriority(apiPriority);
}

/**
 * Inverse of toQueuePriority. A JIT job's own API priority is not encoded in the queue, so it is
 * reported as 9 (the top of the scale). Out-of-range input is rounded and clamped into 1..11.
 */
export function fromQueuePriority(queuePriority: number): {
  apiPriority: number;
  kind: QueueJobKind;
} {
  const q = Number.isNaN(queuePriority)
    ? SCHEDULED_OFFSET
    : Math.min(SCHEDULED_OFFSET, Math.max(JIT_QUEUE_PRIORITY, Math.round(queuePriority)));
  if (q === JIT_QUEUE_PRIORITY) return { apiPriority: API_MAX, kind: 'jit' };
  return { apiPriority: SCHEDULED_OFFSET - q, kind: 'scheduled' };
}
