/**
 * Whether the backend requires sign-in. It does: every /api route but login and refresh needs
 * a bearer token. Kept as a flag so a build against an open backend still works (the first
 * 401 from the API switches sign-in on at run time either way: AuthService.markRequired).
 */
export const AUTH_REQUIRED = true;
