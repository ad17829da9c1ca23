/** Bench databases: created fresh and migrated, hosts inserted in bulk (not through the API). */
import { Client } from 'pg';
import { createDataSource } from '../../backend/src/data-source';
import { ensureDatabase, runMigrations } from '../../backend/src/database/ensure-database';

export async function freshDatabase(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
  const ds = createDataSource(url, 2);
  await ds.initialize();
  try {
    await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function databaseExists(url: string): Promise<boolean> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

export interface HostRow {
  hostname: string;
  address: string;
  port: number;
  /** When the host first comes due. */
  dueAt: Date;
}

/** Inserts hosts as the API would leave them (UNKNOWN, priority 7), 10,000 per statement. */
export async function insertHosts(
  db: Client,
  hosts: HostRow[],
  credentialId: string | null,
): Promise<void> {
  for (let i = 0; i < hosts.length; i += 10000) {
    const slice = hosts.slice(i, i + 10000);
    await db.query(
      `WITH t AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $5::timestamptz[]) AS t(h, a, p, d)
       ), inventory AS (
         INSERT INTO hosts (hostname, ip_address, port, credential_id, tags)
         SELECT h, a, p, $4::uuid, '{bench}' FROM t
         RETURNING id, hostname
       )
       INSERT INTO host_status (host_id, next_check_at)
       SELECT i.id, t.d FROM inventory i JOIN t ON t.h = i.hostname`,
      [
        slice.map((h) => h.hostname),
        slice.map((h) => h.address),
        slice.map((h) => h.port),
        credentialId,
        slice.map((h) => h.dueAt.toISOString()),
      ],
    );
  }
}

/**
 * Empties hosts and history between measurements, and with them every table that refers to a
 * host (alerts and their events and deliveries, whose foreign keys refuse a plain TRUNCATE). Checks still in flight from the previous one
 * may hold row locks: a deadlock or lock timeout is retried.
 */
export async function clearHosts(db: Client): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.query("SET lock_timeout = '5s'");
      await db.query('TRUNCATE host_check_history, host_status, hosts CASCADE');
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 10 || (code !== '40P01' && code !== '55P03')) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export async function countChecks(db: Client): Promise<number> {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM host_check_history');
  return rows[0].n as number;
}
