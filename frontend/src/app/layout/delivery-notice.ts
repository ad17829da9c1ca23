import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { type DeliveryNotice, noticeAfter, noticeText } from '../core/alerts/delivery-notice';
import { AuthService } from '../core/auth/auth.service';
import { LiveEventsService } from '../core/events/live-events.service';

/**
 * A slim notice under the top bar when a notification was given up on (delivery_failed), for
 * admins, who can fix the channel. It blocks nothing and stays until dismissed, so it is not
 * missed by someone looking elsewhere; later failures update it in place.
 */
@Component({
  selector: 'hw-delivery-notice',
  imports: [RouterLink, MatButtonModule],
  template: `
    <div class="slot" role="status">
      @if (notice(); as n) {
        <div class="notice" data-testid="delivery-notice">
          <span class="icon" aria-hidden="true">✕</span>
          <span class="text">{{ text() }}</span>
          <a mat-button routerLink="/settings/channels">Channels</a>
          <button mat-button type="button" (click)="dismiss()">Dismiss</button>
        </div>
      }
    </div>
  `,
  styles: `
    .notice {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 4px 8px;
      padding: 4px 16px;
      background: #fdecea;
      color: #5f1410;
      border-bottom: 1px solid #b3261e;
      font: var(--mat-sys-body-medium);
    }
    .icon {
      color: #b3261e;
      font-weight: 700;
    }
    .text {
      flex: 1 1 240px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeliveryNoticeBar {
  private readonly auth = inject(AuthService);
  protected readonly notice = signal<DeliveryNotice | null>(null);
  protected readonly text = computed(() => {
    const n = this.notice();
    return n ? noticeText(n) : '';
  });

  constructor() {
    inject(LiveEventsService)
      .deliveryFailures$.pipe(takeUntilDestroyed())
      .subscribe((event) => {
        // Only admins manage channels; the stream is the same for every role.
        if (!this.auth.can('admin')) return;
        this.notice.update((n) => noticeAfter(n, event));
      });
  }

  protected dismiss(): void {
    this.notice.set(null);
  }
}
