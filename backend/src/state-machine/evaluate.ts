/**
 * The one call the check worker makes after a probe: next state, next due time, next priority.
 */
import type { HostSnapshot } from './monitoring-state';
import type { MonitoringPolicy } from './policy';
import { priorityFor } from './priority';
import { nextCheckAt } from './schedule';
import { applyCheck, type Transition } from './transition';

export interface EvaluateCheckInput {
  snapshot: HostSnapshot;
  success: boolean;
  now: Date;
  /** Seeds the per-host jitter, so a host keeps the same offset from check to check. */
  hostId: string;
  policy: MonitoringPolicy;
}

export interface CheckEvaluation {
  transition: Transition;
  /** null when the host is (still) in MAINTENANCE: it is not scheduled. */
  next_check_at: Date | null;
  /** API scale 0..9 (9 most urgent); map it with toQueuePriority when enqueuing. */
  check_priority: number;
}

export function evaluateCheck(input: EvaluateCheckInput): CheckEvaluation {
  const { snapshot, success, now, hostId, policy } = input;
  const transition = applyCheck(snapshot, success, policy);
  return {
    transition,
    next_check_at: nextCheckAt(transition.state, now, hostId, policy),
    check_priority: priorityFor(transition.state, policy),
  };
}
