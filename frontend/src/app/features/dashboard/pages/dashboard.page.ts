import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import type { ChartConfiguration } from 'chart.js';
import { MatButtonModule } from '@angular/material/button';
import { catchError, of, Subject, switchMap, throttleTime } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import {
  MonitoringState,
  RecentTransition,
  Stats,
  StatsHistory,
  TransitionEvent,
} from '../../../core/api/api-types';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { ChartView } from '../../../shared/chart';
import { nowSignal } from '../../../shared/clock';
import { formatMs, formatSince, formatTimestamp } from '../../../shared/format';
import { isFailing, SEVERITY_ORDER } from '../../../shared/severity';
import { stateStyle } from '../../../shared/state';
import { FailingNow } from '../components/failing-now';
import { mergeFeed } from '../feed';
import { StateBadge } from '../../../shared/state-badge';
import { HistoryMinute, LiveRates } from '../live-rates';

const FEED_SIZE = 30;
const RATE_MINUTES = 60;

@Component({
  selector: 'hw-dashboard-page',
  imports: [RouterLink, MatButtonModule, ChartView, StateBadge, FailingNow],
  templateUrl: './dashboard.page.html',
  styleUrl: './dashboard.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardPage {
  private readonly api = inject(ApiService);
  private readonly live = inject(LiveEventsService);
  protected readonly now = nowSignal(1000);

  protected readonly stats = signal<Stats | null>(null);
  protected readonly error = signal<string | null>(null);
  /** The latest transitions: read from history on open, then extended live. */
  protected readonly feed = signal<(TransitionEvent | RecentTransition)[]>([]);
  protected readonly feedLoaded = signal(false);
  private readonly loadFeed = new Subject<void>();
  private readonly rates = new LiveRates(RATE_MINUTES);
  private readonly ratesVersion = signal(0);
  private readonly refreshStats = new Subject<void>();
  private readonly loadRateHistory = new Subject<void>();

  /** Problems before Healthy: tiles and the chart list states worst first. */
  protected readonly states = SEVERITY_ORDER;
  protected readonly stateStyle = stateStyle;
  protected readonly isFailing = isFailing;
  protected readonly formatMs = formatMs;
  protected readonly formatSince = formatSince;
  protected readonly formatTimestamp = formatTimestamp;
  /** Waiting checks per priority in one line: "JIT 2 · 9: 4 · 3: 120". */
  protected readonly depthLine = computed(() =>
    this.queueDepth()
      .map((r) => `${r.priority === 'jit' ? 'JIT' : `P${r.priority}`} ${r.count}`)
      .join(' · '),
  );

  protected readonly queueDepth = computed(() => {
    const depth = this.stats()?.queue.depth_by_priority ?? {};
    return Object.entries(depth)
      .map(([priority, count]) => ({ priority, count }))
      .sort((a, b) =>
        a.priority === 'jit'
          ? -1
          : b.priority === 'jit'
            ? 1
            : Number(b.priority) - Number(a.priority),
      );
  });

  /** The chart in words, with each state's count (its accessible name and the legend's). */
  protected readonly stateChartLabel = computed(() => {
    const s = this.stats();
    if (!s) return '';
    const parts = SEVERITY_ORDER.map((st) => `${this.count(st)} ${stateStyle(st).label}`);
    return `Hosts per state, ${s.total_hosts} in all: ${parts.join(', ')}`;
  });

  protected readonly stateChart = computed<ChartConfiguration>(() => {
    const byState = this.stats()?.hosts_by_state ?? {};
    return {
      type: 'doughnut',
      data: {
        // Counts in the legend, so the chart reads without hovering.
        labels: SEVERITY_ORDER.map((s) => `${stateStyle(s).label}: ${byState[s] ?? 0}`),
        datasets: [
          {
            data: SEVERITY_ORDER.map((s) => byState[s] ?? 0),
            backgroundColor: SEVERITY_ORDER.map((s) => stateStyle(s).chart),
          },
        ],
      },
      options: { plugins: { legend: { position: 'right' } } },
    };
  });

  protected readonly rateChart = computed<ChartConfiguration>(() => {
    this.ratesVersion();
    const series = this.rates.series(this.now());
    return {
      type: 'bar',
      data: {
        labels: series.map((b) => new Date(b.minute).toISOString().slice(11, 16)),
        datasets: [
          {
            label: 'Checks',
            data: series.map((b) => b.checks),
            backgroundColor: stateStyle('HEALTHY').chart,
          },
          {
            label: 'Failures',
            data: series.map((b) => b.failures),
            backgroundColor: stateStyle('CRITICAL').chart,
          },
        ],
      },
      options: {
        scales: {
          x: { ticks: { maxTicksLimit: 12 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    };
  });

  protected readonly responseChart = computed<ChartConfiguration>(() => {
    this.ratesVersion();
    const series = this.rates.series(this.now());
    return {
      type: 'line',
      data: {
        labels: series.map((b) => new Date(b.minute).toISOString().slice(11, 16)),
        datasets: [
          {
            label: 'Mean response time (ms)',
            data: series.map((b) => b.avgResponseMs),
            borderColor: stateStyle('MAINTENANCE').chart,
            backgroundColor: stateStyle('MAINTENANCE').chart,
            spanGaps: true,
          },
          {
            label: '95th percentile (ms)',
            data: series.map((b) => b.p95ResponseMs),
            borderColor: stateStyle('DEGRADED').chart,
            backgroundColor: stateStyle('DEGRADED').chart,
            borderDash: [4, 4],
            spanGaps: true,
          },
        ],
      },
      options: {
        scales: { x: { ticks: { maxTicksLimit: 12 } }, y: { beginAtZero: true } },
        plugins: { legend: { position: 'bottom' } },
      },
    };
  });

  constructor() {
    // Stats are re-read when something happened (at most every 5 s), never on a timer.
    this.refreshStats
      .pipe(
        throttleTime(5000, undefined, { leading: true, trailing: true }),
        switchMap(() =>
          this.api.stats().pipe(
            catchError((error: unknown) => {
              this.error.set(
                `Could not read the fleet's figures (GET /api/monitoring/stats): ${describeHttpError(error)}`,
              );
              return of(null);
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((stats) => {
        if (!stats) return;
        this.error.set(null);
        this.stats.set(stats);
      });
    this.refreshStats.next();

    this.live.checks$.pipe(takeUntilDestroyed()).subscribe((outcome) => {
      this.rates.record(Date.parse(outcome.checked_at), outcome.success, outcome.response_time_ms);
      this.ratesVersion.update((n) => n + 1);
      this.refreshStats.next();
    });
    this.live.transitions$.pipe(takeUntilDestroyed()).subscribe((t) => {
      this.feed.update((items) => mergeFeed(items, [t], FEED_SIZE));
      this.stats.update((s) => (s ? moveHost(s, t.from, t.to) : s));
    });
    this.live.reconnected$.pipe(takeUntilDestroyed()).subscribe(() => {
      this.refreshStats.next();
      this.loadFeed.next();
      // Checks sent while the stream was down are lost: read the minutes again.
      this.loadRateHistory.next();
    });

    // The per-minute history, so a reload keeps the rates; live checks extend it.
    this.loadRateHistory
      .pipe(
        switchMap(() => {
          this.rates.beginSeed();
          return this.api.statsHistory(RATE_MINUTES).pipe(
            catchError(() => {
              this.rates.abandonSeed();
              return of(null);
            }),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((history) => {
        if (!history) return;
        this.rates.seed(historyMinutes(history), Date.parse(history.until));
        this.ratesVersion.update((n) => n + 1);
      });
    this.loadRateHistory.next();

    // The feed starts from history, so it is not empty until something changes.
    this.loadFeed
      .pipe(
        switchMap(() => this.api.recentTransitions(FEED_SIZE).pipe(catchError(() => of(null)))),
        takeUntilDestroyed(),
      )
      .subscribe((answer) => {
        this.feedLoaded.set(true);
        if (answer) this.feed.update((items) => mergeFeed(items, answer.items, FEED_SIZE));
      });
    this.loadFeed.next();
  }

  protected reload(): void {
    this.refreshStats.next();
  }

  protected count(state: MonitoringState): number {
    return this.stats()?.hosts_by_state[state] ?? 0;
  }
}

/** Counts per state after one host moved (until the next read confirms it). */
export function moveHost(stats: Stats, from: MonitoringState, to: MonitoringState): Stats {
  const byState = { ...stats.hosts_by_state };
  byState[from] = Math.max(0, (byState[from] ?? 0) - 1);
  byState[to] = (byState[to] ?? 0) + 1;
  return { ...stats, hosts_by_state: byState };
}

/** The history endpoint's buckets in LiveRates' terms. */
export function historyMinutes(history: StatsHistory): HistoryMinute[] {
  return history.buckets.map((b) => ({
    minute: Date.parse(b.minute),
    checks: b.checks,
    failures: b.failures,
    samples: b.response_time_samples,
    avgResponseMs: b.avg_response_time_ms ?? null,
    p95ResponseMs: b.p95_response_time_ms ?? null,
  }));
}
