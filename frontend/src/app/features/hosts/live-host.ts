import type { CheckOutcome, CheckQueued, Host } from '../../core/api/api-types';
import { readyForScan } from '../../shared/state';

/**
 * A host row after a live check result: the fields the result changes, only if it is newer
 * than what the row shows (events and REST reads can cross) and only if it was applied.
 */
export function applyOutcome(host: Host, outcome: CheckOutcome): Host {
  if (host.id !== outcome.host_id) return host;
  // Reported, not applied (an inactive host or one in maintenance): the host is as it was.
  if (outcome.state_applied === false) return host;
  if (host.last_check_at && Date.parse(host.last_check_at) > Date.parse(outcome.checked_at)) {
    return host;
  }
  const counters = outcome.success
    ? { consecutive_successes: host.consecutive_successes + 1, consecutive_failures: 0 }
    : { consecutive_failures: host.consecutive_failures + 1, consecutive_successes: 0 };
  return {
    ...host,
    ...counters,
    monitoring_state: outcome.new_state,
    last_check_at: outcome.checked_at,
    next_check_at: outcome.next_check_at,
    response_time_ms: outcome.response_time_ms,
    last_check_stage: outcome.stage,
    last_error_type: outcome.error_type,
    last_error_message: outcome.error_message,
    last_state_change_at: outcome.state_changed ? outcome.checked_at : host.last_state_change_at,
    host_key_fingerprint: outcome.host_key_fingerprint ?? host.host_key_fingerprint,
  };
}

/**
 * The latest check results seen on the stream, by task id, up to `limit`. A JIT check can be
 * applied, and its result streamed, before the request that queued it has answered; the page
 * looks its task id up here once it knows it.
 */
export class RecentOutcomes {
  private readonly byTask = new Map<string, CheckOutcome>();

  constructor(private readonly limit = 50) {}

  add(outcome: CheckOutcome): void {
    this.byTask.delete(outcome.task_id);
    this.byTask.set(outcome.task_id, outcome);
    if (this.byTask.size > this.limit) {
      const oldest = this.byTask.keys().next().value;
      if (oldest !== undefined) this.byTask.delete(oldest);
    }
  }

  get(taskId: string): CheckOutcome | undefined {
    return this.byTask.get(taskId);
  }
}

/** What "Ready for scan?" shows once its waited-for check answers. */
export type ScanAnswer =
  | { kind: 'answer'; ready: boolean; reason: string; outcome: CheckOutcome }
  | { kind: 'pending'; message: string }
  | { kind: 'error'; message: string };

/**
 * The answer of `check-connectivity?wait=true`: the applied result (ready or not, and why), a
 * check still on its way after the wait, or one that could not be completed (a system fault
 * that outlived its retries), with the API's reason.
 */
export function scanAnswer(answer: CheckOutcome | CheckQueued, waitedSeconds: number): ScanAnswer {
  if (!('check_queued' in answer))
    return { kind: 'answer', outcome: answer, ...readyForScan(answer) };
  if (answer.status === 'failed') return { kind: 'error', message: answer.message };
  return {
    kind: 'pending',
    message: `The check has not finished within ${waitedSeconds} s; its result will show below when it lands.`,
  };
}
