import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { MatTabsModule } from '@angular/material/tabs';
import { AuthService } from '../../../core/auth/auth.service';

/**
 * The settings section: one tab per page, each a route of its own (deep links work); an
 * operator sees only Maintenance.
 */
@Component({
  selector: 'hw-settings-layout',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatTabsModule],
  template: `
    <div class="tabs">
      <nav mat-tab-nav-bar [tabPanel]="panel" aria-label="Settings sections">
        @for (link of links(); track link.path) {
          <a
            mat-tab-link
            [routerLink]="link.path"
            routerLinkActive
            #rla="routerLinkActive"
            [routerLinkActiveOptions]="exact"
            [active]="rla.isActive"
            [attr.data-testid]="'settings-tab-' + link.id"
            >{{ link.label }}</a
          >
        }
      </nav>
    </div>
    <mat-tab-nav-panel #panel><router-outlet /></mat-tab-nav-panel>
  `,
  styles: `
    .tabs {
      max-width: 1400px;
      margin: 0 auto;
      padding: 8px 24px 0;
      box-sizing: border-box;
    }
    @media (max-width: 600px) {
      .tabs {
        padding: 8px 0 0;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsLayout {
  protected readonly exact = {
    paths: 'exact',
    queryParams: 'ignored',
    matrixParams: 'ignored',
    fragment: 'ignored',
  } as const;
  private readonly auth = inject(AuthService);
  private readonly all = [
    { id: 'general', path: '/settings', label: 'Monitoring' },
    { id: 'users', path: '/settings/users', label: 'Users and roles' },
    { id: 'tokens', path: '/settings/tokens', label: 'API tokens' },
    { id: 'channels', path: '/settings/channels', label: 'Channels' },
    { id: 'rules', path: '/settings/rules', label: 'Rules' },
    { id: 'maintenance', path: '/settings/maintenance', label: 'Maintenance' },
    { id: 'audit', path: '/settings/audit', label: 'Audit log' },
  ];
  /** Operators reach only the maintenance windows. */
  protected readonly links = computed(() =>
    this.auth.can('admin') ? this.all : this.all.filter((l) => l.id === 'maintenance'),
  );
}
