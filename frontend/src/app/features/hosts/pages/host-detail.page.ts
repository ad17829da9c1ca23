import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import type { ChartConfiguration } from 'chart.js';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { forkJoin } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { CheckOutcome, HistoryItem, Host, HostState } from '../../../core/api/api-types';
import { AuthService } from '../../../core/auth/auth.service';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { ChartView } from '../../../shared/chart';
import { nowSignal } from '../../../shared/clock';
import { ConfirmData, ConfirmDialog } from '../../../shared/confirm-dialog';
import {
  formatElapsed,
  formatErrorType,
  formatMs,
  formatSince,
  formatTimestamp,
} from '../../../shared/format';
import { formatPercent, HEARTBEAT_SIZE, uptimePercent } from '../../../shared/heartbeat';
import { HeartbeatStrip } from '../../../shared/heartbeat-strip';
import { describeNextCheck } from '../../../shared/next-check';
import { isFailing } from '../../../shared/severity';
import { checkOnOpen } from '../fresh-check';
import { collapseRuns, formatRunSpan } from '../history-runs';
import { ReachBadges } from '../../../shared/reach-badges';
import { StateBadge } from '../../../shared/state-badge';
import { HostAlerts } from '../../alerts/components/host-alerts';
import { HostFormData, HostFormDialog } from '../components/host-form-dialog';
import { HostLink } from '../components/host-link';
import {
  CHART_RANGES,
  type ChartRange,
  rangeMs,
  responseTimeChart,
  responseTimeSummary,
} from '../history-chart';
import { RecentOutcomes, scanAnswer, type ScanAnswer } from '../live-host';

type JitState =
  | { kind: 'idle' }
  /** Not checked on open: the last result is fresh, or the host is not monitored now. */
  | { kind: 'skipped'; why: 'viewer' | 'inactive' | 'maintenance' | 'fresh' }
  | { kind: 'queued'; taskId: string }
  | { kind: 'done'; outcome: CheckOutcome }
  | { kind: 'error'; message: string };

type ScanState = { kind: 'idle' } | { kind: 'running' } | ScanAnswer;

/** How long "Ready for scan?" waits for its check before it says the result will follow. */
const SCAN_WAIT_MS = 30000;

@Component({
  selector: 'hw-host-detail-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatProgressBarModule,
    MatSnackBarModule,
    StateBadge,
    ReachBadges,
    HostLink,
    ChartView,
    HostAlerts,
    HeartbeatStrip,
  ],
  templateUrl: './host-detail.page.html',
  styleUrl: './host-detail.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostDetailPage implements OnInit {
  /** The :id route parameter (component input binding). */
  readonly id = input.required<string>();

  private readonly api = inject(ApiService);
  private readonly live = inject(LiveEventsService);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(AuthService);
  protected readonly now = nowSignal(1000);

  protected readonly host = signal<Host | null>(null);
  protected readonly state = signal<HostState | null>(null);
  protected readonly history = signal<HistoryItem[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly jit = signal<JitState>({ kind: 'idle' });
  /** This host's results seen on the stream, for a JIT result that lands before its task id. */
  private readonly recentOutcomes = new RecentOutcomes();
  protected readonly scan = signal<ScanState>({ kind: 'idle' });

  protected readonly formatMs = formatMs;
  protected readonly formatSince = formatSince;
  protected readonly formatElapsed = formatElapsed;
  protected readonly formatTimestamp = formatTimestamp;
  protected readonly formatErrorType = formatErrorType;
  protected readonly formatRunSpan = formatRunSpan;

  /** When the current run of failures began (from the heartbeats endpoint). */
  protected readonly failingSince = signal<string | null>(null);

  protected readonly countdown = computed(() => {
    const host = this.host();
    const state = this.state();
    if (!host || !state) return '';
    return describeNextCheck(
      {
        is_active: host.is_active,
        monitoring_state: state.current_state,
        next_check_at: state.next_check_time,
      },
      this.now(),
    );
  });
  /** The latest results, for the heartbeat strip and the uptime figure. */
  protected readonly latest = computed(() => this.history().slice(0, HEARTBEAT_SIZE));
  protected readonly uptime = computed(() => formatPercent(uptimePercent(this.latest())));
  protected readonly failing = computed(() =>
    isFailing(this.state()?.current_state ?? this.host()?.monitoring_state),
  );
  /** The newest state change among the checks read: what changed and why. */
  protected readonly lastTransition = computed(
    () =>
      this.history().find((i) => i.previous_state !== null && i.previous_state !== i.state) ?? null,
  );
  /** History with runs of the same outcome folded into one row. */
  protected readonly runs = computed(() => collapseRuns(this.history()));
  protected readonly ranges = CHART_RANGES;
  protected readonly range = signal<ChartRange>('24h');
  /** The chart's checks over its range, and the range's bounds when they were read. */
  private readonly chartData = signal<{ items: HistoryItem[]; since: number; until: number }>({
    items: [],
    since: Date.now() - rangeMs('24h'),
    until: Date.now(),
  });
  protected readonly chart = computed<ChartConfiguration>(() => {
    const d = this.chartData();
    return responseTimeChart(d.items, d.since, d.until);
  });
  protected readonly chartLabel = computed(() =>
    responseTimeSummary(
      this.chartData().items,
      CHART_RANGES.find((r) => r.key === this.range())!.label,
    ),
  );
  protected readonly chartCount = computed(() => this.chartData().items.length);

  ngOnInit(): void {
    this.load(true);
    this.live.checks$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((outcome) => {
      if (outcome.host_id !== this.id()) return;
      this.recentOutcomes.add(outcome);
      const jit = this.jit();
      if (jit.kind === 'queued' && jit.taskId === outcome.task_id) {
        this.jit.set({ kind: 'done', outcome });
      }
      this.load();
    });
    this.live.reconnected$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => this.load());
  }

  /**
   * Reads host, state, the first page of history and when a failing run began; on opening,
   * then decides whether the page checks the host now (see checkOnOpen).
   */
  protected load(opening = false): void {
    const id = this.id();
    forkJoin({
      host: this.api.getHost(id),
      state: this.api.hostState(id),
      history: this.api.history(id, { limit: 50 }),
      beats: this.api.heartbeats([id], 1),
    }).subscribe({
      next: ({ host, state, history, beats }) => {
        this.loadError.set(null);
        this.host.set(host);
        this.state.set(state);
        this.history.set(history.items);
        this.nextCursor.set(history.next_cursor);
        this.failingSince.set(beats.items[0]?.failing_since ?? null);
        this.loadChart();
        if (opening) this.checkIfStale(host);
      },
      error: (error: unknown) => this.loadError.set(describeHttpError(error)),
    });
  }

  /** The chart's checks over its range (up to 500, the newest when there are more). */
  protected loadChart(): void {
    const until = Date.now();
    const since = until - rangeMs(this.range());
    this.api.history(this.id(), { since: new Date(since).toISOString(), limit: 500 }).subscribe({
      next: (page) => this.chartData.set({ items: page.items, since, until }),
      error: () => undefined,
    });
  }

  protected setRange(range: ChartRange): void {
    this.range.set(range);
    this.loadChart();
  }

  protected loadOlder(): void {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.api.history(this.id(), { limit: 50, cursor }).subscribe((page) => {
      this.history.update((items) => [...items, ...page.items]);
      this.nextCursor.set(page.next_cursor);
    });
  }

  /**
   * Fresh status on open, without side effects where they would mislead: only an active host
   * outside maintenance whose last result is older than the fresh window is checked, and only
   * by someone allowed to; otherwise the last result is shown, with "Check now".
   */
  private checkIfStale(host: Host): void {
    const decision = checkOnOpen(
      {
        is_active: host.is_active,
        monitoring_state: host.monitoring_state,
        last_check_at: host.last_check_at,
      },
      Date.now(),
      this.auth.can('operator'),
    );
    if (decision.check) this.checkNow();
    else this.jit.set({ kind: 'skipped', why: decision.why });
  }

  /** A JIT check whose result is shown when it lands (over the stream). */
  protected checkNow(): void {
    this.jit.set({ kind: 'idle' });
    this.api.checkNow(this.id()).subscribe({
      next: (queued) => {
        // With a free JIT slot the result can stream in before this answer arrives.
        const landed = this.recentOutcomes.get(queued.task_id);
        this.jit.set(
          landed ? { kind: 'done', outcome: landed } : { kind: 'queued', taskId: queued.task_id },
        );
      },
      error: (error: unknown) => this.jit.set({ kind: 'error', message: describeHttpError(error) }),
    });
  }

  protected readyForScan(): void {
    this.scan.set({ kind: 'running' });
    this.api.checkAndWait(this.id(), SCAN_WAIT_MS).subscribe({
      next: (answer) => this.scan.set(scanAnswer(answer, SCAN_WAIT_MS / 1000)),
      error: (error: unknown) =>
        this.scan.set({ kind: 'error', message: describeHttpError(error) }),
    });
  }

  protected resetHostKey(): void {
    const host = this.host();
    if (!host) return;
    const data: ConfirmData = {
      title: `Forget the host key of ${host.hostname}?`,
      message:
        'The next successful check pins whatever key the host presents. Do this only when you know why the key changed (reinstall, key rotation).',
      confirm: 'Forget key',
    };
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (!yes) return;
        this.api.resetHostKey(host.id).subscribe({
          next: (updated) => {
            this.host.set(updated);
            this.snack.open('Host key forgotten: the next check pins the key it sees.', 'OK', {
              duration: 5000,
            });
          },
          error: (error: unknown) =>
            this.snack.open(describeHttpError(error), 'OK', { duration: 8000 }),
        });
      });
  }

  protected edit(): void {
    const host = this.host();
    if (!host) return;
    const data: HostFormData = { host };
    this.dialog
      .open(HostFormDialog, { data, width: '560px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved: Host | undefined) => {
        if (saved) this.load();
      });
  }
}
