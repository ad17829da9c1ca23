import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  emptyDurations,
  type StateDurations,
  UPTIME_STATES,
  type UptimeState,
} from '../state-machine';

/** Which hosts an uptime report covers. */
export type UptimeScope = { hostId: string } | { tag: string } | { all: true };

/**
 * Each stretch of time within [$1, $2) that a host in scope spent in one state: its changes in
 * the window and, per host, the last change before it (the state the window opens in; the
 * primary key (host_id, changed_at, id) finds it walking back one entry). Each change lasts
 * until the next one of its host, or the window's end.
 */
const spansSql = (hosts: string) => `
  WITH hs AS (${hosts}),
  c AS (
    SELECT x.host_id, x.changed_at, x.id, x.state
      FROM host_state_changes x JOIN hs ON hs.id = x.host_id
     WHERE x.changed_at >= $1 AND x.changed_at < $2
    UNION ALL
    SELECT l.host_id, l.changed_at, l.id, l.state
      FROM hs CROSS JOIN LATERAL (
        SELECT y.host_id, y.changed_at, y.id, y.state FROM host_state_changes y
         WHERE y.host_id = hs.id AND y.changed_at < $1
         ORDER BY y.changed_at DESC, y.id DESC LIMIT 1) l
  ), spans AS (
    SELECT host_id, state, greatest(changed_at, $1) AS s,
           least(coalesce(lead(changed_at) OVER (PARTITION BY host_id ORDER BY changed_at, id), $2), $2) AS e
      FROM c
  )`;

/** Milliseconds per state within [$1, $2); UNKNOWN counts in none. */
const durationsSql = (hosts: string) => `${spansSql(hosts)}
  SELECT state, sum(extract(epoch FROM e - s) * 1000)::float8 AS ms
    FROM spans WHERE e > s AND state <> 'UNKNOWN' GROUP BY state`;

const ms = (state: UptimeState) =>
  `coalesce(sum(extract(epoch FROM e - s) * 1000) FILTER (WHERE state = '${state}'), 0)::bigint`;

/** One UTC day ($1 its start, $2 the next day's) of every host, into host_state_days. */
const ROLL_UP_DAY_SQL = `${spansSql('SELECT id FROM hosts')}
  INSERT INTO host_state_days
    (host_id, day, healthy_ms, degraded_ms, critical_ms, down_ms, maintenance_ms)
  SELECT host_id, ($1::timestamptz AT TIME ZONE 'UTC')::date, ${ms('HEALTHY')}, ${ms('DEGRADED')},
         ${ms('CRITICAL')}, ${ms('DOWN')}, ${ms('MAINTENANCE')}
    FROM spans WHERE e > s AND state <> 'UNKNOWN'
   GROUP BY host_id
  ON CONFLICT (host_id, day) DO UPDATE SET
    healthy_ms = EXCLUDED.healthy_ms, degraded_ms = EXCLUDED.degraded_ms,
    critical_ms = EXCLUDED.critical_ms, down_ms = EXCLUDED.down_ms,
    maintenance_ms = EXCLUDED.maintenance_ms`;

const DAY_MS = 86_400_000;
/** The start of the UTC day `t` falls in. */
const dayOf = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;

/**
 * The reader of host_state_changes (written by a trigger on host_status, see migration
 * StateChanges), the writer of its daily rollup (host_state_days), and their trimming.
 */
@Injectable()
export class HostStateChangesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Milliseconds in each state within [from, to) of the hosts in scope, summed: whole UTC days
   * already rolled up from host_state_days (a row per host per day), the rest (the partial days
   * at the edges, and days not rolled up yet) from host_state_changes.
   */
  async durations(scope: UptimeScope, from: Date, to: Date): Promise<StateDurations> {
    const firstDay = dayOf(from.getTime() + DAY_MS - 1);
    const rolledUntil = await this.rolledUntil();
    const lastDay = Math.min(dayOf(to.getTime()), rolledUntil?.getTime() ?? 0);
    if (lastDay <= firstDay) return this.fromChanges(scope, from, to);
    const parts = await Promise.all([
      this.fromChanges(scope, from, new Date(firstDay)),
      this.fromDays(scope, new Date(firstDay), new Date(lastDay)),
      this.fromChanges(scope, new Date(lastDay), to),
    ]);
    const out = emptyDurations();
    for (const part of parts) for (const k of UPTIME_STATES) out[k] += part[k];
    return out;
  }

  /**
   * durations() for each of these hosts apart, in the same few statements whatever their
   * number (a page of the host list): grouped by host instead of summed.
   */
  async durationsByHost(
    hostIds: readonly string[],
    from: Date,
    to: Date,
  ): Promise<Map<string, StateDurations>> {
    const out = new Map(hostIds.map((id) => [id, emptyDurations()] as const));
    if (hostIds.length === 0) return out;
    const add = (rows: { host_id: string; state: UptimeState; ms: number }[]) => {
      for (const r of rows) {
        const d = out.get(r.host_id);
        if (d && (UPTIME_STATES as readonly string[]).includes(r.state)) d[r.state] += r.ms;
      }
    };
    const fromChanges = async (a: Date, b: Date) => {
      if (b.getTime() <= a.getTime()) return;
      add(
        await this.dataSource.query(
          `${spansSql('SELECT unnest($3::uuid[]) AS id')}
           SELECT host_id, state, sum(extract(epoch FROM e - s) * 1000)::float8 AS ms
             FROM spans WHERE e > s AND state <> 'UNKNOWN' GROUP BY host_id, state`,
          [a, b, hostIds],
        ),
      );
    };
    const firstDay = dayOf(from.getTime() + DAY_MS - 1);
    const rolledUntil = await this.rolledUntil();
    const lastDay = Math.min(dayOf(to.getTime()), rolledUntil?.getTime() ?? 0);
    if (lastDay <= firstDay) {
      await fromChanges(from, to);
      return out;
    }
    await fromChanges(from, new Date(firstDay));
    await fromChanges(new Date(lastDay), to);
    const days: { host_id: string; h: number; dg: number; c: number; dn: number; m: number }[] =
      await this.dataSource.query(
        `SELECT host_id, sum(healthy_ms)::float8 AS h, sum(degraded_ms)::float8 AS dg,
                sum(critical_ms)::float8 AS c, sum(down_ms)::float8 AS dn,
                sum(maintenance_ms)::float8 AS m
           FROM host_state_days
          WHERE host_id = ANY($3::uuid[])
            AND day >= ($1::timestamptz AT TIME ZONE 'UTC')::date
            AND day < ($2::timestamptz AT TIME ZONE 'UTC')::date
          GROUP BY host_id`,
        [new Date(firstDay), new Date(lastDay), hostIds],
      );
    for (const r of days) {
      const d = out.get(r.host_id);
      if (!d) continue;
      d.HEALTHY += r.h;
      d.DEGRADED += r.dg;
      d.CRITICAL += r.c;
      d.DOWN += r.dn;
      d.MAINTENANCE += r.m;
    }
    return out;
  }

  /** The hosts in scope as a query, and its parameter (after the window's two). */
  private hosts(scope: UptimeScope): { sql: string; params: unknown[] } {
    if ('hostId' in scope) return { sql: 'SELECT $3::uuid AS id', params: [scope.hostId] };
    // idx_hosts_tags (GIN) finds the tag's hosts.
    if ('tag' in scope) {
      return { sql: 'SELECT id FROM hosts WHERE tags @> ARRAY[$3::text]', params: [scope.tag] };
    }
    return { sql: 'SELECT id FROM hosts', params: [] };
  }

  private async fromChanges(scope: UptimeScope, from: Date, to: Date): Promise<StateDurations> {
    const out = emptyDurations();
    if (to.getTime() <= from.getTime()) return out;
    const hosts = this.hosts(scope);
    const rows: { state: UptimeState; ms: number }[] = await this.dataSource.query(
      durationsSql(hosts.sql),
      [from, to, ...hosts.params],
    );
    for (const r of rows) {
      if ((UPTIME_STATES as readonly string[]).includes(r.state)) out[r.state] = r.ms;
    }
    return out;
  }

  /** Whole days [from, to) from the rollup; served by its primary key (host_id, day). */
  private async fromDays(scope: UptimeScope, from: Date, to: Date): Promise<StateDurations> {
    const hosts = this.hosts(scope);
    const [row] = await this.dataSource.query(
      `WITH hs AS (${hosts.sql})
       SELECT coalesce(sum(d.healthy_ms), 0)::float8 AS "HEALTHY",
              coalesce(sum(d.degraded_ms), 0)::float8 AS "DEGRADED",
              coalesce(sum(d.critical_ms), 0)::float8 AS "CRITICAL",
              coalesce(sum(d.down_ms), 0)::float8 AS "DOWN",
              coalesce(sum(d.maintenance_ms), 0)::float8 AS "MAINTENANCE"
         FROM host_state_days d JOIN hs ON hs.id = d.host_id
        WHERE d.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date
          AND d.day < ($2::timestamptz AT TIME ZONE 'UTC')::date`,
      [from, to, ...hosts.params],
    );
    return row as StateDurations;
  }

  /** The first UTC day not rolled up yet; null before the first roll-up. */
  async rolledUntil(): Promise<Date | null> {
    const [row] = await this.dataSource.query(
      `SELECT to_char(rolled_until, 'YYYY-MM-DD') AS day FROM host_state_rollup WHERE id = 1`,
    );
    return row?.day ? new Date(`${row.day}T00:00:00Z`) : null;
  }

  /** The first day any state change was recorded on (where a first roll-up starts). */
  async firstChangeDay(): Promise<Date | null> {
    const [row] = await this.dataSource.query(
      `SELECT min(changed_at) AS first FROM host_state_changes`,
    );
    return row?.first ? new Date(dayOf(new Date(row.first).getTime())) : null;
  }

  /**
   * Rolls up the UTC day starting at `day` for every host, and moves the mark past it, in one
   * transaction. Idempotent: a day rolled up again is overwritten.
   */
  async rollUpDay(day: Date): Promise<void> {
    const next = new Date(day.getTime() + DAY_MS);
    await this.dataSource.transaction(async (tx) => {
      await tx.query(ROLL_UP_DAY_SQL, [day, next]);
      await tx.query(
        `UPDATE host_state_rollup SET rolled_until = greatest(coalesce(rolled_until, $1::date), $1::date)
          WHERE id = 1`,
        [next.toISOString().slice(0, 10)],
      );
    });
  }

  /** Deletes daily rows before `cutoff`, up to `limit`; served by idx_host_state_days_day. */
  async deleteDaysBefore(cutoff: Date, limit: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM host_state_days WHERE (host_id, day) IN (
           SELECT host_id, day FROM host_state_days
            WHERE day < ($1::timestamptz AT TIME ZONE 'UTC')::date LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [cutoff, limit],
    );
    return row.n;
  }

  /**
   * Deletes up to `limit` changes older than `cutoff`, keeping each host's last change before
   * it (the state the oldest report still opens in). Returns how many went. Served by
   * idx_host_state_changes_changed_at and the primary key.
   */
  async deleteBefore(cutoff: Date, limit: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `WITH old AS (
         SELECT x.host_id, x.changed_at, x.id FROM host_state_changes x
          WHERE x.changed_at < $1
            AND EXISTS (SELECT 1 FROM host_state_changes n
                         WHERE n.host_id = x.host_id AND n.changed_at < $1
                           AND (n.changed_at, n.id) > (x.changed_at, x.id))
          LIMIT $2
       ), gone AS (
         DELETE FROM host_state_changes d USING old
          WHERE d.host_id = old.host_id AND d.changed_at = old.changed_at AND d.id = old.id
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [cutoff, limit],
    );
    return row.n;
  }
}
