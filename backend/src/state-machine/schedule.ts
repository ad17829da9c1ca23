/**
 * When the next check is due, and how the interval is described to API users.
 */
import type { MonitoringState } from './monitoring-state';
import type { MonitoringPolicy } from './policy';

export type HostStatus = 'online' | 'degraded' | 'critical' | 'offline' | 'maintenance' | 'unknown';

export interface IntervalInfo {
  seconds: number | null;
  minutes: number | null;
  description: string;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/**
 * Deterministic value in [-1, 1] for a seed (a host id): FNV-1a 32-bit over the UTF-8 bytes,
 * followed by a murmur3-style finaliser so that ids differing only in their last character
 * (host-1, host-2, ...) still land far apart.
 */
export function jitterFraction(seed: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8.encode(seed)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return ((hash >>> 0) / 0xffffffff) * 2 - 1;
}

/** Seconds between checks: the policy interval for checked states, 0 for UNKNOWN, null for MAINTENANCE. */
export function intervalSeconds(state: MonitoringState, policy: MonitoringPolicy): number | null {
  switch (state) {
    case 'UNKNOWN':
      return 0;
    case 'MAINTENANCE':
      return null;
    default:
      return policy.intervals_seconds[state];
  }
}

/**
 * UNKNOWN is due at `now`; MAINTENANCE is never scheduled (null); otherwise
 * now + interval * (1 + jitter_ratio * jitterFraction(seed)), rounded to whole milliseconds
 * and never before `now`.
 */
export function nextCheckAt(
  state: MonitoringState,
  now: Date,
  seed: string,
  policy: MonitoringPolicy,
): Date | null {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('nextCheckAt: `now` is an invalid Date');
  const seconds = intervalSeconds(state, policy);
  if (seconds === null) return null;
  if (seconds === 0) return new Date(nowMs);
  const delayMs = Math.round(seconds * 1000 * (1 + policy.jitter_ratio * jitterFraction(seed)));
  return new Date(nowMs + Math.max(0, delayMs));
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

const STATUSES: Record<MonitoringState, HostStatus> = {
  HEALTHY: 'online',
  DEGRADED: 'degraded',
  CRITICAL: 'critical',
  DOWN: 'offline',
  MAINTENANCE: 'maintenance',
  UNKNOWN: 'unknown',
};

export function currentStatus(state: MonitoringState): HostStatus {
  return STATUSES[state];
}
