/**
 * npm run bench:fleet-ops [-- --hosts 10000 --history-rows 1000000]
 *
 * Fleet operations at scale, against the built app as a real process (api role only, so no
 * check runs meanwhile) on a database of its own: importing N hosts from CSV (dry run, then
 * applied), bulk maintenance of every one of them (on, then off), uptime of one tag of N hosts
 * over 30 days, and the history export of M rows (rows/s, and the API process's resident
 * memory sampled through the export). Prints a table and writes JSON under bench/results/.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { adminToken } from '../tools/fleet/register';
import { createDataSource } from '../backend/src/data-source';
import { HostStateChangesRepository } from '../backend/src/hosts/host-state-changes.repository';
import { connect, dropDatabase, freshDatabase } from './lib/db';
import { memoryMb, percentile, startAppProcess } from './lib/procs';

interface Flags {
  hosts: number;
  historyRows: number;
  databaseUrl: string;
  redisUrl: string;
}

function flags(argv: string[]): Flags {
  const out: Flags = {
    hosts: 10_000,
    historyRows: 1_000_000,
    databaseUrl: 'postgres://postgres@127.0.0.1:5432/hostwatch_bench_fleet_ops',
    redisUrl: 'redis://127.0.0.1:6379',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--hosts':
        out.hosts = Number(value);
        break;
      case '--history-rows':
        out.historyRows = Number(value);
        break;
      case '--database-url':
        out.databaseUrl = value;
        break;
      case '--redis-url':
        out.redisUrl = value;
        break;
      default:
        throw new Error(
          `unknown flag ${argv[i]} (--hosts, --history-rows, --database-url, --redis-url)`,
        );
    }
  }
  return out;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

async function main(): Promise<void> {
  const f = flags(process.argv.slice(2));
  const adminPassword = randomBytes(12).toString('hex');
  await freshDatabase(f.databaseUrl);
  const app = await startAppProcess('api', {
    NODE_ENV: 'development',
    APP_ROLES: 'api',
    PORT: '0',
    DATABASE_URL: f.databaseUrl,
    REDIS_URL: f.redisUrl,
    QUEUE_PREFIX: `bench-fleet-${randomBytes(3).toString('hex')}`,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: 'bench-admin',
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'log',
  });
  const db = await connect(f.databaseUrl);
  const results: Record<string, unknown> = { hosts: f.hosts, history_rows: f.historyRows };
  try {
    const base = /listening on (http:\/\/[0-9.:]+)/.exec(app.log())?.[1] ?? '';
    const token = await adminToken(base, 'bench-admin', adminPassword, 'bench');
    const call = async (method: string, path: string, body?: string, type?: string) => {
      const started = performance.now();
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(type ? { 'content-type': type } : {}),
        },
        body,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      return { ms: performance.now() - started, text };
    };

    // Import: a CSV of N hosts, dry run then applied.
    const lines = ['hostname,ip_address,port,tags,description,is_active'];
    for (let i = 0; i < f.hosts; i++) {
      lines.push(
        `bench-${i},10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},22,bench;rack-${i % 100},rack ${i % 100} slot ${i},true`,
      );
    }
    const csv = lines.join('\n') + '\n';
    const dry = await call('POST', '/api/hosts/import?dry_run=true', csv, 'text/csv');
    const applied = await call('POST', '/api/hosts/import', csv, 'text/csv');
    const report = JSON.parse(applied.text) as { created: number };
    if (report.created !== f.hosts) throw new Error(`imported ${report.created} of ${f.hosts}`);
    results.import_dry_run_s = seconds(dry.ms);
    results.import_apply_s = seconds(applied.ms);
    results.import_csv_mb = Math.round((csv.length / 1e6) * 10) / 10;

    // Bulk maintenance of every host, by filter, then back.
    const bulk = (action: string) =>
      call(
        'POST',
        '/api/hosts/bulk',
        JSON.stringify({ action, filter: { tag: 'bench' } }),
        'application/json',
      );
    results.bulk_maintenance_on_s = seconds((await bulk('maintenance_on')).ms);
    results.bulk_maintenance_off_s = seconds((await bulk('maintenance_off')).ms);

    // Uptime of the tag over 30 days: each host gets a change every 6 hours (120 each).
    const now = Date.now();
    const from = new Date(now - 30 * 86_400_000);
    await db.query(
      `INSERT INTO host_state_changes (host_id, changed_at, state)
       SELECT h.id, $1::timestamptz + k * interval '6 hours',
              (ARRAY['HEALTHY','DEGRADED','HEALTHY','DOWN','HEALTHY','MAINTENANCE'])[1 + (k % 6)]
         FROM hosts h, generate_series(0, 119) k`,
      [from],
    );
    await db.query('ANALYZE host_state_changes');
    const uptime = async () => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        times.push(
          (await call('GET', `/api/monitoring/uptime?tag=bench&from=${from.toISOString()}`)).ms,
        );
      }
      return Math.round(
        percentile(
          times.sort((a, b) => a - b),
          50,
        ),
      );
    };
    results.state_changes = f.hosts * 120;
    results.uptime_tag_from_changes_p50_ms = await uptime();
    // The daily rollup a scheduler process keeps: the 30 days that are over, as its job does.
    const ds = createDataSource(f.databaseUrl, 2);
    await ds.initialize();
    try {
      const rollup = new HostStateChangesRepository(ds);
      const firstDay = Math.floor(from.getTime() / 86_400_000) * 86_400_000;
      const rollStarted = performance.now();
      let days = 0;
      for (let d = firstDay; d + 86_400_000 <= now; d += 86_400_000, days++) {
        await rollup.rollUpDay(new Date(d));
      }
      results.rollup_ms_per_day = Math.round((performance.now() - rollStarted) / days);
    } finally {
      await ds.destroy();
    }
    await db.query('ANALYZE host_state_days');
    results.uptime_tag_p50_ms = await uptime();

    // History export: M rows spread over the hosts and 30 days.
    if (f.historyRows > 0) {
      await db.query(
        `INSERT INTO host_check_history (host_id, check_time, monitoring_state, previous_state,
         response_time_ms, success, error_message, error_type, checked_by, task_id, stage)
       SELECT ids.a[1 + i % $3::int], $2::timestamptz + (i % 2592000) * interval '1 second',
              'HEALTHY', 'HEALTHY', 20 + i % 50, i % 10 <> 0,
              CASE WHEN i % 10 = 0 THEN 'connect ECONNREFUSED' END,
              CASE WHEN i % 10 = 0 THEN 'refused' END, 'system', 'b-' || i, 'auth'
         FROM (SELECT array_agg(id ORDER BY id) AS a FROM hosts) ids,
              generate_series(1, $1::int) i`,
        [f.historyRows, from, f.hosts],
      );
      await db.query('ANALYZE host_check_history');
      const before = memoryMb(app.pid).rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, memoryMb(app.pid).rss);
      }, 50);
      const started = performance.now();
      const res = await fetch(`${base}/api/monitoring/history/export?format=csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
      let rows = -1;
      let bytes = 0;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        for (const b of value) if (b === 10) rows += 1;
      }
      const exportMs = performance.now() - started;
      clearInterval(sampler);
      if (rows !== f.historyRows) throw new Error(`exported ${rows} of ${f.historyRows} rows`);
      results.export_rows_per_s = Math.round(rows / (exportMs / 1000));
      results.export_s = seconds(exportMs);
      results.export_mb = Math.round(bytes / 1e5) / 10;
      results.export_rss_before_mb = Math.round(before);
      results.export_rss_peak_mb = Math.round(peak);
    }
  } finally {
    await db.end();
    await app.stop();
    await dropDatabase(f.databaseUrl);
  }
  const dir = resolve(__dirname, '..', '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `fleet-ops-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(results, null, 2) + '\n');
  for (const [k, v] of Object.entries(results)) process.stdout.write(`${k.padEnd(24)} ${v}\n`);
  process.stdout.write(`written to ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
