import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    title: 'Hosts · hostwatch',
    loadComponent: () => import('./pages/hosts-list.page').then((m) => m.HostsListPage),
  },
  {
    path: ':id',
    title: 'Host · hostwatch',
    loadComponent: () => import('./pages/host-detail.page').then((m) => m.HostDetailPage),
  },
];
