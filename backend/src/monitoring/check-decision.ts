/**
 * What one probe result does to its host, decided in one place, purely: the state machine's
 * transition, counters, next check and priority, the flap history, whether the host was
 * unreachable, the host-key pin, the history row, what the alerts module is told, and the
 * outcome the API, the live events and ?wait=true show. Writing it is CheckResultService's job.
 */
import type { AppliedCheck } from '../alerts/alerts.repository';
import type { HostKeyPin } from '../hosts/hosts.repository';
import type { CheckTarget, StatusWrite } from '../hosts/host-status.repository';
import {
  evaluateCheck,
  isUnreachable,
  nextFlapState,
  recoveredFromDown,
  type MonitoringPolicy,
} from '../state-machine';
import type { HistoryWrite } from './check-history.repository';
import type { CheckOutcomeDto } from './dto/check-outcome.dto';
import { keyToPin } from './probe/host-key';
import type { ProbeResult } from '../common/probe.types';
import type { CheckedBy } from './queue/monitoring.constants';

/** A probe result to apply, with the host as the probe saw it. */
export interface CheckToApply {
  taskId: string;
  checkedBy: CheckedBy;
  result: ProbeResult;
  checkedAt: Date;
  /** The host the probe connected to, and the state the result is evaluated against. */
  target: CheckTarget;
}

export interface CheckDecision {
  status: StatusWrite;
  history: HistoryWrite;
  pin: HostKeyPin | null;
  outcome: CheckOutcomeDto;
  /** What the alerts module is told of the result. */
  alert: AppliedCheck;
  /**
   * Whether the result can open, change or resolve an alert or start or stop flapping: any
   * failure, any change of state or of flapping, and a success after a failure. A success after
   * a success in the same state cannot: the success before it already resolved what a success
   * resolves.
   */
  touchesAlerts: boolean;
  /** The host came back from CRITICAL or DOWN: the failing hosts behind it are checked now. */
  recovered: boolean;
}

export function decideCheck(check: CheckToApply, policy: MonitoringPolicy): CheckDecision {
  const { target, result, checkedAt } = check;
  const evaluation = evaluateCheck({
    snapshot: {
      state: target.state,
      consecutive_failures: target.consecutiveFailures,
      consecutive_successes: target.consecutiveSuccesses,
    },
    success: result.success,
    now: checkedAt,
    hostId: target.hostId,
    policy,
  });
  const t = evaluation.transition;
  const pin = keyToPin(target.hostKeyPolicy, target.hostKeyFingerprint, result);
  const pinned = pin?.fingerprint ?? target.hostKeyFingerprint;
  // The result before this one: up while successes count, down while failures do; neither
  // after a reset (a new host, a changed key), when this result changes nothing.
  const before =
    target.consecutiveSuccesses > 0 ? true : target.consecutiveFailures > 0 ? false : null;
  const flap = nextFlapState(
    { changes: target.flapChanges, flapping: target.flapping },
    before !== null && before !== result.success,
    policy.flapping,
  );
  const flapChange =
    flap.flapping === target.flapping ? null : flap.flapping ? 'started' : 'stopped';
  const unreachable = unreachableBy(target, result);
  return {
    status: {
      hostId: target.hostId,
      expected: target,
      state: t.state,
      consecutiveFailures: t.consecutive_failures,
      consecutiveSuccesses: t.consecutive_successes,
      stateChanged: t.state_changed,
      nextCheckAt: evaluation.next_check_at,
      checkedAt,
      checkPriority: evaluation.check_priority,
      responseTimeMs: result.response_time_ms,
      stage: result.stage,
      errorType: result.error_type,
      errorMessage: result.error_message,
      unreachable,
      flapChanges: flap.changes,
      flapPercent: flap.percent,
      flapping: flap.flapping,
    },
    history: {
      hostId: target.hostId,
      taskId: check.taskId,
      checkTime: checkedAt,
      state: t.state,
      previousState: t.previous_state,
      responseTimeMs: result.response_time_ms,
      success: result.success,
      errorMessage: result.error_message,
      errorType: result.error_type,
      checkedBy: check.checkedBy,
      stage: result.stage,
      unreachable,
    },
    alert: {
      hostId: target.hostId,
      taskId: check.taskId,
      checkedAt,
      previousState: t.previous_state,
      state: t.state,
      success: result.success,
      errorType: result.error_type,
      errorMessage: result.error_message,
      stage: result.stage,
      suppressedBy: unreachable ? 'unreachable' : flap.flapping ? 'flapping' : null,
      flapChange,
      flapPercent: flap.percent,
    },
    touchesAlerts:
      t.state_changed ||
      !result.success ||
      target.consecutiveSuccesses === 0 ||
      flapChange !== null,
    recovered: recoveredFromDown(t.previous_state, t.state),
    pin: pin && {
      hostId: target.hostId,
      expectedVersion: target.version,
      fingerprint: pin.fingerprint,
      type: pin.type,
      at: checkedAt,
    },
    outcome: {
      task_id: check.taskId,
      host_id: target.hostId,
      hostname: target.hostname,
      checked_by: check.checkedBy,
      success: result.success,
      error_type: result.error_type,
      error_message: result.error_message,
      response_time_ms: result.response_time_ms,
      stage: result.stage,
      previous_state: t.previous_state,
      new_state: t.state,
      state_changed: t.state_changed,
      checked_at: checkedAt.toISOString(),
      next_check_at: evaluation.next_check_at ? evaluation.next_check_at.toISOString() : null,
      host_key_fingerprint: result.host_key?.fingerprint ?? null,
      host_key_pinned:
        pinned !== null && result.host_key !== null && pinned === result.host_key.fingerprint,
      state_applied: true,
      unreachable,
      flapping: flap.flapping,
    },
  };
}

/** Whether a failure is the fault of the host in front of this one (see reachability.ts). */
function unreachableBy(target: CheckTarget, result: ProbeResult): boolean {
  return isUnreachable({
    success: result.success,
    jumpLegFailed: result.stage === 'jump',
    hostAnswered: result.stage === 'kex' || result.stage === 'auth',
    parentState: target.parentState,
  });
}

/**
 * Whether a result may change the host: a host out of the schedule (inactive, or in
 * maintenance) is checked only when a person asks, and such a check is reported, not applied.
 */
export function appliesTo(target: CheckTarget): boolean {
  return target.isActive && target.state !== 'MAINTENANCE';
}

/**
 * The outcome of a check reported without being applied (see appliesTo): the host's state as
 * it is, the probe's result, nothing changed.
 */
export function reportedOutcome(check: CheckToApply): CheckOutcomeDto {
  const { target, result } = check;
  return {
    task_id: check.taskId,
    host_id: target.hostId,
    hostname: target.hostname,
    checked_by: check.checkedBy,
    success: result.success,
    error_type: result.error_type,
    error_message: result.error_message,
    response_time_ms: result.response_time_ms,
    stage: result.stage,
    previous_state: target.state,
    new_state: target.state,
    state_changed: false,
    checked_at: check.checkedAt.toISOString(),
    next_check_at: null,
    host_key_fingerprint: result.host_key?.fingerprint ?? null,
    host_key_pinned:
      target.hostKeyFingerprint !== null &&
      result.host_key !== null &&
      target.hostKeyFingerprint === result.host_key.fingerprint,
    state_applied: false,
    unreachable: unreachableBy(target, result),
    flapping: target.flapping,
  };
}

/**
 * Whether `now` is still the host that `probed` described, for a result that saw the host key
 * `seen`: the same address, port, credential (and its version) and host-key policy, and a pin
 * this result does not contradict (the same pin; or no key seen, so the pin played no part; or
 * the pin this very result would have set). When it is not (the inventory was edited while the
 * check was queued or running), the result says nothing about the host as it is now.
 */
export function sameProbeTarget(
  probed: CheckTarget,
  now: CheckTarget,
  seen: ProbeResult['host_key'],
): boolean {
  const pinHolds =
    probed.hostKeyFingerprint === now.hostKeyFingerprint ||
    seen === null ||
    (probed.hostKeyFingerprint === null && now.hostKeyFingerprint === seen.fingerprint);
  return (
    probed.hostname === now.hostname &&
    probed.ipAddress === now.ipAddress &&
    probed.port === now.port &&
    probed.credentialId === now.credentialId &&
    probed.credentialVersion === now.credentialVersion &&
    probed.hostKeyPolicy === now.hostKeyPolicy &&
    pinHolds &&
    sameJump(probed.jump, now.jump)
  );
}

/** The same jump host (or none), reached and verified the same way. */
function sameJump(a: CheckTarget['jump'], b: CheckTarget['jump']): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.hostId === b.hostId &&
    a.version === b.version &&
    a.credentialId === b.credentialId &&
    a.credentialVersion === b.credentialVersion
  );
}
