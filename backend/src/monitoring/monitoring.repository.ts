import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HostCheckHistoryEntity } from './entities/host-check-history.entity';

export interface HistoryPageQuery {
  hostId: string;
  limit: number;
  before?: { checkTime: Date; id: string };
  since?: Date;
  until?: Date;
}

/** Read-side queries of the monitoring API: history pages and fleet statistics. */
@Injectable()
export class MonitoringRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  /** Hosts per state; served by idx_hosts_monitoring_state. */
  async hostsByState(): Promise<Record<string, number>> {
    const rows: { state: string; n: number }[] = await this.dataSource.query(
      'SELECT monitoring_state AS state, count(*)::int AS n FROM hosts GROUP BY monitoring_state',
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** Active, scheduled hosts due before `dueBefore`; served by idx_hosts_due. */
  async overdueCount(dueBefore: Date): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM hosts
        WHERE is_active AND monitoring_state <> 'MAINTENANCE' AND next_check_at < $1`,
      [dueBefore],
    );
    return row.n;
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
