/**
 * What a policy means for hosts already scheduled: per state, the queue priority and the check
 * interval to bring them in line with. Checked states get both; UNKNOWN its priority (it is due
 * at once anyway); MAINTENANCE nothing (it is not scheduled).
 */
import { CHECKED_STATES, type MonitoringState } from './monitoring-state';
import type { MonitoringPolicy } from './policy';
import { priorityFor } from './priority';
import { intervalSeconds } from './schedule';

export interface StatePricing {
  state: MonitoringState;
  /** API scale, 0..9. */
  priority: number;
  /** Null: next checks of hosts in this state are left as they are. */
  intervalSeconds: number | null;
}

export function schedulePricing(policy: MonitoringPolicy): StatePricing[] {
  return [
    ...CHECKED_STATES.map((state) => ({
      state,
      priority: priorityFor(state, policy),
      intervalSeconds: intervalSeconds(state, policy),
    })),
    { state: 'UNKNOWN' as const, priority: priorityFor('UNKNOWN', policy), intervalSeconds: null },
  ];
}
