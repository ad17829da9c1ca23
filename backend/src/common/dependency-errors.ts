/**
 * What an error says about the services hostwatch depends on: that Redis or PostgreSQL could
 * not be reached (as opposed to an answer it gave). Callers stay quiet about these, since
 * DependencyStatus logs an outage once, and the API answers 503 rather than 500.
 */
/** An error that says Redis could not be reached (not one that Redis answered with). */
export function isRedisUnavailable(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection is closed|Stream isn't writeable|enableOfflineQueue|no answer within|MaxRetriesPerRequest|All sentinels are unreachable|LOADING|READONLY|MASTERDOWN/i.test(
    message,
  );
}

/**
 * An error that says PostgreSQL could not be reached or is going down (refused or dropped
 * connection, admin shutdown, still starting up), as opposed to one it answered a query with.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  const state = typeof code === 'string' ? code : undefined;
  if (state && (/^08/.test(state) || state === '57P01' || state === '57P02' || state === '57P03')) {
    return true;
  }
  const message = (error as Error)?.message ?? '';
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection terminated|terminating connection|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|Client has encountered a connection error/i.test(
    message,
  );
}
