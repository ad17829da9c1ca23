import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../database/prepared-query';
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

/**
 * The host update and the history insert of one result, as one statement (one round trip, one
 * commit). The update happens only while the host still exists with the snapshot's state and
 * counters, and while the task id has no history row; the insert only if the update happened.
 * The host-key pin is decided on the row being updated, as the locked path decides it. Served
 * by the primary key of hosts and by UQ_host_check_history_task_id, which also stops a
 * concurrent apply of the same task id (the statement then fails as a whole with 23505).
 */
const APPLY_IF_UNCHANGED_SQL = `
  WITH updated AS (
    UPDATE hosts h SET
      monitoring_state = $5::varchar,
      consecutive_failures = $6::int,
      consecutive_successes = $7::int,
      next_check_at = $8::timestamptz,
      last_check_at = $9::timestamptz,
      last_state_change_at = CASE WHEN $10::boolean THEN $9::timestamptz ELSE h.last_state_change_at END,
      check_priority = $11::smallint,
      response_time_ms = $12::int,
      last_check_stage = $13::varchar,
      last_error_type = $14::varchar,
      last_error_message = $15::text,
      host_key_fingerprint = CASE WHEN $16::boolean AND $17::varchar IS NOT NULL
          AND h.host_key_policy = 'tofu' AND h.host_key_fingerprint IS NULL
        THEN $17::varchar ELSE h.host_key_fingerprint END,
      host_key_type = CASE WHEN $16::boolean AND $17::varchar IS NOT NULL
          AND h.host_key_policy = 'tofu' AND h.host_key_fingerprint IS NULL
        THEN $18::varchar ELSE h.host_key_type END,
      host_key_first_seen_at = CASE WHEN $16::boolean AND $17::varchar IS NOT NULL
          AND h.host_key_policy = 'tofu' AND h.host_key_fingerprint IS NULL
        THEN $9::timestamptz ELSE h.host_key_first_seen_at END,
      updated_at = now()
    WHERE h.id = $1::uuid
      AND h.monitoring_state = $2::varchar
      AND h.consecutive_failures = $3::int
      AND h.consecutive_successes = $4::int
      AND NOT EXISTS (SELECT 1 FROM host_check_history x WHERE x.task_id = $19::varchar)
    RETURNING h.id, h.hostname, h.host_key_fingerprint
  ), inserted AS (
    INSERT INTO host_check_history (host_id, check_time, monitoring_state, previous_state,
      response_time_ms, success, error_message, error_type, checked_by, task_id, stage)
    SELECT u.id, $9::timestamptz, $5::varchar, $2::varchar, $12::int, $16::boolean, $15::text,
      $14::varchar, $20::varchar, $19::varchar, $13::varchar
      FROM updated u
  )
  SELECT hostname, host_key_fingerprint FROM updated`;

/** The transactional reads and writes of applying a result; nothing else uses them. */
@Injectable()
export class CheckResultRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Applies a result in one statement if the host is as the snapshot says and the task id is
   * new. Returns the host's name and pinned key after the update, or null when nothing was
   * written (the host changed, is gone, or the task id was applied already).
   */
  async applyIfUnchanged(
    a: GuardedApply,
  ): Promise<{ hostname: string; host_key_fingerprint: string | null } | null> {
    const rows = await preparedQuery<{ hostname: string; host_key_fingerprint: string | null }>(
      this.dataSource,
      'hostwatch_apply_if_unchanged',
      APPLY_IF_UNCHANGED_SQL,
      [
        a.hostId,
        a.expected.state,
        a.expected.consecutive_failures,
        a.expected.consecutive_successes,
        a.state,
        a.consecutiveFailures,
        a.consecutiveSuccesses,
        a.nextCheckAt?.toISOString() ?? null,
        a.checkedAt.toISOString(),
        a.stateChanged,
        a.checkPriority,
        a.responseTimeMs,
        a.stage,
        a.errorType,
        a.errorMessage,
        a.success,
        a.hostKey?.fingerprint ?? null,
        a.hostKey?.type ?? null,
        a.taskId,
        a.checkedBy,
      ],
    );
    return rows[0] ?? null;
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
