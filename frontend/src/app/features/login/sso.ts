/**
 * The console's side of single sign-on: where the "Sign in with SSO" button goes, where the
 * console goes afterwards, and what to tell the person when the IdP or hostwatch refused.
 */

/** The same rule the API applies to `return_to`: a path inside the console, never another host. */
const CONSOLE_PATH = /^\/(?![/\\]|api(?:[/?#]|$))[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;

/** Where to land after signing in: `next` when it is a console page, else the dashboard. */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 512 || !CONSOLE_PATH.test(next) || /^\/login(?:[/?#]|$)/.test(next)) {
    return '/dashboard';
  }
  return next;
}

/** The API route that starts a console sign-on through the IdP and comes back to `next`. */
export function ssoLoginHref(loginUrl: string, next: string | null | undefined): string {
  return `${loginUrl}?return_to=${encodeURIComponent(safeNext(next))}`;
}

const MESSAGES: Record<string, string> = {
  denied:
    'Single sign-on was cancelled at your identity provider. Try again, or sign in with a local account.',
  state_mismatch:
    'Single sign-on could not be verified: it was started in another tab or browser. Try again from here.',
  expired: 'Single sign-on took more than 10 minutes or was started in another browser. Try again.',
  no_role:
    'Your identity provider account is in no group that gives access to hostwatch. Ask an administrator to map one (OIDC_ROLE_MAP).',
  no_username:
    'Your identity provider did not say who you are. Ask an administrator to check OIDC_USERNAME_CLAIM.',
  conflict:
    'A local hostwatch account already has your name, so single sign-on will not take it over. Ask an administrator to rename one of them.',
  disabled: 'Your hostwatch account is disabled. Ask an administrator to enable it.',
  not_configured: 'Single sign-on is not configured on this server. Sign in with a local account.',
  unavailable: 'Your identity provider cannot be reached right now. Try again in a few minutes.',
  idp_error: 'Your identity provider refused the sign-in. Try again, or ask an administrator.',
  collect:
    'Single sign-on finished, but this browser could not take over the session (it is used once, within a minute). Try again.',
};

/** A message for `?sso_error=<reason>` from the API (unknown reasons get a general one). */
export function ssoErrorMessage(reason: string): string {
  return MESSAGES[reason] ?? 'Single sign-on failed. Try again, or sign in with a local account.';
}
