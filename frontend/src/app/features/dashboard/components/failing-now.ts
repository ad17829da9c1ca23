import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { catchError, map, merge, of, Subject, switchMap, throttleTime } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { Host, HostHeartbeats } from '../../../core/api/api-types';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { nowSignal } from '../../../shared/clock';
import { formatElapsed, formatErrorType, formatTimestamp } from '../../../shared/format';
import { FAILING_STATES } from '../../../shared/severity';
import { StateBadge } from '../../../shared/state-badge';
import { applyOutcome } from '../../hosts/live-host';
import { failingHosts } from '../failing-hosts';

/** How many failing hosts the panel lists; the rest are a link to the filtered list. */
const SHOWN = 100;

/**
 * "Failing now": DOWN, CRITICAL and DEGRADED hosts, worst and longest failing first, with how
 * long each has been failing and its last error. Read on open, again (at most every 2 s) when
 * a state changes or the stream reconnects; results move the rows in between.
 */
@Component({
  selector: 'hw-failing-now',
  imports: [RouterLink, StateBadge],
  template: `
    <section
      class="card failing"
      [class.large]="large()"
      [class.calm]="loaded() && total() === 0"
      aria-labelledby="failing-title"
      data-testid="failing-now"
    >
      <h2 id="failing-title">
        Failing now
        @if (loaded()) {
          <span class="count" data-testid="failing-count">{{ total() }}</span>
        }
      </h2>
      @if (error(); as message) {
        <p class="error-text" role="alert">Could not read the failing hosts: {{ message }}</p>
      }
      @if (loaded() && total() === 0) {
        <p class="ok" data-testid="failing-none">
          <span aria-hidden="true">●</span> Nothing is failing: every monitored host answered its
          last check.
        </p>
      }
      <ol class="list">
        @for (f of rows(); track f.host.id) {
          <li [attr.data-failing]="f.host.hostname">
            <hw-state-badge [state]="f.host.monitoring_state" />
            @if (large()) {
              <span class="name">{{ f.host.hostname }}</span>
            } @else {
              <a class="name" [routerLink]="['/hosts', f.host.id]">{{ f.host.hostname }}</a>
            }
            <span class="for" [attr.title]="f.since ? 'since ' + formatTimestamp(f.since) : null">
              @if (f.since) {
                failing for <strong>{{ formatElapsed(f.since, now()) }}</strong>
              }
            </span>
            <span class="err">
              @if (f.host.last_error_type) {
                {{ formatErrorType(f.host.last_error_type) }} at {{ f.host.last_check_stage }}
                @if (!large() && f.host.last_error_message) {
                  <span class="muted">({{ f.host.last_error_message }})</span>
                }
              }
            </span>
          </li>
        }
      </ol>
      @if (!large() && total() > rows().length) {
        <a routerLink="/hosts" [queryParams]="{ state: 'DOWN,CRITICAL,DEGRADED' }">
          All {{ total() }} failing hosts
        </a>
      }
    </section>
  `,
  styles: `
    .failing {
      border-left: 6px solid var(--hw-bad, #b3261e);
    }
    .failing.calm {
      border-left-color: var(--hw-good, #1b5e20);
    }
    h2 {
      display: flex;
      align-items: center;
      gap: 8px;
      margin-top: 0;
    }
    .count {
      font: var(--mat-sys-title-medium);
      padding: 0 10px;
      border-radius: 999px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .list {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .list li {
      display: grid;
      grid-template-columns: max-content minmax(8em, 16em) minmax(10em, max-content) 1fr;
      gap: 4px 12px;
      align-items: center;
      padding: 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .ok {
      margin: 0;
    }
    .ok span {
      color: var(--hw-good, #1b5e20);
    }
    /* On the wallboard, sizes follow its type, which follows the screen. */
    .large h2 {
      font-size: 1.6em;
    }
    .large .list li {
      font-size: 1.1em;
      padding: 0.4em 0;
    }
    .large .ok {
      font-size: 1.3em;
    }
    @media (max-width: 700px) {
      .list li {
        grid-template-columns: max-content 1fr;
      }
      .for,
      .err {
        grid-column: 1 / -1;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FailingNow {
  /** Wallboard type: large, no links. */
  readonly large = input(false);

  private readonly api = inject(ApiService);
  private readonly live = inject(LiveEventsService);
  protected readonly now = nowSignal(1000);
  protected readonly formatElapsed = formatElapsed;
  protected readonly formatErrorType = formatErrorType;
  protected readonly formatTimestamp = formatTimestamp;

  private readonly hosts = signal<Host[]>([]);
  private readonly beats = signal<ReadonlyMap<string, HostHeartbeats>>(new Map());
  protected readonly total = signal(0);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly rows = computed(() => failingHosts(this.hosts(), this.beats()));
  private readonly reads = new Subject<void>();

  constructor() {
    merge(this.reads, this.live.transitions$, this.live.reconnected$)
      .pipe(
        throttleTime(2000, undefined, { leading: true, trailing: true }),
        switchMap(() =>
          this.api
            .listHosts({
              state: [...FAILING_STATES],
              sort: 'monitoring_state',
              order: 'asc',
              page_size: SHOWN,
            })
            .pipe(
              switchMap((list) =>
                list.items.length === 0
                  ? of({ list, beats: { items: [] as HostHeartbeats[] } })
                  : this.api
                      .heartbeats(
                        list.items.map((h) => h.id),
                        1,
                      )
                      .pipe(map((beats) => ({ list, beats }))),
              ),
              catchError((error: unknown) => {
                this.error.set(describeHttpError(error));
                return of(null);
              }),
            ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((answer) => {
        if (!answer) return;
        this.error.set(null);
        this.loaded.set(true);
        this.hosts.set(answer.list.items);
        this.total.set(answer.list.total);
        this.beats.set(new Map(answer.beats.items.map((b) => [b.host_id, b])));
      });
    this.reads.next();
    // A result moves a listed host's last error at once; a state change re-reads the list.
    this.live.checks$.pipe(takeUntilDestroyed()).subscribe((outcome) => {
      this.hosts.update((rows) =>
        rows.some((h) => h.id === outcome.host_id)
          ? rows.map((h) => applyOutcome(h, outcome))
          : rows,
      );
    });
  }
}
