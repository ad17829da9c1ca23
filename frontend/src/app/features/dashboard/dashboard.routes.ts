import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    title: 'Dashboard · hostwatch',
    loadComponent: () => import('./pages/dashboard.page').then((m) => m.DashboardPage),
  },
];
