import type { Stats } from '../api/api-types';

/**
 * The console's banner while Redis is away: "queue unavailable: checks paused since 10:42",
 * from the stats' `queue.unavailable_since`; null while the queue answers.
 */
export function queueOutageText(stats: Stats | null, timeZone?: string): string | null {
  const since = stats?.queue.unavailable_since;
  if (!since) return null;
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(since));
  return `queue unavailable: checks paused since ${time}`;
}
