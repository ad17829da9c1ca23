import type { DataSource, EntityManager } from 'typeorm';

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs one statement of the per-check path as a named prepared statement, straight on the pg
 * pool under TypeORM: Postgres parses and plans it once per connection rather than per check,
 * and no query runner is built around it. Errors are pg's own (`code` is the SQLSTATE).
 * Only for fixed statement texts: each name must always go with the same text.
 */
export async function preparedQuery<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  if (!pool) return dataSource.query(text, values);
  const result = await pool.query({ name, text, values });
  return result.rows as T[];
}

/**
 * preparedQuery inside a transaction: the statement runs on the transaction's own connection
 * (its query runner's pg client), as a named prepared statement of that connection.
 */
export async function preparedQueryIn<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error(`preparedQueryIn(${name}) needs a transaction's entity manager`);
  const client = (await runner.connect()) as Partial<PgPool> | undefined;
  if (!client || typeof client.query !== 'function') return manager.query(text, values);
  const result = await client.query({ name, text, values });
  return result.rows as T[];
}

/** The SQLSTATE of a database error, whether pg's own or wrapped by TypeORM. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}
