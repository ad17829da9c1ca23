import type { MonitoringState } from '../core/api/api-types';

/** States worst first: the order of "worst first" lists, tiles and the wallboard. */
export const SEVERITY_ORDER: readonly MonitoringState[] = [
  'DOWN',
  'CRITICAL',
  'DEGRADED',
  'UNKNOWN',
  'HEALTHY',
  'MAINTENANCE',
];

/** The states that count as failing now (the dashboard's panel, the wallboard). */
export const FAILING_STATES: readonly MonitoringState[] = ['DOWN', 'CRITICAL', 'DEGRADED'];

/** Rank of a state, 0 for the worst; an unknown name sorts with UNKNOWN. */
export function severityRank(state: string | null | undefined): number {
  const i = SEVERITY_ORDER.indexOf((state ?? 'UNKNOWN') as MonitoringState);
  return i === -1 ? SEVERITY_ORDER.indexOf('UNKNOWN') : i;
}

export function isFailing(state: string | null | undefined): boolean {
  return FAILING_STATES.includes(state as MonitoringState);
}

/**
 * Worst first, then the one failing longest first (an unknown start last), then by name, so
 * the order never jumps between reads.
 */
export function worstAndOldestFirst<
  T extends { state: string; since: string | null; name: string },
>(items: readonly T[]): T[] {
  const time = (iso: string | null) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);
  return [...items].sort(
    (a, b) =>
      severityRank(a.state) - severityRank(b.state) ||
      time(a.since) - time(b.since) ||
      a.name.localeCompare(b.name),
  );
}
