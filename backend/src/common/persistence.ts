import { ConflictException, NotFoundException } from '@nestjs/common';

/** PostgreSQL's unique_violation SQLSTATE. */
const UNIQUE_VIOLATION = '23505';

/** Whether a TypeORM error is a unique-constraint violation (a name already taken, say). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION;
}

/**
 * Runs a save; a unique violation (another request took the name between our check and the
 * write) becomes a 409 with `message`. Any other error passes through unchanged.
 */
export async function saveOrConflict<T>(save: () => Promise<T>, message: string): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictException(message);
    throw error;
  }
}

/** Runs a lookup; nothing found becomes a 404 with `message`. */
export async function findOrNotFound<T>(
  find: () => Promise<T | null | undefined>,
  message: string,
): Promise<T> {
  const found = await find();
  if (found === null || found === undefined) throw new NotFoundException(message);
  return found;
}
