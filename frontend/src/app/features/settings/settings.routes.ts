import { Routes } from '@angular/router';
import { roleGuard } from '../../core/auth/auth.guard';
import { SettingsLayout } from './components/settings-layout';

/**
 * Admins see every page; operators only Maintenance (the API lets them write windows). The
 * guards hide the pages, and the API refuses their requests anyway.
 */
export const routes: Routes = [
  {
    path: '',
    component: SettingsLayout,
    canActivate: [roleGuard('operator')],
    children: [
      {
        path: '',
        canActivate: [roleGuard('admin')],
        pathMatch: 'full',
        title: 'Settings · hostwatch',
        loadComponent: () => import('./pages/settings.page').then((m) => m.SettingsPage),
      },
      {
        path: 'users',
        canActivate: [roleGuard('admin')],
        title: 'Users and roles · Settings · hostwatch',
        loadComponent: () => import('./pages/users.page').then((m) => m.UsersPage),
      },
      {
        path: 'tokens',
        canActivate: [roleGuard('admin')],
        title: 'API tokens · Settings · hostwatch',
        loadComponent: () => import('./pages/api-tokens.page').then((m) => m.ApiTokensPage),
      },
      {
        path: 'channels',
        canActivate: [roleGuard('admin')],
        title: 'Notification channels · Settings · hostwatch',
        loadComponent: () => import('./pages/channels.page').then((m) => m.ChannelsPage),
      },
      {
        path: 'rules',
        canActivate: [roleGuard('admin')],
        title: 'Notification rules · Settings · hostwatch',
        loadComponent: () => import('./pages/rules.page').then((m) => m.RulesPage),
      },
      {
        path: 'maintenance',
        title: 'Maintenance windows · Settings · hostwatch',
        loadComponent: () => import('./pages/maintenance.page').then((m) => m.MaintenancePage),
      },
      {
        path: 'audit',
        canActivate: [roleGuard('admin')],
        title: 'Audit log · Settings · hostwatch',
        loadComponent: () => import('./pages/audit-log.page').then((m) => m.AuditLogPage),
      },
    ],
  },
];
