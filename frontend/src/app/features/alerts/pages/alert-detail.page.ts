import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { filter, merge, Subject, switchMap, catchError, of } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { AlertDetail } from '../../../core/api/api-types';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { nowSignal } from '../../../shared/clock';
import { deliveryStyle } from '../../../shared/delivery';
import { formatErrorType, formatMs, formatSince, formatTimestamp } from '../../../shared/format';
import { StateBadge } from '../../../shared/state-badge';
import { alertDuration, alertTitle, KIND_LABELS, SEVERITY_STYLES } from '../alert-format';
import { applyCheck } from '../live-alerts';

/**
 * One problem: its host, states, last error, how it opened and resolved, and every attempt to
 * deliver the notifications that carried it (channel, attempt, status, the receiver's answer,
 * latency, error). Read again when it resolves, when a delivery fails, and after a reconnect;
 * successful deliveries send no event, so "Read again" is there for them.
 */
@Component({
  selector: 'hw-alert-detail-page',
  imports: [RouterLink, MatButtonModule, MatProgressBarModule, StateBadge],
  templateUrl: './alert-detail.page.html',
  styleUrl: './alert-detail.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertDetailPage implements OnInit {
  /** The :id route parameter (component input binding). */
  readonly id = input.required<string>();

  private readonly api = inject(ApiService);
  private readonly live = inject(LiveEventsService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly now = nowSignal(5000);

  protected readonly alert = signal<AlertDetail | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  private readonly reads = new Subject<void>();

  protected readonly kindLabels = KIND_LABELS;
  protected readonly severity = SEVERITY_STYLES;
  protected readonly deliveryStyle = deliveryStyle;
  protected readonly duration = alertDuration;
  protected readonly title = alertTitle;
  protected readonly formatMs = formatMs;
  protected readonly formatSince = formatSince;
  protected unacknowledge(id: string): void {
    this.api.unackAlert(id).subscribe({
      next: () => this.read(),
      error: (e: unknown) => this.error.set(describeHttpError(e)),
    });
  }
  protected readonly formatTimestamp = formatTimestamp;
  protected readonly formatErrorType = formatErrorType;

  ngOnInit(): void {
    this.reads
      .pipe(
        switchMap(() =>
          this.api.getAlert(this.id()).pipe(
            catchError((error: unknown) => {
              this.error.set(describeHttpError(error));
              return of(null);
            }),
          ),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((alert) => {
        this.loading.set(false);
        if (!alert) return;
        this.error.set(null);
        this.alert.set(alert);
      });
    merge(
      this.live.alertChanges$.pipe(filter((e) => e.alert.id === this.id())),
      this.live.alertUpdates$.pipe(filter((e) => e.alert.id === this.id())),
      this.live.deliveryFailures$,
      this.live.reconnected$,
    )
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.read());
    this.live.checks$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((outcome) => {
      const alert = this.alert();
      if (!alert) return;
      const [next] = applyCheck([alert], outcome);
      if (next !== alert) this.alert.set({ ...alert, ...next });
    });
    this.read();
  }

  protected read(): void {
    this.reads.next();
  }
}
