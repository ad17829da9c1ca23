import { formatDuration } from './format';

type Status = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * When live updates stopped, after a status change: kept while the stream stays down (the
 * first failure dates the data), cleared once it is open again.
 */
export function lostSince(previous: number | null, status: Status, now: number): number | null {
  if (status === 'open') return null;
  if (status === 'connecting') return previous;
  return previous ?? now;
}

/** The stale-data warning, or null while live updates flow. */
export function staleNotice(lostAt: number | null, now: number): string | null {
  if (lostAt === null) return null;
  const age = formatDuration(Math.max(0, now - lostAt) / 1000);
  return `Live updates stopped ${age} ago: states shown here may be out of date. Reconnecting…`;
}
