/**
 * What /health/live and /health/ready report, per component: up or down, and for a down one
 * what is wrong. Pure, so the rules are tested without a database.
 */
export type ComponentStatus =
  | { status: 'up'; [detail: string]: unknown }
  | {
      status: 'down';
      message: string;
      [detail: string]: unknown;
    };

/** Migrations the code has that the database has not recorded as applied. */
export function pendingMigrations(known: readonly string[], applied: readonly string[]): string[] {
  const done = new Set(applied);
  return known.filter((name) => !done.has(name));
}

export function migrationsStatus(
  known: readonly string[],
  applied: readonly string[],
): ComponentStatus {
  const pending = pendingMigrations(known, applied);
  if (pending.length === 0) return { status: 'up', applied: known.length };
  return {
    status: 'down',
    message: `${pending.length} migration(s) not applied: ${pending.join(', ')}; restart one process to apply them`,
    pending,
  };
}

/** How far the event loop lagged behind a timer; over the limit, the process is not live. */
export function eventLoopStatus(lagMs: number, limitMs: number): ComponentStatus {
  const lag = Math.round(lagMs);
  return lag <= limitMs
    ? { status: 'up', lag_ms: lag }
    : { status: 'down', message: `event loop lags ${lag} ms (limit ${limitMs} ms)`, lag_ms: lag };
}
