import { Routes } from '@angular/router';

/** Every role sees alerts; nothing here changes anything. */
export const routes: Routes = [
  {
    path: '',
    title: 'Alerts · hostwatch',
    loadComponent: () => import('./pages/alerts.page').then((m) => m.AlertsPage),
  },
  {
    path: ':id',
    title: 'Alert · hostwatch',
    loadComponent: () => import('./pages/alert-detail.page').then((m) => m.AlertDetailPage),
  },
];
