import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService, Role } from './auth.service';

/** Lets signed-in users through (after a silent refresh if needed), else to /login. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (auth.signedIn() || (await auth.refresh())) return true;
  return router.createUrlTree(['/login'], { queryParams: { next: state.url } });
};

/** For routes a role needs (settings: admin); the API refuses anyway, this hides the page. */
export function roleGuard(role: Role): CanActivateFn {
  return () => inject(AuthService).can(role) || inject(Router).createUrlTree(['/dashboard']);
}
