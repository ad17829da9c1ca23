import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { catchError, filter, merge, of, Subject, switchMap } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { Alert } from '../../../core/api/api-types';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { nowSignal } from '../../../shared/clock';
import { applyCheck, replaceAlert } from '../live-alerts';
import { AlertTable } from './alert-table';

/** How many of a host's problems its details page shows: the open ones, then the latest. */
const HOST_ALERTS = 10;

/**
 * The "Alerts" section of host details: the host's open problems first, then its most recent
 * resolved ones (the API's order for one host). Read again when one of them opens or resolves
 * and after a reconnect; check results move their state and last error in place.
 */
@Component({
  selector: 'hw-host-alerts',
  imports: [RouterLink, MatButtonModule, AlertTable],
  template: `
    <section class="card" aria-labelledby="host-alerts-title" data-testid="host-alerts">
      <h2 id="host-alerts-title">Alerts</h2>
      @if (error(); as message) {
        <p class="error-text" role="alert">
          Could not load this host's alerts: {{ message }}
          <button mat-button type="button" (click)="read()">Try again</button>
        </p>
      }
      @if (alerts(); as list) {
        <hw-alert-table
          [alerts]="list"
          mode="host"
          [now]="now()"
          caption="This host's open problems, then its latest resolved ones"
          empty="No problem recorded for this host."
          [selectable]="true"
          (changed)="read()"
        />
        @if (total() > list.length) {
          <p class="muted">
            The latest {{ list.length }} of {{ total() }}.
            <a routerLink="/alerts">All alerts</a>
          </p>
        }
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostAlerts {
  readonly hostId = input.required<string>();

  private readonly api = inject(ApiService);
  private readonly live = inject(LiveEventsService);
  protected readonly now = nowSignal(5000);

  protected readonly alerts = signal<Alert[] | null>(null);
  protected readonly total = signal(0);
  protected readonly error = signal<string | null>(null);
  private readonly reads = new Subject<void>();

  constructor() {
    // Another host's page reuses this component: its id coming in reads its alerts.
    merge(toObservable(this.hostId), this.reads)
      .pipe(
        switchMap(() =>
          this.api.listAlerts({ host_id: this.hostId(), page_size: HOST_ALERTS }).pipe(
            catchError((error: unknown) => {
              this.error.set(describeHttpError(error));
              return of(null);
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((page) => {
        if (!page) return;
        this.error.set(null);
        this.alerts.set(page.items);
        this.total.set(page.total);
      });
    merge(
      this.live.alertChanges$.pipe(filter((e) => e.alert.host.id === this.hostId())),
      this.live.reconnected$,
    )
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.read());
    this.live.checks$.pipe(takeUntilDestroyed()).subscribe((outcome) => {
      const list = this.alerts();
      if (list) this.alerts.set(applyCheck(list, outcome));
    });
    this.live.alertUpdates$.pipe(takeUntilDestroyed()).subscribe((event) => {
      const list = this.alerts();
      if (list) this.alerts.set(replaceAlert(list, event.alert));
    });
  }

  protected read(): void {
    this.reads.next();
  }
}
