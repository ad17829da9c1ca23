import { Routes } from '@angular/router';
import { roleGuard } from '../../core/auth/auth.guard';

export const routes: Routes = [
  {
    path: '',
    title: 'Settings · hostwatch',
    canActivate: [roleGuard('admin')],
    loadComponent: () => import('./pages/settings.page').then((m) => m.SettingsPage),
  },
];
