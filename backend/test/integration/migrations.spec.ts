import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/data-source';
import { pendingSchemaChanges } from '../../src/database/schema-drift';
import { insertHost, insertHosts } from '../support/host-rows';
import { testDatabaseUrl } from '../support/test-env';

describe('migrations', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource(testDatabaseUrl(), 2);
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('leave nothing for TypeORM to generate: entities and migrations agree', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('create the partial index that serves the producer claim', async () => {
    const rows = await dataSource.query(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'host_status' AND indexname = 'idx_host_status_due'`,
    );
    expect(rows[0].indexdef).toMatch(/WHERE .*is_active.*MAINTENANCE/);
  });

  it('keep the number of hosts exact through inserts, deletes and truncation', async () => {
    const total = async () =>
      Number((await dataSource.query('SELECT hosts FROM host_totals'))[0].hosts);
    const count = async () =>
      Number((await dataSource.query('SELECT count(*) AS n FROM hosts'))[0].n);
    await dataSource.query('TRUNCATE hosts CASCADE');
    expect(await total()).toBe(0);
    await insertHosts(
      dataSource,
      ['hostname'],
      `SELECT 'total-' || g FROM generate_series(1, 5) g`,
    );
    await dataSource.query(`DELETE FROM hosts WHERE hostname IN ('total-1', 'total-2')`);
    await insertHost(dataSource, { hostname: 'total-9' });
    expect(await total()).toBe(4);
    expect(await total()).toBe(await count());
    // Rolled back with the transaction that inserted them.
    await dataSource
      .transaction(async (tx) => {
        await insertHost(tx, { hostname: 'total-10' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await total()).toBe(4);
    // Emptied along with a table they reference.
    await dataSource.query('TRUNCATE credentials CASCADE');
    expect(await total()).toBe(0);
    expect(await count()).toBe(0);
  });
});
