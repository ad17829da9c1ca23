import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    title: 'Wallboard · hostwatch',
    loadComponent: () => import('./pages/wall.page').then((m) => m.WallPage),
  },
];
