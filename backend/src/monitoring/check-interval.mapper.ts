/**
 * The API's check_interval_info: how often a host in a state is checked, in words. Response
 * wording, so it lives beside the responses; the interval itself comes from the state machine.
 */
import { intervalSeconds, type MonitoringPolicy, type MonitoringState } from '../state-machine';

export interface IntervalInfo {
  seconds: number | null;
  minutes: number | null;
  description: string;
}

const STATE_LABELS: Record<MonitoringState, string> = {
  HEALTHY: 'Stable',
  DEGRADED: 'Showing issues',
  CRITICAL: 'Repeated failures',
  DOWN: 'Confirmed down',
  UNKNOWN: 'Never checked',
  MAINTENANCE: 'In maintenance',
};

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const whole = Math.floor(seconds / 60);
  const rest = seconds - whole * 60;
  return rest === 0 ? `${whole} min` : `${whole} min ${rest} s`;
}

/** The API's check_interval_info. `minutes` is rounded to 2 decimals (30 s -> 0.5). */
export function describeInterval(state: MonitoringState, policy: MonitoringPolicy): IntervalInfo {
  const label = STATE_LABELS[state];
  const seconds = intervalSeconds(state, policy);
  if (seconds === null)
    return { seconds: null, minutes: null, description: `${label} - not checked` };
  if (seconds === 0) return { seconds: 0, minutes: 0, description: `${label} - due at once` };
  return {
    seconds,
    minutes: Math.round((seconds / 60) * 100) / 100,
    description: `${label} - ${formatDuration(seconds)} checks`,
  };
}
