import { Injectable } from '@nestjs/common';
import { AlertsRepository, type AlertChange, type AppliedCheck } from '../alerts/alerts.repository';
import { AlertsService } from '../alerts/alerts.service';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import {
  type CheckEvaluation,
  evaluateCheck,
  type HostSnapshot,
  type MonitoringPolicy,
  MonitoringState,
} from '../state-machine';
import type { EntityManager } from 'typeorm';
import type { HostEntity } from '../hosts/entities/host.entity';
import { AppliedRow, CheckResultRepository, GuardedApply } from './check-result.repository';
import { GroupCommit } from './group-commit';
import { sqlState } from '../database/prepared-query';
import type { CheckOutcomeDto } from './dto/check-outcome.dto';
import type { HostCheckHistoryEntity } from './entities/host-check-history.entity';
import type { ProbeResult } from './probe/probe.types';
import type { CheckedBy } from './queue/monitoring.constants';

export interface ApplyCheckInput {
  hostId: string;
  taskId: string;
  checkedBy: CheckedBy;
  result: ProbeResult;
  checkedAt: Date;
  /**
   * The host's state and counters as read before the probe. With it, the result is applied in
   * one statement if they are unchanged; without it (a retry), under a row lock.
   */
  snapshot?: HostSnapshot;
}

/** SQLSTATEs after which a failed guarded statement's results are applied one by one, locked. */
const RETRY_LOCKED = new Set(['23505', '40P01']);

/** Results written by one guarded statement at most (they are a few hundred bytes each). */
const MAX_RESULTS_PER_STATEMENT = 128;

/** What a history row says about the check it records, in the API's shape. */
export function outcomeFromHistory(
  row: HostCheckHistoryEntity,
  host: Pick<HostEntity, 'hostname' | 'nextCheckAt' | 'hostKeyFingerprint'> | null,
): CheckOutcomeDto {
  return {
    task_id: row.taskId,
    host_id: row.hostId,
    hostname: host?.hostname ?? '',
    checked_by: row.checkedBy,
    success: row.success,
    error_type: row.errorType,
    error_message: row.errorMessage,
    response_time_ms: row.responseTimeMs ?? 0,
    stage: row.stage,
    previous_state: (row.previousState ?? row.monitoringState) as MonitoringState,
    new_state: row.monitoringState,
    state_changed: row.previousState !== null && row.previousState !== row.monitoringState,
    checked_at: row.checkTime.toISOString(),
    next_check_at: host?.nextCheckAt ? host.nextCheckAt.toISOString() : null,
    host_key_fingerprint: host?.hostKeyFingerprint ?? null,
    host_key_pinned: host?.hostKeyFingerprint != null,
  };
}

/**
 * Applies one probe result: transition, counters, next check (with jitter), priority, response
 * time, error, host-key pin, and one history row, all or nothing. A task id already applied is
 * not applied again: the earlier outcome is returned.
 *
 * The common case is one statement: the result was evaluated against the host as the worker
 * read it before the probe, and is written only if the host is still in that state with those
 * counters (CheckResultRepository.applyIfUnchanged). Results that arrive in this process while
 * such a statement runs go together in the next one (group commit), so under load a worker
 * writes many results per round trip and per commit. Otherwise (another check of the host
 * landed first, the task id was applied already, a retry that has no snapshot, the host is
 * gone) it is applied in a transaction with the host row locked, evaluated against the row as
 * it is then.
 */
@Injectable()
export class CheckResultService {
  private readonly guarded: GroupCommit<GuardedApply, AppliedRow | null>;

  constructor(
    private readonly repo: CheckResultRepository,
    private readonly settings: MonitoringSettingsService,
    private readonly alerts: AlertsRepository,
    private readonly alertEvents: AlertsService,
  ) {
    this.guarded = new GroupCommit(
      (batch) => this.applyBatchIfUnchanged(batch),
      MAX_RESULTS_PER_STATEMENT,
    );
  }

  // --- alerting hook (issue 10) -------------------------------------------------------------
  // Both paths record the alerts a result opens or resolves (with their outbox rows) in the
  // transaction that applies it, and announce them once it has committed.

  /** The guarded batch statement, then recordTransitions with the rows it wrote. */
  private async applyBatchIfUnchanged(batch: GuardedApply[]): Promise<Array<AppliedRow | null>> {
    const policy = await this.settings.getPolicy();
    const { written, after } = await this.repo.applyIfUnchanged(batch, (tx, applied) =>
      this.alerts.recordTransitions(
        tx,
        applied.map((a) => ({
          hostId: a.hostId,
          taskId: a.taskId,
          checkedAt: a.checkedAt,
          previousState: a.expected.state,
          state: a.state,
          success: a.success,
          errorType: a.errorType,
          errorMessage: a.errorMessage,
          stage: a.stage,
        })),
        policy.problem_states,
      ),
    );
    if (after) this.alertEvents.announce(after);
    return written;
  }

  /** The locked path's share: recordTransitions for its one result, in its transaction. */
  private recordLocked(
    tx: EntityManager,
    applied: AppliedCheck,
    policy: MonitoringPolicy,
  ): Promise<AlertChange[]> {
    return this.alerts.recordTransitions(tx, [applied], policy.problem_states);
  }
  // ------------------------------------------------------------------------------------------

  async apply(input: ApplyCheckInput): Promise<CheckOutcomeDto | null> {
    const policy = await this.settings.getPolicy();
    if (input.snapshot) {
      const outcome = await this.applyIfUnchanged(input, input.snapshot, policy);
      if (outcome) return outcome;
    }
    return this.applyLocked(input, policy);
  }

  private async applyIfUnchanged(
    input: ApplyCheckInput,
    snapshot: HostSnapshot,
    policy: MonitoringPolicy,
  ): Promise<CheckOutcomeDto | null> {
    const { result, checkedAt } = input;
    const evaluation = evaluate(input, snapshot, policy);
    const t = evaluation.transition;
    let written: AppliedRow | null;
    try {
      written = await this.guarded.submit({
        hostId: input.hostId,
        taskId: input.taskId,
        expected: snapshot,
        state: t.state,
        consecutiveFailures: t.consecutive_failures,
        consecutiveSuccesses: t.consecutive_successes,
        stateChanged: t.state_changed,
        nextCheckAt: evaluation.next_check_at,
        checkPriority: evaluation.check_priority,
        checkedAt,
        checkedBy: input.checkedBy,
        success: result.success,
        responseTimeMs: result.response_time_ms,
        stage: result.stage,
        errorType: result.error_type,
        errorMessage: result.error_message,
        hostKey: result.host_key,
      });
    } catch (error) {
      // A task id in the batch applied at this very moment by another worker (unique
      // violation), or two workers' batches locking shared hosts in opposite orders (deadlock):
      // each result of the batch goes through the locked path on its own, which returns the
      // earlier outcome or applies it. Anything else is a system fault: the job is retried.
      if (RETRY_LOCKED.has(sqlState(error) ?? '')) return null;
      throw error;
    }
    if (!written) return null;
    return outcomeOf(input, evaluation, written.hostname, written.host_key_fingerprint);
  }

  private async applyLocked(
    input: ApplyCheckInput,
    policy: MonitoringPolicy,
  ): Promise<CheckOutcomeDto | null> {
    let alertChanges: AlertChange[] = [];
    const outcome = await this.repo.transaction(async (tx) => {
      const host = await this.repo.lockHost(tx, input.hostId);
      if (!host) return null; // deleted while the check was in flight
      const already = await this.repo.findByTaskId(tx, input.taskId);
      if (already) return outcomeFromHistory(already, host);

      const { result, checkedAt } = input;
      const evaluation = evaluate(
        input,
        {
          state: host.monitoringState,
          consecutive_failures: host.consecutiveFailures,
          consecutive_successes: host.consecutiveSuccesses,
        },
        policy,
      );
      const t = evaluation.transition;

      const changes: Partial<HostEntity> = {
        monitoringState: t.state,
        consecutiveFailures: t.consecutive_failures,
        consecutiveSuccesses: t.consecutive_successes,
        nextCheckAt: evaluation.next_check_at,
        lastCheckAt: checkedAt,
        checkPriority: evaluation.check_priority,
        responseTimeMs: result.response_time_ms,
        lastCheckStage: result.stage,
        lastErrorType: result.error_type,
        lastErrorMessage: result.error_message,
      };
      if (t.state_changed) changes.lastStateChangeAt = checkedAt;
      // Trust on first use: pin the key of the first successful contact.
      if (
        result.success &&
        result.host_key &&
        host.hostKeyPolicy === 'tofu' &&
        host.hostKeyFingerprint === null
      ) {
        changes.hostKeyFingerprint = result.host_key.fingerprint;
        changes.hostKeyType = result.host_key.type;
        changes.hostKeyFirstSeenAt = checkedAt;
      }
      await this.repo.updateHost(tx, host.id, changes);

      const history: Partial<HostCheckHistoryEntity> = {
        hostId: host.id,
        checkTime: checkedAt,
        monitoringState: t.state,
        previousState: t.previous_state,
        responseTimeMs: result.response_time_ms,
        success: result.success,
        errorMessage: result.error_message,
        errorType: result.error_type,
        checkedBy: input.checkedBy,
        taskId: input.taskId,
        stage: result.stage,
      };
      await this.repo.insertHistory(tx, history);
      alertChanges = await this.recordLocked(
        tx,
        {
          hostId: host.id,
          taskId: input.taskId,
          checkedAt,
          previousState: t.previous_state,
          state: t.state,
          success: result.success,
          errorType: result.error_type,
          errorMessage: result.error_message,
          stage: result.stage,
        },
        policy,
      );

      const pinned = changes.hostKeyFingerprint ?? host.hostKeyFingerprint;
      return outcomeOf(input, evaluation, host.hostname, pinned);
    });
    this.alertEvents.announce(alertChanges);
    return outcome;
  }
}

/** The state machine's verdict on this result against the host as `snapshot` says it is. */
function evaluate(
  input: ApplyCheckInput,
  snapshot: HostSnapshot,
  policy: MonitoringPolicy,
): CheckEvaluation {
  return evaluateCheck({
    snapshot,
    success: input.result.success,
    now: input.checkedAt,
    hostId: input.hostId,
    policy,
  });
}

/** The outcome of a result just applied, in the API's shape (SSE and ?wait=true send it). */
function outcomeOf(
  input: ApplyCheckInput,
  evaluation: CheckEvaluation,
  hostname: string,
  pinned: string | null,
): CheckOutcomeDto {
  const { result, checkedAt } = input;
  const t = evaluation.transition;
  return {
    task_id: input.taskId,
    host_id: input.hostId,
    hostname,
    checked_by: input.checkedBy,
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
  };
}
