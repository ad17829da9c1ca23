import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/data-source';
import { pendingSchemaChanges } from '../../src/database/schema-drift';
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
});
