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
  formatCountdown,
  formatErrorType,
  formatMs,
  formatRelative,
  formatTimestamp,
} from '../../../shared/format';
import { ReachBadges } from '../../../shared/reach-badges';
import { StateBadge } from '../../../shared/state-badge';
import { HostAlerts } from '../../alerts/components/host-alerts';
import { HostFormData, HostFormDialog } from '../components/host-form-dialog';
import { HostLink } from '../components/host-link';
import { responseTimeChart } from '../history-chart';
import { RecentOutcomes, scanAnswer, type ScanAnswer } from '../live-host';

type JitState =
  | { kind: 'idle' }
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
  /** Availability over the last 24 hours, 7 days and 30 days (null: no checked time). */
  protected readonly availability = signal<{ label: string; value: number | null }[] | null>(null);

  protected readonly formatMs = formatMs;
  protected readonly formatRelative = formatRelative;
  protected readonly formatTimestamp = formatTimestamp;
  protected readonly formatErrorType = formatErrorType;

  protected readonly countdown = computed(() =>
    this.state()?.current_state === 'MAINTENANCE'
      ? 'paused (maintenance)'
      : formatCountdown(this.state()?.next_check_time, this.now()),
  );
  protected readonly chart = computed<ChartConfiguration>(() => responseTimeChart(this.history()));

  ngOnInit(): void {
    this.load();
    this.loadAvailability();
    this.checkOnOpen();
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

  /** Reads host, state and the first page of history. */
  protected load(): void {
    const id = this.id();
    forkJoin({
      host: this.api.getHost(id),
      state: this.api.hostState(id),
      history: this.api.history(id, { limit: 50 }),
    }).subscribe({
      next: ({ host, state, history }) => {
        this.loadError.set(null);
        this.host.set(host);
        this.state.set(state);
        this.history.set(history.items);
        this.nextCursor.set(history.next_cursor);
      },
      error: (error: unknown) => this.loadError.set(describeHttpError(error)),
    });
  }

  /** The 24 h, 7 d and 30 d figures, from state changes (GET .../uptime). */
  private loadAvailability(): void {
    const now = Date.now();
    const windows = [
      { label: '24 h', days: 1 },
      { label: '7 d', days: 7 },
      { label: '30 d', days: 30 },
    ];
    forkJoin(
      windows.map((w) => this.api.hostUptime(this.id(), new Date(now - w.days * 86_400_000))),
    ).subscribe({
      next: (answers) =>
        this.availability.set(
          windows.map((w, i) => ({ label: w.label, value: answers[i].availability })),
        ),
      error: () => this.availability.set(null),
    });
  }

  protected formatAvailability(value: number | null): string {
    return value === null ? '—' : `${(Math.floor(value * 10000) / 100).toFixed(2)} %`;
  }

  protected loadOlder(): void {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.api.history(this.id(), { limit: 50, cursor }).subscribe((page) => {
      this.history.update((items) => [...items, ...page.items]);
      this.nextCursor.set(page.next_cursor);
    });
  }

  /** Fresh status on open: a JIT check whose result is shown when it lands (over the stream). */
  protected checkOnOpen(): void {
    // Queuing a check is an operator's right; a viewer sees the last known state.
    if (!this.auth.can('operator')) return;
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
