import type { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE (or DELETE) ... RETURNING and gives back the returned rows. TypeORM answers
 * such statements with `[rows, affected count]`, unlike a SELECT or an INSERT.
 */
export async function updateReturning<T>(
  manager: Pick<EntityManager, 'query'>,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const [rows] = (await manager.query(sql, params)) as [T[], number];
  return rows;
}
