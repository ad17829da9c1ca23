import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { LiveEventsService } from '../core/events/live-events.service';
import { nowSignal } from './clock';
import { staleNotice } from './stale';

/** A clear warning, with the data's age, while live updates are down. */
@Component({
  selector: 'hw-stale-banner',
  template: `@if (notice(); as text) {
    <p class="stale" role="alert" data-testid="stale-banner">
      <span aria-hidden="true">⚠</span> {{ text }}
    </p>
  }`,
  styles: `
    .stale {
      margin: 0;
      padding: 10px 16px;
      background: var(--hw-warn-bg, #fff3e0);
      color: var(--hw-warn-fg, #5d2e00);
      border-bottom: 2px solid #ef6c00;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StaleBanner {
  private readonly live = inject(LiveEventsService);
  private readonly now = nowSignal(1000);
  protected readonly notice = computed(() => staleNotice(this.live.lostAt(), this.now()));
}
