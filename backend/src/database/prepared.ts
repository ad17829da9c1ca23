import type { EntityManager } from 'typeorm';

/** What a pg connection offers for a named statement. */
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement of the per-check path as a named prepared statement on the connection of
 * the caller's transaction (QueryRunner#connect gives the pool's connection it holds), so that
 * Postgres parses and plans it once per connection rather than per batch, and its text is not
 * sent again. Only for fixed texts: each name must always go with the same text. Errors are
 * pg's own (`code` is the SQLSTATE). Rows come back as they are, for SELECT, INSERT and UPDATE
 * alike.
 */
export async function prepared<T>(
  tx: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = tx.queryRunner;
  if (!runner) throw new Error(`prepared statement ${name}: needs a transaction's manager`);
  const connection = (await runner.connect()) as PgConnection;
  return (await connection.query({ name, text, values })).rows as T[];
}
