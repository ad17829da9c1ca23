import { formatCountdown } from './format';

export interface Schedulable {
  is_active: boolean;
  monitoring_state: string;
  next_check_at: string | null;
}

/**
 * When a host is checked next, in words: an inactive host or one in maintenance is never
 * scheduled, whatever its stale next_check_at says.
 */
export function describeNextCheck(host: Schedulable, now: number): string {
  if (!host.is_active) return 'not scheduled: inactive';
  if (host.monitoring_state === 'MAINTENANCE') return 'not scheduled: maintenance';
  return formatCountdown(host.next_check_at, now);
}
