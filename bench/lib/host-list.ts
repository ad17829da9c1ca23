/**
 * The host list at scale: GET /api/hosts's query (HostsService.list, the SQL and the row
 * mapping) with the console's common queries over 100,000 hosts generated inside Postgres
 * (generate_series), in a database of its own that is dropped at the end.
 */
import { createDataSource } from '../../backend/src/data-source';
import { HostsRepository } from '../../backend/src/hosts/hosts.repository';
import { toHostResponse } from '../../backend/src/hosts/hosts.service';
import type { HostListFilter } from '../../backend/src/hosts/hosts.repository';
import { connect, dropDatabase, freshDatabase } from './db';
import { percentile } from './procs';

export interface HostListQueryResult {
  name: string;
  p50Ms: number;
  p99Ms: number;
  total: number;
  rows: number;
  plan: string;
}

export interface HostListResult {
  hosts: number;
  samples: number;
  generatedSeconds: number;
  queries: HostListQueryResult[];
}

const page = (n: number, size = 25) => ({ offset: (n - 1) * size, limit: size });

/** The console's common host-list queries (page size 25, its default). */
export function consoleQueries(hosts: number): Array<{ name: string; filter: HostListFilter }> {
  const lastPage = Math.ceil(hosts / 25);
  return [
    { name: 'first page by hostname', filter: { sort: 'hostname', order: 'asc', ...page(1) } },
    {
      name: 'sort by state',
      filter: { sort: 'monitoring_state', order: 'asc', ...page(1) },
    },
    {
      name: 'sort by last check, newest first',
      filter: { sort: 'last_check_at', order: 'desc', ...page(1) },
    },
    {
      name: 'sort by response time, slowest first',
      filter: { sort: 'response_time_ms', order: 'desc', ...page(1) },
    },
    {
      name: 'state filter DEGRADED,CRITICAL',
      filter: { states: ['DEGRADED', 'CRITICAL'], sort: 'hostname', order: 'asc', ...page(1) },
    },
    {
      name: 'tag filter (1 % of hosts)',
      filter: { tag: 'db', sort: 'hostname', order: 'asc', ...page(1) },
    },
    {
      name: 'tag filter (every host)',
      filter: { tag: 'prod', sort: 'hostname', order: 'asc', ...page(1) },
    },
    {
      name: 'text search "web-0042"',
      filter: { text: 'web-0042', sort: 'hostname', order: 'asc', ...page(1) },
    },
    {
      name: 'text search "10.1.2"',
      filter: { text: '10.1.2', sort: 'hostname', order: 'asc', ...page(1) },
    },
    {
      name: 'middle page by hostname',
      filter: { sort: 'hostname', order: 'asc', ...page(Math.ceil(lastPage / 2)) },
    },
    {
      name: 'deep page (the last) by hostname',
      filter: { sort: 'hostname', order: 'asc', ...page(lastPage) },
    },
    {
      name: 'deep page (the last) by last check, newest first',
      filter: { sort: 'last_check_at', order: 'desc', ...page(lastPage) },
    },
  ];
}

/**
 * Inserts $1 hosts inside Postgres: names like web-000042 / db-000042 (every 100th is db-; a
 * digit more from 1,000,000 hosts on),
 * addresses 10.x.y.z, a realistic spread of states (every 20th DEGRADED, then every 50th + 1
 * CRITICAL, every 97th DOWN, every 211th MAINTENANCE), last checks over the past hour, response
 * times 5-500 ms, tags {prod,db} or {prod,web}. Also used by the console's browser spec.
 */
export const GENERATE_HOSTS_SQL = `WITH gen AS (
    SELECT CASE WHEN g % 100 = 0 THEN 'db-' ELSE 'web-' END
             || lpad(g::text, greatest(6, length($1::int::text)), '0') AS hostname,
           '10.' || (g >> 16) % 256 || '.' || (g >> 8) % 256 || '.' || g % 256 AS ip_address,
           CASE WHEN g % 100 = 0 THEN '{prod,db}'::text[] ELSE '{prod,web}'::text[] END AS tags,
           s.state, s.priority,
           now() + (g % 1800) * interval '1 second' AS next_check_at,
           CASE WHEN g % 997 = 0 THEN NULL
                ELSE now() - (g::bigint * 7919 % 3600) * interval '1 second' END AS last_check_at,
           CASE WHEN g % 997 = 0 THEN NULL ELSE 5 + (g::bigint * 104729) % 496 END AS response_time_ms
      FROM generate_series(1, $1::int) g
      CROSS JOIN LATERAL (
        SELECT CASE WHEN g % 20 = 0 THEN 'DEGRADED' WHEN g % 50 = 1 THEN 'CRITICAL'
                    WHEN g % 97 = 0 THEN 'DOWN' WHEN g % 211 = 0 THEN 'MAINTENANCE'
                    ELSE 'HEALTHY' END AS state,
               CASE WHEN g % 20 = 0 THEN 6 WHEN g % 50 = 1 THEN 9 ELSE 3 END AS priority) s
  ), inventory AS (
    INSERT INTO hosts (hostname, ip_address, port, tags)
    SELECT hostname, ip_address, 22, tags FROM gen
    RETURNING id, hostname
  )
  INSERT INTO host_status (host_id, monitoring_state, check_priority, next_check_at, last_check_at,
                           response_time_ms)
  SELECT i.id, g.state, g.priority, g.next_check_at, g.last_check_at, g.response_time_ms
    FROM inventory i JOIN gen g ON g.hostname = i.hostname`;

async function generate(url: string, hosts: number): Promise<void> {
  const db = await connect(url);
  try {
    await db.query(GENERATE_HOSTS_SQL, [hosts]);
    await db.query('VACUUM ANALYZE hosts');
    await db.query('VACUUM ANALYZE host_status');
  } finally {
    await db.end();
  }
}

export async function measureHostList(
  url: string,
  hosts = 100_000,
  samples = 30,
  log: (line: string) => void = () => undefined,
): Promise<HostListResult> {
  log(`generating ${hosts} hosts inside Postgres…`);
  const t0 = Date.now();
  await freshDatabase(url);
  await generate(url, hosts);
  const generatedSeconds = (Date.now() - t0) / 1000;
  const ds = createDataSource(url, 2);
  await ds.initialize();
  const repo = new HostsRepository(ds);
  const queries: HostListQueryResult[] = [];
  try {
    for (const { name, filter } of consoleQueries(hosts)) {
      const times: number[] = [];
      let total = 0;
      let rows = 0;
      // Two warm-up runs (plan cache, buffers), then the samples.
      for (let i = 0; i < samples + 2; i++) {
        const start = process.hrtime.bigint();
        const result = await repo.list(filter);
        result.items.map(toHostResponse);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (i >= 2) times.push(ms);
        total = result.total;
        rows = result.items.length;
      }
      const plan = await repo.explainList(filter);
      times.sort((a, b) => a - b);
      queries.push({
        name,
        p50Ms: percentile(times, 50),
        p99Ms: percentile(times, 99),
        total,
        rows,
        plan,
      });
      log(
        `  ${name}: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (total ${total})`,
      );
    }
  } finally {
    await ds.destroy();
    await dropDatabase(url);
  }
  return { hosts, samples, generatedSeconds, queries };
}
