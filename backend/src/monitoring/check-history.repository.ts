import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { prepared } from '../database/prepared';
import { iso, Recordset } from '../database/recordset';
import type { MonitoringState } from '../state-machine';
import { HostCheckHistoryEntity } from './entities/host-check-history.entity';
import type { ProbeErrorType, ProbeStage } from '../common/probe.types';

/** One history row to write: one applied check. */
export interface HistoryWrite {
  hostId: string;
  taskId: string;
  checkTime: Date;
  state: MonitoringState;
  previousState: MonitoringState;
  responseTimeMs: number;
  success: boolean;
  errorMessage: string | null;
  errorType: ProbeErrorType | null;
  checkedBy: string;
  stage: ProbeStage;
  /** Failed while the host in front of it was down, or on its jump host's leg. */
  unreachable: boolean;
}

export interface HistoryPageQuery {
  hostId: string;
  limit: number;
  before?: { checkTime: Date; id: string };
  since?: Date;
  until?: Date;
}

const ROWS = new Recordset({
  host_id: 'uuid',
  task_id: 'varchar',
  check_time: 'timestamptz',
  monitoring_state: 'varchar',
  previous_state: 'varchar',
  response_time_ms: 'integer',
  success: 'boolean',
  error_message: 'text',
  error_type: 'varchar',
  checked_by: 'varchar',
  stage: 'varchar',
  unreachable: 'boolean',
});

/**
 * A task id already in the history is skipped (UQ_host_check_history_task_id): the caller
 * learns which rows went in, so a check is recorded once however often its job runs.
 */
const INSERT_SQL = `
  INSERT INTO host_check_history (${ROWS.list()})
  SELECT ${ROWS.list()} FROM ${ROWS.from(1, 'r')}
  ON CONFLICT (task_id) DO NOTHING
  RETURNING task_id`;

/** The writer of host_check_history, and the reads of it: history pages and fleet statistics. */
@Injectable()
export class CheckHistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Writes history rows inside the caller's transaction, in one statement; returns the task ids
   * written (a task id already recorded is left as it was).
   */
  async insert(tx: EntityManager, rows: readonly HistoryWrite[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const written = await prepared<{ task_id: string }>(
      tx,
      'hostwatch_insert_history',
      INSERT_SQL,
      ROWS.values(
        rows.map((r) => ({
          host_id: r.hostId,
          task_id: r.taskId,
          check_time: iso(r.checkTime),
          monitoring_state: r.state,
          previous_state: r.previousState,
          response_time_ms: r.responseTimeMs,
          success: r.success,
          error_message: r.errorMessage,
          error_type: r.errorType,
          checked_by: r.checkedBy,
          stage: r.stage,
          unreachable: r.unreachable,
        })),
      ),
    );
    return new Set(written.map((w) => w.task_id));
  }

  /** The rows of these task ids, by task id; served by UQ_host_check_history_task_id. */
  async findByTaskIds(taskIds: readonly string[]): Promise<Map<string, HostCheckHistoryEntity>> {
    if (taskIds.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(HostCheckHistoryEntity)
      .findBy({ taskId: In([...taskIds]) });
    return new Map(rows.map((r) => [r.taskId, r]));
  }

  /** Newest first, keyset-paginated on (check_time, id); served by idx_check_history_host_time. */
  historyPage(q: HistoryPageQuery): Promise<HostCheckHistoryEntity[]> {
    const qb = this.dataSource
      .getRepository(HostCheckHistoryEntity)
      .createQueryBuilder('c')
      .where('c.host_id = :hostId', { hostId: q.hostId });
    if (q.since) qb.andWhere('c.check_time >= :since', { since: q.since });
    if (q.until) qb.andWhere('c.check_time < :until', { until: q.until });
    if (q.before) {
      qb.andWhere('(c.check_time, c.id) < (:bt, :bid)', {
        bt: q.before.checkTime,
        bid: q.before.id,
      });
    }
    return qb.orderBy('c.check_time', 'DESC').addOrderBy('c.id', 'DESC').take(q.limit).getMany();
  }

  /**
   * The latest `limit` results of each host, newest first, and when its current run of failures
   * began (the first failure after its last success). One statement for a page of hosts;
   * idx_check_history_host_time serves every part of it.
   */
  async heartbeats(hostIds: readonly string[], limit: number): Promise<HeartbeatRow[]> {
    return this.dataSource.query(
      `SELECT h.id AS host_id,
              (SELECT min(f.check_time) FROM host_check_history f
                WHERE f.host_id = h.id AND NOT f.success
                  AND f.check_time > coalesce(
                        (SELECT max(s.check_time) FROM host_check_history s
                          WHERE s.host_id = h.id AND s.success), '-infinity')) AS failing_since,
              coalesce((SELECT json_agg(json_build_object(
                          'check_time', r.check_time, 'success', r.success,
                          'state', r.monitoring_state, 'response_time_ms', r.response_time_ms,
                          'error_type', r.error_type) ORDER BY r.check_time DESC)
                          FROM (SELECT * FROM host_check_history c WHERE c.host_id = h.id
                                 ORDER BY c.check_time DESC LIMIT $2) r), '[]') AS results
         FROM unnest($1::uuid[]) WITH ORDINALITY AS h(id, n)
         JOIN hosts x ON x.id = h.id
        ORDER BY h.n`,
      [hostIds, limit],
    );
  }

  /**
   * The latest state changes across the fleet since `since`, newest first, with the host's
   * name; idx_check_history_transitions (partial: state changes only) serves the walk back
   * from now, whose conditions are its predicate word for word.
   */
  async recentTransitions(since: Date, limit: number): Promise<TransitionRow[]> {
    return this.dataSource.query(
      `SELECT c.host_id, h.hostname, c.previous_state AS "from", c.monitoring_state AS "to",
              c.check_time AS at, c.task_id, c.error_type, c.error_message
         FROM host_check_history c JOIN hosts h ON h.id = c.host_id
        WHERE c.check_time >= $1 AND c.previous_state IS NOT NULL
          AND c.previous_state <> c.monitoring_state
        ORDER BY c.check_time DESC LIMIT $2`,
      [since, limit],
    );
  }

  /** Checks, failures and mean response time since `since`; served by idx_check_history_time. */
  async windowStats(
    since: Date,
  ): Promise<{ checks: number; failures: number; avg_response_time_ms: number | null }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS checks,
              (count(*) FILTER (WHERE NOT success))::int AS failures,
              round(avg(response_time_ms) FILTER (WHERE success))::int AS avg_response_time_ms
         FROM host_check_history WHERE check_time >= $1`,
      [since],
    );
    return row;
  }

  /**
   * Checks, failures and response times per minute, from `firstMinute` up to (not including)
   * `until`, one row per minute with empty minutes as zeros. One range scan of
   * idx_check_history_time (check_time >= $1 AND check_time < $2), grouped in Postgres.
   */
  async perMinute(firstMinute: Date, lastMinute: Date, until: Date): Promise<MinuteRow[]> {
    const rows: (Omit<MinuteRow, 'minute'> & { minute: Date })[] = await this.dataSource.query(
      `WITH agg AS (
         SELECT date_trunc('minute', check_time) AS minute,
                count(*)::int AS checks,
                (count(*) FILTER (WHERE NOT success))::int AS failures,
                (count(response_time_ms) FILTER (WHERE success))::int AS samples,
                round(avg(response_time_ms) FILTER (WHERE success))::int AS avg_ms,
                round(percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)
                        FILTER (WHERE success))::int AS p95_ms
           FROM host_check_history
          WHERE check_time >= $1 AND check_time < $3
          GROUP BY 1
       )
       SELECT m.minute,
              coalesce(a.checks, 0) AS checks,
              coalesce(a.failures, 0) AS failures,
              coalesce(a.samples, 0) AS samples,
              a.avg_ms,
              a.p95_ms
         FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 minute') AS m(minute)
         LEFT JOIN agg a ON a.minute = m.minute
        ORDER BY m.minute`,
      [firstMinute, lastMinute, until],
    );
    return rows.map((r) => ({ ...r, minute: new Date(r.minute) }));
  }
}

export interface MinuteRow {
  minute: Date;
  checks: number;
  failures: number;
  samples: number;
  avg_ms: number | null;
  p95_ms: number | null;
}

export interface HeartbeatRow {
  host_id: string;
  failing_since: Date | null;
  results: {
    check_time: string;
    success: boolean;
    state: MonitoringState;
    response_time_ms: number | null;
    error_type: string | null;
  }[];
}

export interface TransitionRow {
  host_id: string;
  hostname: string;
  from: MonitoringState;
  to: MonitoringState;
  at: Date;
  task_id: string;
  error_type: string | null;
  error_message: string | null;
}
