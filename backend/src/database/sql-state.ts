/** The SQLSTATE of a database error, whether pg's own or wrapped by TypeORM. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * An error that says PostgreSQL could not be reached or is going down (refused or dropped
 * connection, admin shutdown, still starting up), as opposed to one it answered a query with.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state && (/^08/.test(state) || state === '57P01' || state === '57P02' || state === '57P03')) {
    return true;
  }
  const message = (error as Error)?.message ?? '';
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection terminated|terminating connection|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|Client has encountered a connection error/i.test(
    message,
  );
}
