import { CHECKED_STATES, type MonitoringState } from './monitoring-state';

/** The states an uptime report shares time between; UNKNOWN (never checked) counts in none. */
export const UPTIME_STATES = [...CHECKED_STATES, 'MAINTENANCE'] as const;
export type UptimeState = (typeof UPTIME_STATES)[number];

/** A host's state from `at` (ms) on, until its next change. */
export interface StateChange {
  at: number;
  state: MonitoringState;
}

export type StateDurations = Record<UptimeState, number>;

export interface Uptime {
  /** The share of the counted time in each state; they sum to 1 (all 0 when none counted). */
  shares: StateDurations;
  /**
   * HEALTHY time over the time in HEALTHY, DEGRADED, CRITICAL and DOWN: MAINTENANCE is out of
   * the denominator. Null when no such time was counted (a window spent in maintenance).
   */
  availability: number | null;
}

export function emptyDurations(): StateDurations {
  return { HEALTHY: 0, DEGRADED: 0, CRITICAL: 0, DOWN: 0, MAINTENANCE: 0 };
}

/**
 * Time spent in each state within [from, to), from a host's changes in time order (the last
 * change before `from` first, if any: it gives the state the window opens in). Time before the
 * first change (the host did not exist yet) and time in UNKNOWN count in no state.
 */
export function timeInStates(
  changes: readonly StateChange[],
  from: number,
  to: number,
): StateDurations {
  const out = emptyDurations();
  for (let i = 0; i < changes.length; i++) {
    const start = Math.max(changes[i].at, from);
    const end = Math.min(i + 1 < changes.length ? changes[i + 1].at : to, to);
    const state = changes[i].state;
    if (end > start && state !== 'UNKNOWN') out[state] += end - start;
  }
  return out;
}

/** Durations (of one host, or summed over many) as shares and availability. */
export function uptimeOf(durations: StateDurations): Uptime {
  const total = UPTIME_STATES.reduce((sum, s) => sum + durations[s], 0);
  const shares = emptyDurations();
  if (total > 0) {
    for (const s of UPTIME_STATES) shares[s] = durations[s] / total;
  }
  const checked = total - durations.MAINTENANCE;
  return { shares, availability: checked > 0 ? durations.HEALTHY / checked : null };
}
