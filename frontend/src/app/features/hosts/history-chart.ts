import type { ChartConfiguration } from 'chart.js';
import type { HistoryItem } from '../../core/api/api-types';
import { formatMs } from '../../shared/format';
import { stateStyle } from '../../shared/state';

/** The ranges the response-time chart offers. */
export const CHART_RANGES = [
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '24h', label: '24 h', ms: 86_400_000 },
  { key: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 d', ms: 30 * 86_400_000 },
] as const;
export type ChartRange = (typeof CHART_RANGES)[number]['key'];

export function rangeMs(range: ChartRange): number {
  return CHART_RANGES.find((r) => r.key === range)!.ms;
}

/** "14:05" within two days, "12-06 14:05" beyond: the time axis' labels, in UTC. */
export function timeTick(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/**
 * Response times on a time axis from `since` to `until`: successful checks as a line that
 * breaks at every failure (never bridging it), failures as red marks at their real duration
 * (how long the probe took to fail), so a timeout stands out and a refusal sits low.
 */
export function responseTimeChart(
  items: readonly HistoryItem[],
  since: number,
  until: number,
): ChartConfiguration {
  const ordered = [...items].reverse();
  const span = until - since;
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'Response time (ms)',
          data: ordered.map((i) => ({
            x: Date.parse(i.check_time),
            y: i.success ? (i.response_time_ms ?? null) : null,
          })),
          borderColor: stateStyle('HEALTHY').chart,
          backgroundColor: stateStyle('HEALTHY').chart,
          spanGaps: false,
          pointRadius: ordered.length > 200 ? 0 : 2,
        },
        {
          label: 'Failed check (time to fail, ms)',
          data: ordered
            .filter((i) => !i.success)
            .map((i) => ({ x: Date.parse(i.check_time), y: i.response_time_ms ?? 0 })),
          borderColor: stateStyle('CRITICAL').chart,
          backgroundColor: stateStyle('CRITICAL').chart,
          showLine: false,
          pointStyle: 'triangle',
          pointRadius: 6,
        },
      ],
    },
    options: {
      scales: {
        x: {
          type: 'linear',
          min: since,
          max: until,
          ticks: { maxTicksLimit: 8, callback: (value) => timeTick(Number(value), span) },
          title: { display: true, text: 'UTC' },
        },
        y: { beginAtZero: true, title: { display: true, text: 'ms' } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            title: (ctx) => `${new Date(Number(ctx[0]?.parsed.x)).toISOString().slice(0, 19)} UTC`,
          },
        },
      },
    },
  };
}

/** The chart in words, for its accessible name. */
export function responseTimeSummary(items: readonly HistoryItem[], rangeLabel: string): string {
  const ok = items.filter((i) => i.success && i.response_time_ms !== null);
  const failed = items.length - items.filter((i) => i.success).length;
  if (items.length === 0) return `Response time over the last ${rangeLabel}: no checks`;
  const times = ok.map((i) => i.response_time_ms as number);
  const okText =
    ok.length > 0
      ? `${ok.length} successful check${ok.length === 1 ? '' : 's'} from ${formatMs(Math.min(...times))} to ${formatMs(Math.max(...times))}`
      : 'no successful check';
  return `Response time over the last ${rangeLabel}: ${okText}; ${failed} failed check${failed === 1 ? '' : 's'} shown as red marks at the time they took to fail`;
}
