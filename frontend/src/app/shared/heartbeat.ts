/** A heartbeat strip: a host's latest results as coloured ticks, oldest left, newest right. */

export interface HeartbeatResult {
  check_time: string;
  success: boolean;
  state: string;
  response_time_ms: number | null;
  error_type?: string | null;
}

export interface HeartbeatTick {
  kind: 'up' | 'down' | 'none';
  /** What the tick says to a screen reader or on hover. */
  title: string;
}

/** How many results a strip shows. */
export const HEARTBEAT_SIZE = 30;

/**
 * Ticks for results given newest first (as the API answers), padded on the left with empty
 * ticks so that strips of hosts with fewer results line up.
 */
export function heartbeatTicks(
  newestFirst: readonly HeartbeatResult[],
  size = HEARTBEAT_SIZE,
): HeartbeatTick[] {
  const shown = newestFirst.slice(0, size).reverse();
  const padding: HeartbeatTick[] = Array.from({ length: size - shown.length }, () => ({
    kind: 'none',
    title: 'no check',
  }));
  return [
    ...padding,
    ...shown.map((r): HeartbeatTick => {
      const at = `${r.check_time.slice(0, 19).replace('T', ' ')} UTC`;
      return r.success
        ? {
            kind: 'up',
            title: `${at}: ok${r.response_time_ms === null ? '' : ` in ${Math.round(r.response_time_ms)} ms`}`,
          }
        : { kind: 'down', title: `${at}: ${(r.error_type ?? 'failed').replace(/_/g, ' ')}` };
    }),
  ];
}

/** Share of successful checks among these results, in percent (null without any). */
export function uptimePercent(results: readonly { success: boolean }[]): number | null {
  if (results.length === 0) return null;
  const ok = results.filter((r) => r.success).length;
  return (ok / results.length) * 100;
}

/** "100%", "99.9%", "96.7%", "—": one decimal, never rounded up to 100. */
export function formatPercent(percent: number | null): string {
  if (percent === null) return '—';
  if (percent >= 100) return '100%';
  return `${(Math.floor(percent * 10) / 10).toFixed(1)}%`;
}

/** "3 up, 1 down of the last 4 checks": the strip in words, for its accessible label. */
export function heartbeatSummary(newestFirst: readonly HeartbeatResult[], size = HEARTBEAT_SIZE) {
  const shown = newestFirst.slice(0, size);
  if (shown.length === 0) return 'no checks yet';
  const up = shown.filter((r) => r.success).length;
  return `${up} up, ${shown.length - up} down of the last ${shown.length} check${shown.length === 1 ? '' : 's'}`;
}
