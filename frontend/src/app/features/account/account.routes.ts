import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    title: 'Your account · hostwatch',
    loadComponent: () => import('./pages/account.page').then((m) => m.AccountPage),
  },
];
