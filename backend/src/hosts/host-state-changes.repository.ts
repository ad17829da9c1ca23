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
 * The time in each state of the hosts in scope within [$1, $2): their changes in the window
 * and, per host, the last change before it (the state the window opens in; the primary key
 * (host_id, changed_at, id) finds it walking back one entry). Each change lasts until the next
 * one of its host, or the window's end. UNKNOWN counts in no state.
 */
const durationsSql = (hosts: string) => `
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
    SELECT state, greatest(changed_at, $1) AS s,
           least(coalesce(lead(changed_at) OVER (PARTITION BY host_id ORDER BY changed_at, id), $2), $2) AS e
      FROM c
  )
  SELECT state, sum(extract(epoch FROM e - s) * 1000)::float8 AS ms
    FROM spans WHERE e > s AND state <> 'UNKNOWN' GROUP BY state`;

/**
 * The reader of host_state_changes (written by a trigger on host_status, see migration
 * StateChanges) and its trimming.
 */
@Injectable()
export class HostStateChangesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Milliseconds in each state within [from, to) of the hosts in scope, summed. */
  async durations(scope: UptimeScope, from: Date, to: Date): Promise<StateDurations> {
    let sql: string;
    const params: unknown[] = [from, to];
    if ('hostId' in scope) {
      sql = durationsSql('SELECT $3::uuid AS id');
      params.push(scope.hostId);
    } else if ('tag' in scope) {
      // idx_hosts_tags (GIN) finds the tag's hosts.
      sql = durationsSql('SELECT id FROM hosts WHERE tags @> ARRAY[$3::text]');
      params.push(scope.tag);
    } else {
      sql = durationsSql('SELECT id FROM hosts');
    }
    const rows: { state: UptimeState; ms: number }[] = await this.dataSource.query(sql, params);
    const out = emptyDurations();
    for (const r of rows)
      if ((UPTIME_STATES as readonly string[]).includes(r.state)) out[r.state] = r.ms;
    return out;
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
