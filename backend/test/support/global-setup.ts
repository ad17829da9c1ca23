import { ensureDatabase, runMigrations } from '../../src/database/ensure-database';
import { createDataSource } from '../../src/data-source';

/**
 * One fresh database per test run (migrated from empty) and one Redis key prefix per run,
 * so runs never collide and leave nothing behind (global-teardown drops the database).
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  if (process.env.HOSTWATCH_TEST_DATABASE_URL) return; // the other jest project set it up
  const base = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const name = `hostwatch_test_${Date.now()}_${process.pid}`;
  const url = `${base.replace(/\/$/, '')}/${name}`;
  await ensureDatabase(url);
  const dataSource = createDataSource(url, 2);
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env.HOSTWATCH_TEST_DATABASE_URL = url;
  process.env.HOSTWATCH_TEST_QUEUE_PREFIX = `hwtest_${Date.now()}_${process.pid}`;
  process.env.HOSTWATCH_TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}
