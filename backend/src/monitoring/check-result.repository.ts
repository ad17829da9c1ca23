import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { preparedQueryIn } from '../database/prepared-query';
import { HostEntity } from '../hosts/entities/host.entity';
import type { MonitoringState } from '../state-machine';
import { HostCheckHistoryEntity } from './entities/host-check-history.entity';
import type { ProbeErrorType, ProbeStage } from './probe/probe.types';

/** One result to write with applyIfUnchanged: the guard, the host's new values, the history row. */
export interface GuardedApply {
  hostId: string;
  taskId: string;
  /** The snapshot the result was evaluated against: applied only if the host still has it. */
  expected: { state: MonitoringState; consecutive_failures: number; consecutive_successes: number };
  state: MonitoringState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  stateChanged: boolean;
  nextCheckAt: Date | null;
  checkPriority: number;
  checkedAt: Date;
  checkedBy: string;
  success: boolean;
  responseTimeMs: number;
  stage: ProbeStage;
  errorType: ProbeErrorType | null;
  errorMessage: string | null;
  /** The host key the probe saw; pinned if the host is tofu and has none pinned yet. */
  hostKey: { fingerprint: string; type: string } | null;
}

/** What a guarded apply writes back: the host's name and pinned key after the update. */
export interface AppliedRow {
  hostname: string;
  host_key_fingerprint: string | null;
}

/**
 * The host updates and history inserts of a batch of results, as one statement (one round trip,
 * one commit). Each host is updated only while it still exists with its snapshot's state and
 * counters, and while its task id has no history row; a history row is inserted for each host
 * updated. The host-key pin is decided on the row being updated, as the locked path decides it.
 * Two results for one host in a batch update it once: the other is reported as not written.
 * Served by the primary key of hosts and by UQ_host_check_history_task_id, which also stops a
 * concurrent apply of the same task id (the statement then fails as a whole with 23505).
 */
const APPLY_IF_UNCHANGED_SQL = `
  WITH input AS (
    SELECT * FROM unnest(
      $1::uuid[], $2::varchar[], $3::int[], $4::int[], $5::varchar[], $6::int[], $7::int[],
      $8::timestamptz[], $9::timestamptz[], $10::boolean[], $11::smallint[], $12::int[],
      $13::varchar[], $14::varchar[], $15::text[], $16::boolean[], $17::varchar[],
      $18::varchar[], $19::varchar[], $20::varchar[]
    ) WITH ORDINALITY AS i(host_id, expected_state, expected_failures, expected_successes,
      state, failures, successes, next_check_at, checked_at, state_changed, priority,
      response_time_ms, stage, error_type, error_message, success, key_fingerprint, key_type,
      task_id, checked_by, n)
  ), updated AS (
    UPDATE hosts h SET
      monitoring_state = i.state,
      consecutive_failures = i.failures,
      consecutive_successes = i.successes,
      next_check_at = i.next_check_at,
      last_check_at = i.checked_at,
      last_state_change_at = CASE WHEN i.state_changed THEN i.checked_at
        ELSE h.last_state_change_at END,
      check_priority = i.priority,
      response_time_ms = i.response_time_ms,
      last_check_stage = i.stage,
      last_error_type = i.error_type,
      last_error_message = i.error_message,
      host_key_fingerprint = CASE WHEN i.success AND i.key_fingerprint IS NOT NULL
          AND h.host_key_policy = 'tofu' AND h.host_key_fingerprint IS NULL
        THEN i.key_fingerprint ELSE h.host_key_fingerprint END,
      host_key_type = CASE WHEN i.success AND i.key_fingerprint IS NOT NULL
          AND h.host_key_policy = 'tofu' AND h.host_key_fingerprint IS NULL
        THEN i.key_type ELSE h.host_key_type END,
      host_key_first_seen_at = CASE WHEN i.success AND i.key_fingerprint IS NOT NULL
          AND h.host_key_policy = 'tofu' AND h.host_key_fingerprint IS NULL
        THEN i.checked_at ELSE h.host_key_first_seen_at END,
      updated_at = now()
      FROM input i
    WHERE h.id = i.host_id
      AND h.monitoring_state = i.expected_state
      AND h.consecutive_failures = i.expected_failures
      AND h.consecutive_successes = i.expected_successes
      AND NOT EXISTS (SELECT 1 FROM host_check_history x WHERE x.task_id = i.task_id)
    RETURNING i.n, h.id, h.hostname, h.host_key_fingerprint, i.checked_at, i.state,
      i.expected_state, i.response_time_ms, i.success, i.error_message, i.error_type,
      i.checked_by, i.task_id, i.stage
  ), inserted AS (
    INSERT INTO host_check_history (host_id, check_time, monitoring_state, previous_state,
      response_time_ms, success, error_message, error_type, checked_by, task_id, stage)
    SELECT u.id, u.checked_at, u.state, u.expected_state, u.response_time_ms, u.success,
      u.error_message, u.error_type, u.checked_by, u.task_id, u.stage
      FROM updated u
  )
  SELECT n, hostname, host_key_fingerprint FROM updated`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The transactional reads and writes of applying a result; nothing else uses them. */
@Injectable()
export class CheckResultRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Applies a batch of results in one statement, each if its host is as its snapshot says and
   * its task id is new. Returns, per input in order, the host's name and pinned key after the
   * update, or null when nothing was written for it (the host changed, is gone, or the task id
   * was applied already). `afterWrite` runs in the same transaction with the results written
   * (in host id order), and its answer comes back as `after`.
   */
  async applyIfUnchanged<R>(
    input: GuardedApply[],
    afterWrite: (tx: EntityManager, written: GuardedApply[]) => Promise<R>,
  ): Promise<{ written: Array<AppliedRow | null>; after: R | null }> {
    // In host id order, so that two workers' batches lock shared hosts in the same order.
    const order = input.map((_, i) => i).sort((x, y) => compare(input[x].hostId, input[y].hostId));
    const batch = order.map((i) => input[i]);
    const column = <T>(pick: (a: GuardedApply) => T) => batch.map(pick);
    // --- alerting hook (issue 10): the statement runs in a transaction, so that the alerts it
    // opens or resolves (and their outbox rows) commit with it, or not at all.
    return this.dataSource.transaction(async (tx) => {
      const rows = await preparedQueryIn<AppliedRow & { n: string }>(
        tx,
        'hostwatch_apply_if_unchanged',
        APPLY_IF_UNCHANGED_SQL,
        [
          column((a) => a.hostId),
          column((a) => a.expected.state),
          column((a) => a.expected.consecutive_failures),
          column((a) => a.expected.consecutive_successes),
          column((a) => a.state),
          column((a) => a.consecutiveFailures),
          column((a) => a.consecutiveSuccesses),
          column((a) => a.nextCheckAt?.toISOString() ?? null),
          column((a) => a.checkedAt.toISOString()),
          column((a) => a.stateChanged),
          column((a) => a.checkPriority),
          column((a) => a.responseTimeMs),
          column((a) => a.stage),
          column((a) => a.errorType),
          column((a) => a.errorMessage),
          column((a) => a.success),
          column((a) => a.hostKey?.fingerprint ?? null),
          column((a) => a.hostKey?.type ?? null),
          column((a) => a.taskId),
          column((a) => a.checkedBy),
        ],
      );
      const written: Array<AppliedRow | null> = input.map(() => null);
      for (const row of rows) {
        written[order[Number(row.n) - 1]] = {
          hostname: row.hostname,
          host_key_fingerprint: row.host_key_fingerprint,
        };
      }
      const applied = rows.map((row) => batch[Number(row.n) - 1]);
      const after = applied.length > 0 ? await afterWrite(tx, applied) : null;
      return { written, after };
    });
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Locks the host row for the rest of the transaction. */
  lockHost(tx: EntityManager, hostId: string): Promise<HostEntity | null> {
    return tx
      .getRepository(HostEntity)
      .createQueryBuilder('h')
      .setLock('pessimistic_write')
      .where('h.id = :hostId', { hostId })
      .getOne();
  }

  findByTaskId(tx: EntityManager | null, taskId: string): Promise<HostCheckHistoryEntity | null> {
    const manager = tx ?? this.dataSource.manager;
    return manager.getRepository(HostCheckHistoryEntity).findOneBy({ taskId });
  }

  async updateHost(tx: EntityManager, hostId: string, changes: Partial<HostEntity>): Promise<void> {
    await tx.getRepository(HostEntity).update({ id: hostId }, changes);
  }

  async insertHistory(tx: EntityManager, row: Partial<HostCheckHistoryEntity>): Promise<void> {
    await tx.getRepository(HostCheckHistoryEntity).insert(row);
  }
}
