import { BreakpointObserver } from '@angular/cdk/layout';
import { SelectionModel } from '@angular/cdk/collections';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { MatSortModule, Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import {
  catchError,
  debounceTime,
  distinctUntilChanged,
  map,
  merge,
  of,
  Subject,
  switchMap,
  tap,
} from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import {
  Host,
  HostEvent,
  HostHeartbeats,
  HostSortField,
  MONITORING_STATES,
  MonitoringState,
} from '../../../core/api/api-types';
import { AuthService } from '../../../core/auth/auth.service';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { nowSignal } from '../../../shared/clock';
import { ConfirmDialog, ConfirmData } from '../../../shared/confirm-dialog';
import {
  formatElapsed,
  formatErrorType,
  formatMs,
  formatSince,
  formatTimestamp,
} from '../../../shared/format';
import { formatPercent, uptimePercent } from '../../../shared/heartbeat';
import { HeartbeatStrip } from '../../../shared/heartbeat-strip';
import { describeNextCheck } from '../../../shared/next-check';
import { isFailing } from '../../../shared/severity';
import { applyToHeartbeats } from '../live-heartbeats';
import { stateStyle } from '../../../shared/state';
import { ReachBadges } from '../../../shared/reach-badges';
import { StateBadge } from '../../../shared/state-badge';
import { HostFormDialog, HostFormData } from '../components/host-form-dialog';
import { apiQuery, HostsQuery, paramsFromQuery, queryFromParams } from '../hosts-query';
import { applyOutcome } from '../live-host';
import type { ListView, Reread } from '../live-list';
import { LiveListSync, type PageRead } from '../live-list-sync';

function ownChange(type: HostEvent['type'], host: Host): string {
  return type === 'host_updated' ? `${type}:${host.id}:${host.updated_at}` : `${type}:${host.id}`;
}

@Component({
  selector: 'hw-hosts-list-page',
  imports: [
    RouterLink,
    MatTableModule,
    MatSortModule,
    MatPaginatorModule,
    MatCheckboxModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatProgressBarModule,
    MatSnackBarModule,
    StateBadge,
    ReachBadges,
    HeartbeatStrip,
  ],
  templateUrl: './hosts-list.page.html',
  styleUrl: './hosts-list.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostsListPage {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);
  private readonly live = inject(LiveEventsService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(AuthService);
  /** Relative times tick every second where they are seen. */
  protected readonly now = nowSignal(1000);
  /** On a phone hosts are cards, and the filters fold away behind a button. */
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 700px)')
      .pipe(map((r) => r.matches)),
    { initialValue: false },
  );

  protected readonly states = MONITORING_STATES;
  protected readonly stateStyle = stateStyle;
  protected readonly formatMs = formatMs;
  protected readonly formatErrorType = formatErrorType;
  protected readonly formatSince = formatSince;
  protected readonly formatElapsed = formatElapsed;
  protected readonly formatTimestamp = formatTimestamp;
  protected readonly describeNextCheck = describeNextCheck;
  protected readonly formatPercent = formatPercent;
  protected readonly uptimePercent = uptimePercent;
  protected readonly isFailing = isFailing;

  /** The latest results of the hosts on show (heartbeat strips, failing since, uptime). */
  protected readonly beats = signal<ReadonlyMap<string, HostHeartbeats>>(new Map());
  private readonly shownIds = computed(() =>
    this.hosts()
      .map((h) => h.id)
      .join(','),
  );

  protected readonly query = toSignal(this.route.queryParams.pipe(map(queryFromParams)), {
    requireSync: true,
  });
  protected readonly hosts = signal<Host[]>([]);
  protected readonly total = signal(0);
  /** Hosts created since this page was read that sort onto another page. */
  protected readonly elsewhere = signal(0);
  /**
   * Own changes already shown by a re-read: their live event is skipped once. An update is
   * known by its `updated_at` too, so when its event came first, the key left behind never
   * swallows someone else's later change to that host.
   */
  private readonly ownChanges = new Set<string>();
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly selection = new SelectionModel<string>(true, []);
  protected readonly selectedCount = signal(0);
  protected readonly bulkBusy = signal(false);
  private readonly reload = signal(0);
  private readonly searchText = signal('');
  /** Quiet reads of the page: what live events left open (a gap, a move, the total). */
  private readonly quietReads = new Subject<Reread>();
  private readonly sync = new LiveListSync((kind) => this.quietReads.next(kind), {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });

  protected readonly columns = computed(() => {
    const operator = this.auth.can('operator');
    if (this.narrow()) {
      return [...(operator ? ['select'] : []), 'hostname', 'monitoring_state', 'last_check_at'];
    }
    return [
      ...(operator ? ['select'] : []),
      'hostname',
      'address',
      'monitoring_state',
      'failing_since',
      'heartbeat',
      'last_check_at',
      'response_time_ms',
      'next_check_at',
      'tags',
      // Edit and delete: the API allows them to admins only.
      ...(this.auth.can('admin') ? ['actions'] : []),
    ];
  });
  /** Whether the filters are unfolded on a phone. */
  protected readonly filtersOpen = signal(false);
  protected readonly activeFilters = computed(() => {
    const q = this.query();
    return q.state.length + (q.tag ? 1 : 0) + (q.q ? 1 : 0);
  });
  protected readonly filtered = computed(() => {
    const q = this.query();
    return q.state.length > 0 || q.tag !== '' || q.q !== '';
  });
  protected readonly allSelected = computed(
    () => this.hosts().length > 0 && this.selectedCount() === this.hosts().length,
  );

  constructor() {
    this.searchText.set(this.query().q);
    const request = computed(() => ({ query: this.query(), reload: this.reload() }));
    // One reader for the page: a navigation, refresh or reconnect reads it with progress shown
    // (replacing any read in flight); live events add quiet reads, never while one is in flight.
    merge(
      toObservable(request).pipe(map((): PageRead => ({ kind: 'rows', fresh: true }))),
      this.quietReads.pipe(map((kind): PageRead => ({ kind, fresh: false }))),
    )
      .pipe(
        tap((read) => {
          this.sync.started(this.view(), read);
          if (!read.fresh) return;
          this.loading.set(true);
          this.error.set(null);
        }),
        switchMap((read) => {
          const query = this.query();
          return this.api.listHosts(apiQuery(query)).pipe(
            map((page) => ({ page, query })),
            catchError((error: unknown) => {
              this.sync.failed();
              if (read.fresh) this.error.set(describeHttpError(error));
              return of(null);
            }),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((answer) => {
        this.loading.set(false);
        if (!answer) return;
        if (answer.query !== this.query()) {
          // Read for a query the URL has left: the read for the new one is on its way.
          this.sync.failed();
          return;
        }
        this.show(this.sync.answered(this.view(), answer.page, answer.query));
      });
    this.destroyRef.onDestroy(() => this.sync.dispose());

    toObservable(this.searchText)
      .pipe(debounceTime(300), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe((q) => {
        if (q !== this.query().q) this.navigate({ q, page: 1 });
      });

    // Heartbeats of the rows on show, read again when the rows change (not on a quiet re-read
    // that keeps them); live results extend them below.
    toObservable(this.shownIds)
      .pipe(
        distinctUntilChanged(),
        switchMap((key) =>
          key === ''
            ? of(null)
            : this.api.heartbeats(key.split(',')).pipe(catchError(() => of(null))),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((answer) => {
        if (answer) this.beats.set(new Map(answer.items.map((b) => [b.host_id, b])));
      });

    // Live: patch rows in place; after a reconnect, read the page again (events were missed).
    this.live.checks$.pipe(takeUntilDestroyed()).subscribe((outcome) => {
      const known = this.beats().get(outcome.host_id);
      if (known) {
        this.beats.update((all) =>
          new Map(all).set(outcome.host_id, applyToHeartbeats(known, outcome)),
        );
      }
      this.hosts.update((rows) =>
        rows.some((h) => h.id === outcome.host_id)
          ? rows.map((h) => applyOutcome(h, outcome))
          : rows,
      );
    });
    // Hosts created, changed or deleted by anyone: inserted, patched or removed in place, and
    // the page read again quietly where only the server can say which rows it now holds.
    this.live.hostChanges$.pipe(takeUntilDestroyed()).subscribe((event) => {
      if (this.ownChanges.delete(ownChange(event.type, event.host))) return;
      this.show(this.sync.event(this.view(), event, this.query()));
    });
    this.live.reconnected$.pipe(takeUntilDestroyed()).subscribe(() => this.refresh());
  }

  private view(): ListView {
    return { items: this.hosts(), total: this.total(), elsewhere: this.elsewhere() };
  }

  /** Shows a list state; rows still on show stay selected. */
  private show(view: ListView): void {
    this.hosts.set(view.items);
    this.total.set(view.total);
    this.elsewhere.set(view.elsewhere);
    const visible = new Set(view.items.map((h) => h.id));
    const gone = this.selection.selected.filter((id) => !visible.has(id));
    if (gone.length > 0) this.selection.deselect(...gone);
    this.selectedCount.set(this.selection.selected.length);
  }

  /** Rows keep their elements across reads, so a quiet read moves nothing that stayed. */
  protected readonly trackById = (_: number, host: Host): string => host.id;

  protected refresh(): void {
    this.reload.update((n) => n + 1);
  }

  /** The new hosts sort onto other pages: list newest first, keeping the filters. */
  protected showNewest(): void {
    this.navigate({ sort: 'created_at', order: 'desc', page: 1 });
  }

  protected navigate(change: Partial<HostsQuery>): void {
    const next = { ...this.query(), ...change };
    void this.router.navigate([], { relativeTo: this.route, queryParams: paramsFromQuery(next) });
  }

  protected onSearch(value: string): void {
    this.searchText.set(value);
  }
  protected onStates(states: MonitoringState[]): void {
    this.navigate({ state: states, page: 1 });
  }
  protected onTag(tag: string): void {
    this.navigate({ tag: tag.trim(), page: 1 });
  }
  protected clearFilters(): void {
    this.searchText.set('');
    this.navigate({ state: [], tag: '', q: '', page: 1 });
  }
  protected onSort(sort: Sort): void {
    const field = (sort.active === 'address' ? 'ip_address' : sort.active) as HostSortField;
    this.navigate({ sort: field, order: sort.direction === 'desc' ? 'desc' : 'asc', page: 1 });
  }
  protected onPage(event: PageEvent): void {
    this.navigate({ page: event.pageIndex + 1, page_size: event.pageSize });
  }

  protected toggle(id: string): void {
    this.selection.toggle(id);
    this.selectedCount.set(this.selection.selected.length);
  }
  protected toggleAll(): void {
    if (this.allSelected()) this.selection.clear();
    else this.selection.select(...this.hosts().map((h) => h.id));
    this.selectedCount.set(this.selection.selected.length);
  }

  /**
   * Queues a JIT check of every selected host in one request (the rate limit counts it once);
   * results arrive over the live stream.
   */
  protected checkSelected(): void {
    const ids = [...this.selection.selected];
    if (ids.length === 0) return;
    this.bulkBusy.set(true);
    this.api
      .checkMany(ids)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (answer) => {
          this.bulkBusy.set(false);
          const ok = answer.queued.length;
          const gone = answer.not_found.length;
          this.snack.open(
            `Queued ${ok} check${ok === 1 ? '' : 's'}: results appear as they land.` +
              (gone > 0 ? ` ${gone} host${gone === 1 ? ' was' : 's were'} deleted meanwhile.` : ''),
            'OK',
            { duration: 5000 },
          );
        },
        error: (error: unknown) => {
          this.bulkBusy.set(false);
          this.snack.open(`No check was queued. ${describeHttpError(error)}`, 'OK', {
            duration: 10000,
          });
        },
      });
  }

  protected openForm(host?: Host): void {
    const data: HostFormData = { host: host ?? null };
    this.dialog
      .open(HostFormDialog, { data, width: '560px', maxWidth: '95vw', autoFocus: 'first-tabbable' })
      .afterClosed()
      .subscribe((saved: Host | undefined) => {
        if (!saved) return;
        this.ownChanges.add(ownChange(host ? 'host_updated' : 'host_created', saved));
        this.snack.open(`${host ? 'Saved' : 'Added'} ${saved.hostname}.`, 'OK', { duration: 4000 });
        this.refresh();
      });
  }

  protected confirmDelete(host: Host): void {
    const data: ConfirmData = {
      title: `Delete ${host.hostname}?`,
      message: 'The host and its whole check history are removed. This cannot be undone.',
      confirm: 'Delete',
    };
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (!yes) return;
        this.api.deleteHost(host.id).subscribe({
          next: () => {
            this.ownChanges.add(ownChange('host_deleted', host));
            this.snack.open(`Deleted ${host.hostname}.`, 'OK', { duration: 4000 });
            this.refresh();
          },
          error: (error: unknown) =>
            this.snack.open(describeHttpError(error), 'OK', { duration: 8000 }),
        });
      });
  }
}
