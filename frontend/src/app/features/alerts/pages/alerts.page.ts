import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import {
  asyncScheduler,
  catchError,
  forkJoin,
  map,
  merge,
  of,
  Subject,
  switchMap,
  tap,
  throttleTime,
} from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { AlertEvent, AlertList } from '../../../core/api/api-types';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { nowSignal } from '../../../shared/clock';
import {
  ALERT_STATUS_FILTERS,
  type AlertsQuery,
  type AlertStatusFilter,
  alertsQueryFromParams,
  openAlertsRequest,
  paramsFromAlertsQuery,
  resolvedAlertsRequest,
} from '../alerts-query';
import { AlertTable } from '../components/alert-table';
import {
  type AlertSection,
  type AlertsView,
  applyAlertEvent,
  applyCheckToView,
  replaceAlertInView,
} from '../live-alerts';

/** After the first live event of a burst, how long until the page is read again quietly. */
const SETTLE_MS = 1000;

const STATUS_LABELS: Record<AlertStatusFilter, string> = {
  all: 'Open and resolved',
  open: 'Open only',
  resolved: 'Resolved only',
};

function sectionOf(list: AlertList | null): AlertSection | null {
  return list
    ? { items: list.items, total: list.total, page: list.page, pageSize: list.page_size }
    : null;
}

/**
 * Problems: the open ones first, the resolved ones below, each paged on its own, filtered by
 * status and tag (kept in the URL). Opened and resolved events move rows in place; the page
 * then reads itself again quietly once they settle (only the server knows which rows another
 * page now holds), and fully after a reconnect.
 */
@Component({
  selector: 'hw-alerts-page',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    AlertTable,
  ],
  templateUrl: './alerts.page.html',
  styleUrl: './alerts.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertsPage {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly live = inject(LiveEventsService);
  protected readonly now = nowSignal(5000);

  protected readonly statuses = ALERT_STATUS_FILTERS;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly query = toSignal(this.route.queryParams.pipe(map(alertsQueryFromParams)), {
    requireSync: true,
  });
  protected readonly view = signal<AlertsView>({ open: null, resolved: null });
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly filtered = computed(() => this.query().status !== 'all' || !!this.query().tag);
  private readonly reload = signal(0);
  private readonly quiet = new Subject<void>();
  /** Events since the read in flight went out: applied again to its answer. */
  private eventsDuringRead: AlertEvent[] = [];

  constructor() {
    const request = computed(() => ({ query: this.query(), reload: this.reload() }));
    merge(
      toObservable(request).pipe(map(() => true)),
      this.quiet.pipe(
        throttleTime(SETTLE_MS, asyncScheduler, { leading: false, trailing: true }),
        map(() => false),
      ),
    )
      .pipe(
        tap((fresh) => {
          this.eventsDuringRead = [];
          if (!fresh) return;
          this.loading.set(true);
          this.error.set(null);
        }),
        switchMap((fresh) => {
          const query = this.query();
          const open = openAlertsRequest(query);
          const resolved = resolvedAlertsRequest(query);
          return forkJoin({
            open: open ? this.api.listAlerts(open) : of(null),
            resolved: resolved ? this.api.listAlerts(resolved) : of(null),
          }).pipe(
            map((answer) => ({ answer, query })),
            catchError((error: unknown) => {
              if (fresh) this.error.set(describeHttpError(error));
              return of(null);
            }),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((read) => {
        this.loading.set(false);
        if (!read || read.query !== this.query()) return;
        let view: AlertsView = {
          open: sectionOf(read.answer.open),
          resolved: sectionOf(read.answer.resolved),
        };
        // The answer may predate them; applying them twice changes nothing.
        for (const event of this.eventsDuringRead) {
          view = applyAlertEvent(view, event, read.query.tag);
        }
        this.eventsDuringRead = [];
        this.view.set(view);
      });

    this.live.alertChanges$.pipe(takeUntilDestroyed()).subscribe((event) => {
      this.eventsDuringRead.push(event);
      this.view.update((v) => applyAlertEvent(v, event, this.query().tag));
      this.quiet.next();
    });
    this.live.alertUpdates$
      .pipe(takeUntilDestroyed())
      .subscribe((event) => this.view.update((v) => replaceAlertInView(v, event.alert)));
    this.live.checks$
      .pipe(takeUntilDestroyed())
      .subscribe((outcome) => this.view.update((v) => applyCheckToView(v, outcome)));
    this.live.reconnected$.pipe(takeUntilDestroyed()).subscribe(() => this.refresh());
  }

  protected refresh(): void {
    this.reload.update((n) => n + 1);
  }

  protected navigate(change: Partial<AlertsQuery>): void {
    const next = { ...this.query(), ...change };
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: paramsFromAlertsQuery(next),
    });
  }

  protected onStatus(status: AlertStatusFilter): void {
    this.navigate({ status, open_page: 1, page: 1 });
  }
  protected onTag(tag: string): void {
    this.navigate({ tag: tag.trim(), open_page: 1, page: 1 });
  }
  protected clearFilters(): void {
    this.navigate({ status: 'all', tag: '', open_page: 1, page: 1 });
  }
  protected onOpenPage(event: PageEvent): void {
    this.navigate({ open_page: event.pageIndex + 1, page_size: event.pageSize });
  }
  protected onResolvedPage(event: PageEvent): void {
    this.navigate({ page: event.pageIndex + 1, page_size: event.pageSize });
  }
}
