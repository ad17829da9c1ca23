import { DataSource } from 'typeorm';

/**
 * The SQL TypeORM would generate to bring the database in line with the entities. After all
 * migrations have run this must be empty: anything here means entities and migrations drifted.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}
