import type { Request } from 'express';
import type { UserRole } from './roles';

/** How a request proved who it is. */
export type IdentityKind = 'session' | 'api_token' | 'oidc' | 'proxy';

/** The caller of one request, as the guard established it. */
export interface Identity {
  kind: IdentityKind;
  /** The hostwatch user; null for OIDC bearer tokens, which need no local account. */
  userId: string | null;
  username: string;
  role: UserRole;
  /** The login session (kind `session`) or the API token (kind `api_token`). */
  sessionId?: string;
  apiTokenId?: string;
}

/** An Express request once the AuthGuard has run: `identity` is set on every non-public route. */
export type AuthenticatedRequest = Request & { identity?: Identity };
