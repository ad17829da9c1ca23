import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { AuthService } from '../core/auth/auth.service';
import { ThemeService } from '../core/theme/theme.service';
import { LiveEventsService } from '../core/events/live-events.service';
import { AlertBell } from './alert-bell';
import { DeliveryNoticeBar } from './delivery-notice';
import { StaleBanner } from '../shared/stale-banner';
import { QueueBanner } from './queue-banner';

/**
 * The frame around every signed-in page: navigation, the open-problem bell, live-connection
 * status, the user, a banner while the queue is unavailable, and (admins) the notice of
 * notifications given up on.
 */
@Component({
  selector: 'hw-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbarModule,
    MatButtonModule,
    AlertBell,
    DeliveryNoticeBar,
    StaleBanner,
    QueueBanner,
  ],
  template: `
    <a class="skip" href="#main" (click)="skipToContent($event)">Skip to content</a>
    <mat-toolbar class="bar">
      <a class="brand" routerLink="/dashboard">hostwatch</a>
      <nav aria-label="Main">
        @for (link of links(); track link.path) {
          <a
            mat-button
            [routerLink]="link.path"
            routerLinkActive="active"
            #rla="routerLinkActive"
            [attr.aria-current]="rla.isActive ? 'page' : null"
            >{{ link.label }}</a
          >
        }
      </nav>
      <span class="spacer"></span>
      <hw-alert-bell />
      <span
        class="live"
        [attr.data-status]="live.status()"
        role="status"
        [attr.title]="live.detail()"
      >
        <span aria-hidden="true" class="dot"></span>{{ liveText() }}
      </span>
      <button
        mat-button
        type="button"
        class="theme"
        (click)="theme.toggle()"
        [attr.aria-label]="'Colours: ' + themeText() + '. Change'"
        data-testid="theme-toggle"
      >
        <span aria-hidden="true">{{ theme.scheme() === 'dark' ? '☾' : '☀' }}</span>
        <span class="theme-text">{{ themeText() }}</span>
      </button>
      @if (auth.required && auth.user(); as user) {
        <a class="user" routerLink="/account" data-testid="account-link"
          >{{ user.username }}<span class="role"> ({{ user.role }})</span></a
        >
        <button mat-button type="button" (click)="logout()">Sign out</button>
      }
    </mat-toolbar>
    <hw-stale-banner />
    <hw-queue-banner />
    @if (auth.can('admin')) {
      <hw-delivery-notice />
    }
    <main id="main" tabindex="-1"><router-outlet /></main>
  `,
  styles: `
    .bar {
      gap: 8px;
      flex-wrap: wrap;
      height: auto;
      min-height: 56px;
      background: var(--mat-sys-surface-container);
    }
    .brand {
      font: var(--mat-sys-title-large);
      text-decoration: none;
      color: var(--mat-sys-on-surface);
      margin-right: 16px;
    }
    nav {
      display: flex;
      gap: 4px;
      flex-wrap: wrap;
    }
    .active {
      background: var(--mat-sys-secondary-container);
    }
    .spacer {
      flex: 1;
    }
    .live {
      font: var(--mat-sys-label-large);
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }
    .dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: #9e9e9e;
    }
    .live[data-status='open'] .dot {
      background: #2e7d32;
    }
    .live[data-status='reconnecting'] .dot {
      background: #ef6c00;
    }
    .user {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface);
    }
    .skip {
      position: absolute;
      left: -9999px;
    }
    .skip:focus {
      left: 8px;
      top: 8px;
      z-index: 10;
      background: var(--mat-sys-surface);
      padding: 8px;
    }
    main {
      outline: none;
    }
    /* A phone keeps the first screen for content: one slim bar. */
    @media (max-width: 700px) {
      .bar {
        min-height: 48px;
        padding: 0 4px;
        gap: 2px;
      }
      .brand {
        font: var(--mat-sys-title-medium);
        margin-right: 4px;
      }
      .role,
      .theme-text {
        display: none;
      }
      nav a {
        min-width: 0;
        padding: 0 8px;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly auth = inject(AuthService);
  protected readonly live = inject(LiveEventsService);
  protected readonly theme = inject(ThemeService);
  protected readonly themeText = computed(() =>
    this.theme.choice() === 'system'
      ? `System (${this.theme.scheme()})`
      : this.theme.scheme() === 'dark'
        ? 'Dark'
        : 'Light',
  );
  private readonly router = inject(Router);

  protected readonly links = computed(() => [
    { path: '/dashboard', label: 'Dashboard' },
    { path: '/hosts', label: 'Hosts' },
    { path: '/alerts', label: 'Alerts' },
    // Operators reach only the maintenance windows under Settings.
    ...(this.auth.can('admin')
      ? [{ path: '/settings', label: 'Settings' }]
      : this.auth.can('operator')
        ? [{ path: '/settings/maintenance', label: 'Settings' }]
        : []),
  ]);

  protected readonly liveText = computed(() => {
    switch (this.live.status()) {
      case 'open':
        return 'Live';
      case 'connecting':
        return 'Connecting…';
      case 'reconnecting':
        return 'Reconnecting…';
      default:
        return 'Offline';
    }
  });

  constructor() {
    this.live.connect();
  }

  /** Focus the page content (a bare "#main" would resolve against <base href> and reload). */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }

  protected async logout(): Promise<void> {
    await this.auth.logout();
    await this.router.navigate(['/login']);
  }
}
