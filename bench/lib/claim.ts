/**
 * Measurement 6: the producer's claim of 5,000 due hosts among 1,000,000 hosts with 10,000,000
 * history rows. The data is generated inside Postgres (generate_series), in a database of its
 * own that later runs reuse when it already holds the requested sizes.
 */
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { createDataSource } from '../../backend/src/data-source';
import {
  CLAIM_DUE_SQL,
  HostStatusRepository,
} from '../../backend/src/hosts/host-status.repository';
import { connect, databaseExists, freshDatabase } from './db';
import { percentile } from './procs';

/** The schema the generated data needs: the newest migration's timestamp. */
export const CLAIM_SCHEMA = /(\d{13})$/.exec(MIGRATIONS[MIGRATIONS.length - 1].name)?.[1] ?? '0';

/**
 * The claim database's name: one per size, so --quick and full runs do not regenerate each
 * other's, and per schema, so data generated under an older schema is never measured with
 * newer code (nor an older checkout's data overwritten by a newer one).
 */
export function claimDatabaseName(hosts: number): string {
  return `hostwatch_bench_claim_${hosts}_s${CLAIM_SCHEMA}`;
}

export interface ClaimResult {
  hosts: number;
  history: number;
  due: number;
  batch: number;
  generatedSeconds: number | null;
  coldMs: number;
  p50Ms: number;
  samplesMs: number[];
  plan: string;
  /** The claim itself under EXPLAIN (ANALYZE, BUFFERS, WAL), in a transaction rolled back. */
  analyzed: string;
  /** Of the rows that claim updated, how many were heap-only (HOT) updates. */
  updatedRows: number;
  hotUpdates: number;
}

async function sizes(db: Client): Promise<{ hosts: number; history: number; schema: string }> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM hosts)::int AS hosts,
            (SELECT reltuples::bigint FROM pg_class WHERE relname = 'host_check_history') AS history,
            (SELECT max("timestamp")::text FROM migrations) AS schema`,
  );
  return { hosts: rows[0].hosts, history: Number(rows[0].history), schema: rows[0].schema };
}

async function generate(db: Client, hosts: number, history: number, due: number): Promise<void> {
  // Hosts: a realistic spread of states; `due` of them due now, the rest over the next day.
  await db.query(
    `INSERT INTO hosts (hostname, ip_address, port, tags)
     SELECT 'claim-' || g, '10.' || (g >> 16) % 256 || '.' || (g >> 8) % 256 || '.' || g % 256,
            22, '{bench}'
       FROM generate_series(1, $1::int) g`,
    [hosts],
  );
  await db.query(
    `INSERT INTO host_status (host_id, monitoring_state, check_priority, consecutive_successes,
                              next_check_at, last_check_at)
     SELECT h.id, s.state, s.priority, 3,
            CASE WHEN g <= $1 THEN now() - (g % 600) * interval '1 second'
                 ELSE now() + (60 + (g::bigint * 7919) % 86400) * interval '1 second' END,
            now() - interval '10 minutes'
       FROM hosts h
       CROSS JOIN LATERAL (SELECT substring(h.hostname from 7)::int AS g) n
       CROSS JOIN LATERAL (SELECT CASE WHEN g % 20 = 0 THEN 'DEGRADED' WHEN g % 50 = 0 THEN 'CRITICAL'
                                       ELSE 'HEALTHY' END AS state,
                                  CASE WHEN g % 20 = 0 THEN 6 WHEN g % 50 = 0 THEN 9 ELSE 3 END AS priority) s`,
    [due],
  );
  // History: loaded without its secondary indexes, which are then built once (much faster).
  await db.query('DROP INDEX IF EXISTS "idx_check_history_host_time"');
  await db.query('DROP INDEX IF EXISTS "idx_check_history_time"');
  const perHost = Math.max(1, Math.round(history / hosts));
  await db.query(
    `INSERT INTO host_check_history (host_id, check_time, monitoring_state, previous_state,
                                     response_time_ms, success, checked_by, task_id, stage)
     SELECT h.id, now() - k * interval '30 minutes', 'HEALTHY', 'HEALTHY', 40, true,
            'scheduler', 'gen-' || h.hostname || '-' || k, 'auth'
       FROM hosts h CROSS JOIN generate_series(1, $1::int) k`,
    [perHost],
  );
  await db.query(
    `CREATE INDEX "idx_check_history_host_time" ON "host_check_history" ("host_id", "check_time" DESC)`,
  );
  await db.query(
    `CREATE INDEX "idx_check_history_time" ON "host_check_history" ("check_time" DESC)`,
  );
  await db.query('VACUUM ANALYZE hosts');
  await db.query('VACUUM ANALYZE host_status');
  await db.query('VACUUM ANALYZE host_check_history');
}

export async function measureClaim(
  url: string,
  hosts: number,
  history: number,
  batch = 5000,
  samples = 7,
  log: (line: string) => void = () => undefined,
): Promise<ClaimResult> {
  const due = batch * 4;
  let generatedSeconds: number | null = null;
  let reuse = false;
  if (await databaseExists(url)) {
    const db = await connect(url);
    try {
      const have = await sizes(db);
      reuse =
        have.schema === CLAIM_SCHEMA &&
        have.hosts === hosts &&
        Math.abs(have.history - history) < history * 0.05;
    } catch {
      reuse = false;
    } finally {
      await db.end();
    }
  }
  if (!reuse) {
    log(
      `generating ${hosts} hosts and ${history} history rows inside Postgres (kept for later runs)…`,
    );
    const t0 = Date.now();
    await freshDatabase(url);
    const db = await connect(url);
    try {
      await generate(db, hosts, history, due);
    } finally {
      await db.end();
    }
    generatedSeconds = (Date.now() - t0) / 1000;
  }

  const ds = createDataSource(url, 2);
  await ds.initialize();
  let analyzed = '';
  let updatedRows = 0;
  let hotUpdates = 0;
  const repo = new HostStatusRepository(ds);
  const times: number[] = [];
  let plan = '';
  try {
    // Exactly `due` hosts due, none of them claimed, however long ago the data was generated:
    // the claims run at the generation's clock (just before the first host that was not due
    // then), not the wall clock, under which more hosts come due every second the data ages.
    // Generated rows have last_check_at = generation time - 10 min; the not-due ones are due
    // from generation time + 60 s on.
    await ds.query(
      `UPDATE host_status s SET next_check_at = s.last_check_at - interval '1 minute',
              claimed_at = NULL
         FROM hosts h
        WHERE h.id = s.host_id
          AND h.hostname IN (SELECT 'claim-' || g FROM generate_series(1, $1::int) g)`,
      [due],
    );
    const [{ at }] = await ds.query(
      `SELECT min(next_check_at) - interval '1 second' AS at FROM host_status
        WHERE is_active AND monitoring_state <> 'MAINTENANCE'
          AND next_check_at > (SELECT s.last_check_at FROM host_status s JOIN hosts h
                                  ON h.id = s.host_id WHERE h.hostname = 'claim-1')`,
    );
    const claimAt = new Date(at);
    await ds.query('VACUUM host_status');
    const explain = await ds.query(
      `EXPLAIN SELECT host_id FROM host_status WHERE is_active AND monitoring_state <> 'MAINTENANCE'
          AND next_check_at <= $1 AND (claimed_at IS NULL OR claimed_at < next_check_at)
        ORDER BY check_priority DESC, next_check_at ASC LIMIT ${batch}`,
      [claimAt],
    );
    plan = explain.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    for (let i = 0; i < samples; i++) {
      const t0 = process.hrtime.bigint();
      const claimed = await repo.claimDue(claimAt, 300, batch);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (claimed.length !== batch) throw new Error(`claimed ${claimed.length}, expected ${batch}`);
      // Put them back, so every sample claims from the same data.
      await ds.query(`UPDATE host_status SET claimed_at = NULL WHERE host_id = ANY($1::uuid[])`, [
        claimed.map((c) => c.hostId),
      ]);
      // Each sample starts from a clean table, as autovacuum would leave it between ticks.
      await ds.query('VACUUM host_status');
    }
    // Where the time goes, and whether the updates were HOT: one more claim, rolled back.
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      const rows = await runner.query(`EXPLAIN (ANALYZE, BUFFERS, WAL) ${CLAIM_DUE_SQL}`, [
        claimAt,
        300,
        batch,
      ]);
      analyzed = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      const [stats] = await runner.query(
        `SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot
           FROM pg_stat_xact_user_tables WHERE relname = 'host_status'`,
      );
      updatedRows = stats?.upd ?? 0;
      hotUpdates = stats?.hot ?? 0;
    } finally {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
  const sorted = times.slice(1).sort((a, b) => a - b);
  return {
    hosts,
    history,
    due,
    batch,
    generatedSeconds,
    coldMs: times[0],
    p50Ms: percentile(sorted, 50),
    samplesMs: times,
    plan,
    analyzed,
    updatedRows,
    hotUpdates,
  };
}
