/** Whether opening a host's page checks it now, or shows its last result. */

/** A result younger than this is fresh enough to show without a new check. */
export const FRESH_WINDOW_MS = 60_000;

export interface OpenedHost {
  is_active: boolean;
  monitoring_state: string;
  last_check_at: string | null;
}

export type OpenDecision =
  { check: true } | { check: false; why: 'viewer' | 'inactive' | 'maintenance' | 'fresh' };

/**
 * Only an active host outside maintenance whose last result is older than the fresh window
 * (or missing) is checked on open, and only for someone allowed to queue checks: viewing a
 * page must not spend the caller's rate limit nor write audit rows for nothing.
 */
export function checkOnOpen(
  host: OpenedHost,
  now: number,
  canCheck: boolean,
  freshMs = FRESH_WINDOW_MS,
): OpenDecision {
  if (!canCheck) return { check: false, why: 'viewer' };
  if (!host.is_active) return { check: false, why: 'inactive' };
  if (host.monitoring_state === 'MAINTENANCE') return { check: false, why: 'maintenance' };
  const last = host.last_check_at ? Date.parse(host.last_check_at) : NaN;
  if (!Number.isNaN(last) && now - last < freshMs) return { check: false, why: 'fresh' };
  return { check: true };
}
