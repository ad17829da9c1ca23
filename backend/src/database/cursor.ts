import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * The rows of a query, `batch` at a time, read through a server-side cursor: however many rows
 * the query has, the process holds one batch. The next batch is fetched only when the caller
 * asks for it, so a consumer that waits (a slow HTTP client) holds the reading back too. The
 * cursor lives in a read-only REPEATABLE READ transaction on a connection of its own (one
 * snapshot for the whole read), closed when the caller stops, at the end or on a break.
 */
export async function* cursorBatches<T>(
  dataSource: DataSource,
  sql: string,
  params: unknown[],
  batch = 1000,
): AsyncGenerator<T[]> {
  const runner = dataSource.createQueryRunner('slave');
  await runner.connect();
  const name = `hostwatch_export_${randomBytes(6).toString('hex')}`;
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await runner.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const rows: T[] = await runner.query(`FETCH ${batch} FROM ${name}`);
      if (rows.length === 0) break;
      yield rows;
      if (rows.length < batch) break;
    }
  } finally {
    await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}
