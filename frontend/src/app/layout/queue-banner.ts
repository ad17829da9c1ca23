import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { catchError, of, switchMap, timer } from 'rxjs';
import { ApiService } from '../core/api/api.service';
import type { Stats } from '../core/api/api-types';
import { queueOutageText } from '../core/health/queue-outage';

/** How often the shell asks whether the queue answers. */
const POLL_MS = 10_000;

/**
 * A banner under the top bar while Redis is away ("queue unavailable: checks paused since
 * 10:42"), for everyone: checks are paused and JIT checks are refused meanwhile, and the rest
 * of the console keeps working. It goes when the queue answers again.
 */
@Component({
  selector: 'hw-queue-banner',
  template: `
    <div class="slot" role="status" aria-live="polite">
      @if (text(); as t) {
        <div class="banner" data-testid="queue-banner">
          <span class="icon" aria-hidden="true">!</span>
          <span>{{ t }}</span>
        </div>
      }
    </div>
  `,
  styles: `
    .banner {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 4px 16px;
      background: #fff4e5;
      color: #4d2c00;
      border-bottom: 1px solid #b26a00;
      font: var(--mat-sys-body-medium);
    }
    .icon {
      color: #b26a00;
      font-weight: 700;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QueueBanner {
  private readonly stats = signal<Stats | null>(null);
  protected readonly text = computed(() => queueOutageText(this.stats()));

  constructor() {
    const api = inject(ApiService);
    timer(0, POLL_MS)
      .pipe(
        // A failed poll keeps what the last one said.
        switchMap(() => api.stats().pipe(catchError(() => of(null)))),
        takeUntilDestroyed(),
      )
      .subscribe((stats) => {
        if (stats) this.stats.set(stats);
      });
  }
}
