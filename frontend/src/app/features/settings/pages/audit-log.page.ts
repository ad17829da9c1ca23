import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { catchError, combineLatest, map, of, switchMap, tap } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { AuditEvent, AuditList } from '../../../core/api/api-types';
import { formatTimestamp } from '../../../shared/format';
import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  auditApiQuery,
  auditFilterProblem,
  AuditFilters,
  auditFiltersFromParams,
  detailLines,
  PAGE_SIZES,
  paramsFromAuditFilters,
  shownMinute,
  typedUtcMinute,
} from '../audit-query';
import { auditTarget } from '../audit-target';

@Component({
  selector: 'hw-audit-log-page',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
  ],
  templateUrl: './audit-log.page.html',
  styleUrl: './admin-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogPage {
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);

  protected readonly actions = AUDIT_ACTIONS;
  protected readonly targetTypes = AUDIT_TARGET_TYPES;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly formatTimestamp = formatTimestamp;
  protected readonly detailLines = detailLines;
  protected readonly shownMinute = shownMinute;
  /** Account names by id, so user targets read as names. */
  private readonly userNames = signal<ReadonlyMap<string, string>>(new Map());

  /** What the URL asks for: the list follows it, so filters survive reloads and links. */
  protected readonly filters = toSignal(this.route.queryParams.pipe(map(auditFiltersFromParams)), {
    requireSync: true,
  });
  /** The form being edited, applied on submit. */
  protected readonly draft = signal<AuditFilters>(this.filters());
  protected readonly problem = signal<string | null>(null);
  /** Times typed that are not times: the filters are not applied until they are put right. */
  private readonly timeProblems = signal<{ since: string | null; until: string | null }>({
    since: null,
    until: null,
  });
  protected readonly result = signal<AuditList | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly open = signal<ReadonlySet<string>>(new Set());
  private readonly reload = signal(0);

  constructor() {
    effect(() => this.draft.set(this.filters()));
    // The audit log is an admin's page, and admins can list accounts.
    this.api
      .listUsers()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (users) => this.userNames.set(new Map(users.map((u) => [u.id, u.username]))),
        error: () => undefined,
      });
    const request = combineLatest([toObservable(this.filters), toObservable(this.reload)]).pipe(
      tap(() => {
        this.loading.set(true);
        this.error.set(null);
      }),
      switchMap(([f]) =>
        this.api.listAudit(auditApiQuery(f)).pipe(
          catchError((e: unknown) => {
            this.error.set(describeHttpError(e));
            return of(null);
          }),
        ),
      ),
    );
    request.pipe(takeUntilDestroyed()).subscribe((list) => {
      this.loading.set(false);
      if (list) this.result.set(list);
    });
  }

  protected retry(): void {
    this.reload.update((n) => n + 1);
  }

  protected patchDraft(change: Partial<AuditFilters>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected setTime(key: 'since' | 'until', value: string): void {
    const minute = typedUtcMinute(value);
    const problem =
      minute === null
        ? `"${value.trim()}" is not a time: type it as YYYY-MM-DD HH:MM, 24-hour, in UTC (e.g. 2026-12-06 14:30).`
        : null;
    this.timeProblems.update((p) => ({ ...p, [key]: problem }));
    this.problem.set(problem);
    if (minute !== null) this.patchDraft({ [key]: minute });
  }

  protected target(entry: AuditEvent) {
    return auditTarget(entry, this.userNames());
  }

  protected apply(): void {
    const typed = this.timeProblems().since ?? this.timeProblems().until;
    if (typed) {
      this.problem.set(typed);
      return;
    }
    const next = { ...this.draft(), actor: this.draft().actor.trim(), page: 1 };
    const problem = auditFilterProblem(next);
    this.problem.set(problem);
    if (problem) return;
    void this.router.navigate([], { queryParams: paramsFromAuditFilters(next) });
  }

  protected clear(): void {
    this.problem.set(null);
    this.timeProblems.set({ since: null, until: null });
    void this.router.navigate([], { queryParams: {} });
  }

  protected filtered(): boolean {
    const f = this.filters();
    return !!(f.actor || f.action || f.target_type || f.since || f.until);
  }

  protected onPage(event: PageEvent): void {
    const next = { ...this.filters(), page: event.pageIndex + 1, page_size: event.pageSize };
    if (event.pageSize !== this.filters().page_size) next.page = 1;
    void this.router.navigate([], { queryParams: paramsFromAuditFilters(next) });
  }

  protected toggle(e: AuditEvent): void {
    this.open.update((s) => {
      const next = new Set(s);
      if (next.has(e.id)) next.delete(e.id);
      else next.add(e.id);
      return next;
    });
  }
}
