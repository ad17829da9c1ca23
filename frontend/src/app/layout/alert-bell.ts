import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { OpenAlertsService } from '../core/alerts/open-alerts.service';

/** The top bar's bell: how many problems are open, live, linking to the Alerts page. */
@Component({
  selector: 'hw-alert-bell',
  imports: [RouterLink],
  template: `
    <a
      class="bell"
      routerLink="/alerts"
      [attr.aria-label]="label()"
      [attr.title]="label()"
      [attr.data-count]="count()"
      data-testid="alert-bell"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      <span class="count" [class.some]="(count() ?? 0) > 0" aria-hidden="true">{{
        count() ?? '–'
      }}</span>
    </a>
  `,
  styles: `
    .bell {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 6px 10px;
      border-radius: 20px;
      color: var(--mat-sys-on-surface);
      text-decoration: none;
      font: var(--mat-sys-label-large);
    }
    .bell:hover,
    .bell:focus-visible {
      background: var(--mat-sys-surface-container-highest);
    }
    .count {
      min-width: 20px;
      padding: 0 6px;
      border-radius: 10px;
      text-align: center;
      line-height: 20px;
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface);
      box-sizing: border-box;
    }
    .count.some {
      background: #b3261e;
      color: #ffffff;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertBell {
  private readonly alerts = inject(OpenAlertsService);
  protected readonly count = this.alerts.count;

  protected readonly label = computed(() => {
    const n = this.count();
    if (n === null) return 'Alerts (open problems not known yet)';
    if (n === 0) return 'Alerts: no open problems';
    return `Alerts: ${n} open problem${n === 1 ? '' : 's'}`;
  });

  constructor() {
    this.alerts.start();
  }
}
