import type { MonitoringState, Policy } from '../core/api/api-types';
import { formatDuration } from './format';

/**
 * What a state means and how often a host in it is checked, from the policy in force (the
 * defaults until it has been read).
 */
export function stateDescription(state: string | null | undefined, policy: Policy | null): string {
  const every = (s: Exclude<MonitoringState, 'UNKNOWN' | 'MAINTENANCE'>) => {
    const seconds = policy?.intervals_seconds[s] ?? DEFAULT_INTERVALS[s];
    return `checked every ${formatDuration(seconds)}`;
  };
  switch (state) {
    case 'HEALTHY':
      return `Reachable; ${every('HEALTHY')}`;
    case 'DEGRADED':
      return `Failed its last check; ${every('DEGRADED')}`;
    case 'CRITICAL':
      return `Failed repeatedly; ${every('CRITICAL')}, first in the queue`;
    case 'DOWN':
      return `Failed ${policy?.thresholds.down_after_failures ?? 3} times or more in a row; ${every('DOWN')}`;
    case 'MAINTENANCE':
      return 'Not checked until taken out of maintenance';
    default:
      return 'Never checked yet: due at once';
  }
}

const DEFAULT_INTERVALS = { HEALTHY: 1800, DEGRADED: 300, CRITICAL: 120, DOWN: 1800 };
