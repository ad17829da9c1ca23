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
  forkJoin,
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
  BulkAction,
  BulkHosts,
  BulkResult,
  Host,
  HostEvent,
  HostHeartbeats,
  ImportReport,
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
import { HeartbeatStrip } from '../../../shared/heartbeat-strip';
import { describeNextCheck } from '../../../shared/next-check';
import { isFailing } from '../../../shared/severity';
import { applyToHeartbeats } from '../live-heartbeats';
import { stateStyle } from '../../../shared/state';
import { ReachBadges } from '../../../shared/reach-badges';
import { StateBadge } from '../../../shared/state-badge';
import { HostFormDialog, HostFormData } from '../components/host-form-dialog';
import { ImportDialog } from '../components/import-dialog';
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
  protected readonly isFailing = isFailing;

  /** The latest results of the hosts on show (heartbeat strips, failing since). */
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
  /** Every host the filters match is selected, on every page ("select all N matching"). */
  protected readonly allMatching = signal(false);
  /** How many hosts a bulk action would act on. */
  protected readonly bulkCount = computed(() =>
    this.allMatching() ? this.total() : this.selectedCount(),
  );
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
      'availability',
      // Edit and delete: the API allows them to admins only.
      ...(this.auth.can('admin') ? ['actions'] : []),
    ];
  });
  /** Availability of the hosts on show over 24 h, 7 d and 30 d, by host id. */
  protected readonly availability = signal<ReadonlyMap<string, (number | null)[]>>(new Map());
  protected formatAvailability(value: number | null | undefined): string {
    return value === null || value === undefined
      ? '—'
      : `${(Math.floor(value * 1000) / 10).toFixed(1)}`;
  }

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

    // The rows' availability, read again only when other hosts come on show.
    const shownIds = computed(() =>
      this.hosts()
        .map((h) => h.id)
        .join(','),
    );
    toObservable(shownIds)
      .pipe(
        debounceTime(200),
        distinctUntilChanged(),
        switchMap((key) => {
          if (key === '') return of(new Map<string, (number | null)[]>());
          const ids = key.split(',');
          const now = Date.now();
          return forkJoin(
            [1, 7, 30].map((days) => this.api.hostsUptime(ids, new Date(now - days * 86_400_000))),
          ).pipe(
            map((answers) => {
              const out = new Map<string, (number | null)[]>();
              answers.forEach((answer, i) => {
                for (const h of answer.hosts) {
                  const row = out.get(h.host_id) ?? [null, null, null];
                  row[i] = h.availability;
                  out.set(h.host_id, row);
                }
              });
              return out;
            }),
            catchError(() => of(new Map<string, (number | null)[]>())),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((figures) => this.availability.set(figures));

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
    this.allMatching.set(false);
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
    this.allMatching.set(false);
    this.selection.toggle(id);
    this.selectedCount.set(this.selection.selected.length);
  }
  protected toggleAll(): void {
    this.allMatching.set(false);
    if (this.allSelected()) this.selection.clear();
    else this.selection.select(...this.hosts().map((h) => h.id));
    this.selectedCount.set(this.selection.selected.length);
  }
  /** From "every host on this page" to every host the filters match, on every page. */
  protected selectAllMatching(): void {
    this.selection.select(...this.hosts().map((h) => h.id));
    this.selectedCount.set(this.selection.selected.length);
    this.allMatching.set(true);
  }
  protected clearSelection(): void {
    this.allMatching.set(false);
    this.selection.clear();
    this.selectedCount.set(0);
  }

  /** The selection as the bulk API names it: the ids, or the list's own filter. */
  private target(): Pick<BulkHosts, 'ids' | 'filter'> {
    if (!this.allMatching()) return { ids: [...this.selection.selected] };
    const q = this.query();
    return {
      filter: {
        ...(q.state.length > 0 ? { state: q.state.join(',') } : {}),
        ...(q.tag !== '' ? { tag: q.tag } : {}),
        ...(q.q !== '' ? { q: q.q } : {}),
      },
    };
  }

  /**
   * Queues a JIT check of every selected host in one request (the rate limit counts it once);
   * results arrive over the live stream.
   */
  protected checkSelected(): void {
    this.runBulk(
      'check',
      (r) => `Queued ${r.changed} check${r.changed === 1 ? '' : 's'}: results appear as they land.`,
    );
  }

  protected maintenance(on: boolean): void {
    this.runBulk(on ? 'maintenance_on' : 'maintenance_off', (r) =>
      on
        ? `${r.changed} host(s) in maintenance.`
        : `${r.changed} host(s) out of maintenance, checked now.`,
    );
  }

  protected confirmBulkDelete(): void {
    const n = this.bulkCount();
    const data: ConfirmData = {
      title: `Delete ${n} host${n === 1 ? '' : 's'}?`,
      message: 'The hosts and their whole check history are removed. This cannot be undone.',
      confirm: 'Delete',
    };
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (yes) this.runBulk('delete', (r) => `Deleted ${r.changed} host(s).`);
      });
  }

  private runBulk(action: BulkAction, done: (result: BulkResult) => string): void {
    if (this.bulkCount() === 0) return;
    this.bulkBusy.set(true);
    this.api
      .bulkHosts({ action, ...this.target() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.bulkBusy.set(false);
          const skipped = result.skipped.length;
          const reasons = [...new Set(result.skipped.map((s) => s.reason))].slice(0, 2).join('; ');
          this.snack.open(
            done(result) + (skipped > 0 ? ` ${skipped} skipped (${reasons}).` : ''),
            'OK',
            { duration: 6000 },
          );
          if (action !== 'check') {
            this.clearSelection();
            this.refresh();
          }
        },
        error: (error: unknown) => {
          this.bulkBusy.set(false);
          // A 429 says when to try again (Retry-After), in describeHttpError's sentence.
          const nothing = action === 'check' ? 'No check was queued.' : 'No host was changed.';
          this.snack.open(`${nothing} ${describeHttpError(error)}`, 'OK', { duration: 10000 });
        },
      });
  }

  protected openImport(): void {
    this.dialog
      .open(ImportDialog, { width: '760px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((report: ImportReport | undefined) => {
        if (!report) return;
        this.snack.open(
          `Imported: ${report.created} created, ${report.updated} updated, ${report.refused} refused.`,
          'OK',
          { duration: 6000 },
        );
        this.refresh();
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
