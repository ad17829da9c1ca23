/** Formatting the console shares; pure functions that take "now" as an argument. */

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "3 min 20 s", "2 h 5 min", "4 d 2 h": the two largest units. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length === 0 && size === 1)) parts.push(`${n} ${name}`);
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** "in 4 min 10 s", "12 s ago", "now", or "—" when there is no time. */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const seconds = (t - now) / 1000;
  if (Math.abs(seconds) < 1) return 'now';
  return seconds > 0 ? `in ${formatDuration(seconds)}` : `${formatDuration(-seconds)} ago`;
}

/**
 * "12 s ago" for something that has happened. Anything within the last second, or ahead of
 * this browser's clock (the server's clock may run a little ahead), reads "just now", never
 * "in 2 s".
 */
export function formatSince(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const seconds = (now - t) / 1000;
  return seconds < 1 ? 'just now' : `${formatDuration(seconds)} ago`;
}

/** "2 h 14 min": how long since a time that has passed (0 s for one ahead of the clock). */
export function formatElapsed(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '—' : formatDuration((now - t) / 1000);
}

/** Countdown to the next check: overdue says by how much (the scheduler may be off). */
export function formatCountdown(iso: string | null | undefined, now: number): string {
  if (!iso) return 'not scheduled';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'not scheduled';
  const seconds = (t - now) / 1000;
  if (seconds >= 1) return `in ${formatDuration(seconds)}`;
  if (seconds > -5) return 'due now';
  return `overdue by ${formatDuration(-seconds)}`;
}

/** "2026-11-28 21:04:05 UTC": absolute, unambiguous, for tooltips and history. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Humanises probe error types: `auth_failed` → "auth failed". */
export function formatErrorType(type: string | null | undefined): string {
  return type ? type.replace(/_/g, ' ') : '—';
}

/** "HEALTHY → DEGRADED" style transitions in words. */
export function formatInterval(seconds: number): string {
  return formatDuration(seconds);
}
