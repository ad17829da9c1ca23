/**
 * When the next check is due. How it is worded for API users (check_interval_info,
 * current_status) lives with the responses: monitoring/check-interval.mapper.ts and
 * hosts/host-status.mapper.ts.
 */
import type { MonitoringState } from './monitoring-state';
import type { MonitoringPolicy } from './policy';

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
