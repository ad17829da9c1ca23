import type { ChartConfiguration } from 'chart.js';
import type { HistoryItem } from '../../core/api/api-types';
import { stateStyle } from '../../shared/state';

/** Response time of each check, oldest to newest; failed checks drawn as red points at 0. */
export function responseTimeChart(items: HistoryItem[]): ChartConfiguration {
  const ordered = [...items].reverse();
  return {
    type: 'line',
    data: {
      labels: ordered.map((i) => i.check_time.slice(11, 19)),
      datasets: [
        {
          label: 'Response time (ms)',
          data: ordered.map((i) => (i.success ? (i.response_time_ms ?? 0) : null)),
          borderColor: stateStyle('HEALTHY').chart,
          backgroundColor: stateStyle('HEALTHY').chart,
          spanGaps: true,
          tension: 0.2,
        },
        {
          label: 'Failed check',
          data: ordered.map((i) => (i.success ? null : 0)),
          borderColor: stateStyle('CRITICAL').chart,
          backgroundColor: stateStyle('CRITICAL').chart,
          showLine: false,
          pointRadius: 5,
        },
      ],
    },
    options: {
      scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } } },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}
