import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** The per-run database made by global-setup. */
export function testDatabaseUrl(): string {
  const url = process.env.HOSTWATCH_TEST_DATABASE_URL;
  if (!url)
    throw new Error('HOSTWATCH_TEST_DATABASE_URL is not set: run through jest (global-setup)');
  return url;
}

export function testRedisUrl(): string {
  return process.env.HOSTWATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A Redis key prefix of its own for one spec, under the run's prefix (cleaned by teardown). */
export function testQueuePrefix(): string {
  const base = process.env.HOSTWATCH_TEST_QUEUE_PREFIX ?? `hwtest_${process.pid}`;
  return `${base}_${randomUUID().slice(0, 8)}`;
}

/** Alerts, their outbox and everything notifications keep. */
export const ALERTING_TABLES =
  'alerts, alert_events, notification_channels, notification_rules, notification_groups, ' +
  'notification_group_items, notification_messages, notification_deliveries';

/**
 * Empties the monitoring tables and the audit log. Users, sessions and API tokens stay, so
 * the tokens a spec holds keep working (truncateUsers empties those too).
 */
export async function truncateAll(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `TRUNCATE host_check_history, hosts, credentials, monitoring_settings, audit_log, maintenance_windows, ${ALERTING_TABLES} RESTART IDENTITY CASCADE`,
  );
  await dataSource.query(RESET_ROLLUP);
}

/** The daily rollup's mark: its rows went with the hosts (CASCADE), so none is rolled up. */
const RESET_ROLLUP = 'UPDATE host_state_rollup SET rolled_until = NULL';

/** Empties users with their sessions and API tokens (the next app start makes the admin again). */
export async function truncateUsers(dataSource: DataSource): Promise<void> {
  await dataSource.query('TRUNCATE api_tokens, refresh_tokens, auth_sessions, users CASCADE');
}

/** The first admin every test app gets (ADMIN_USERNAME/ADMIN_PASSWORD), so no password is generated. */
export const TEST_ADMIN = { username: 'admin', password: 'test-admin-password-7Qx' };

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: testQueuePrefix(),
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    PORT: '0',
    // Warnings from paths specs provoke on purpose stay out of a passing run's output;
    // TEST_LOG_LEVEL=warn (or log, debug) shows them. Specs that read logs set their own.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    JWT_SECRET: 'test-jwt-secret-0123456789abcdefghijklmnop',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ...overrides,
  };
}

/**
 * Empties the tables before an app starts (its first producer tick reads settings and due
 * hosts at boot, so a spec that needs a clean slate must clean before, not after).
 */
export async function cleanDatabase(): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(
      `TRUNCATE host_check_history, hosts, credentials, monitoring_settings, audit_log, api_tokens, refresh_tokens, auth_sessions, users, ${ALERTING_TABLES} RESTART IDENTITY CASCADE`,
    );
    await client.query(RESET_ROLLUP);
  } finally {
    await client.end();
  }
}
