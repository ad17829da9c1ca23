import type { DataSource } from 'typeorm';

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

/** The SQLSTATE of a database error, whether pg's own or wrapped by TypeORM. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}
