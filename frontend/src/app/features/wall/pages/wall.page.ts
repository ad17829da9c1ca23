import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { catchError, merge, of, Subject, switchMap, throttleTime } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { Stats } from '../../../core/api/api-types';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { nowSignal } from '../../../shared/clock';
import { formatTimestamp } from '../../../shared/format';
import { isFailing, SEVERITY_ORDER } from '../../../shared/severity';
import { StaleBanner } from '../../../shared/stale-banner';
import { stateStyle } from '../../../shared/state';
import { FailingNow } from '../../dashboard/components/failing-now';

/**
 * The wallboard for a NOC screen: read-only, no navigation, large type that scales with the
 * screen. Only what is failing and the fleet's totals, live.
 */
@Component({
  selector: 'hw-wall-page',
  imports: [FailingNow, StaleBanner],
  template: `
    <hw-stale-banner />
    <main class="wall" id="main">
      <header class="top">
        <h1>hostwatch</h1>
        <span class="clock" data-testid="wall-clock">{{ clock() }}</span>
      </header>
      @if (error(); as message) {
        <p class="error-text" role="alert">Could not read the fleet's totals: {{ message }}</p>
      }
      @if (stats(); as s) {
        <section aria-labelledby="totals-title">
          <h2 id="totals-title" class="visually-hidden">Fleet totals</h2>
          <ul class="totals" data-testid="wall-totals">
            @for (st of states; track st) {
              <li
                [class.bad]="isFailing(st) && count(st) > 0"
                [style.border-color]="isFailing(st) && count(st) > 0 ? style(st).chart : null"
                [attr.data-testid]="'wall-' + st"
              >
                <span class="num">{{ count(st) }}</span>
                <span class="label"
                  ><span aria-hidden="true">{{ style(st).symbol }}</span>
                  {{ style(st).label }}</span
                >
              </li>
            }
            <li data-testid="wall-total">
              <span class="num">{{ s.total_hosts }}</span>
              <span class="label">hosts</span>
            </li>
          </ul>
        </section>
      }
      <hw-failing-now [large]="true" />
    </main>
  `,
  styles: `
    :host {
      display: block;
      min-height: 100vh;
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
    }
    .wall {
      padding: clamp(12px, 2vw, 40px);
      font-size: clamp(16px, 1.6vw, 40px);
    }
    .top {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: 16px;
    }
    h1 {
      margin: 0 0 0.5em;
      font-size: clamp(24px, 2.6vw, 64px);
    }
    .clock {
      font-size: clamp(20px, 2.2vw, 56px);
      font-variant-numeric: tabular-nums;
    }
    .totals {
      list-style: none;
      padding: 0;
      margin: 0 0 1em;
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 9em), 1fr));
      gap: 0.6em;
    }
    .totals li {
      display: flex;
      flex-direction: column;
      padding: 0.5em 0.8em;
      border-radius: 12px;
      border: 2px solid var(--mat-sys-outline-variant);
      border-left-width: 0.4em;
      background: var(--mat-sys-surface-container);
    }
    .totals li.bad {
      border-width: 0.2em 0.2em 0.2em 0.6em;
    }
    .num {
      font-size: clamp(32px, 4.5vw, 120px);
      font-weight: 700;
      line-height: 1.1;
      font-variant-numeric: tabular-nums;
    }
    .label {
      font-size: 1em;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WallPage {
  private readonly api = inject(ApiService);
  private readonly live = inject(LiveEventsService);
  private readonly now = nowSignal(1000);
  protected readonly states = SEVERITY_ORDER;
  protected readonly isFailing = isFailing;
  protected readonly style = stateStyle;
  protected readonly stats = signal<Stats | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly clock = computed(() => formatTimestamp(new Date(this.now()).toISOString()));
  private readonly reads = new Subject<void>();

  constructor() {
    this.live.connect();
    merge(this.reads, this.live.transitions$, this.live.reconnected$)
      .pipe(
        throttleTime(3000, undefined, { leading: true, trailing: true }),
        switchMap(() =>
          this.api.stats().pipe(
            catchError((error: unknown) => {
              this.error.set(describeHttpError(error));
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
    this.reads.next();
  }

  protected count(state: string): number {
    return (this.stats()?.hosts_by_state as Record<string, number> | undefined)?.[state] ?? 0;
  }
}
