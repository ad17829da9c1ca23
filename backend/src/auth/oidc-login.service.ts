import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { JWTPayload } from 'jose';
import * as client from 'openid-client';
import { AuditService } from '../audit/audit.service';
import { AppConfig, OidcConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { SecretBox } from '../common/secret-box';
import { SECRET_BOX } from '../common/tokens';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { TokenResponseDto } from './dto/auth.dto';
import { roleFromClaims, usernameFromClaims } from './oidc-verifier.service';

/** The cookie that carries state, nonce and PKCE verifier from /login to /callback, sealed. */
export const OIDC_COOKIE = 'hw_oidc';
/**
 * The cookie that carries a console sign-on from /callback to POST /oidc/session: the session's
 * first refresh token, sealed, for SSO_HANDOFF_SECONDS. HttpOnly, so page scripts never see it,
 * and never in a URL.
 */
export const SSO_HANDOFF_COOKIE = 'hw_sso';
const FLOW_SECONDS = 600;
export const SSO_HANDOFF_SECONDS = 60;
/** States of logins the console started begin with this, so a failed callback knows to redirect. */
const CONSOLE_STATE_PREFIX = 'c.';

interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  at: number;
  /** Console logins only: the console path to land on afterwards. */
  returnTo?: string;
}

interface Handoff {
  refreshToken: string;
  at: number;
}

/** Why a sign-on failed, in words the console's login page turns into a message. */
export type SsoFailureReason =
  | 'not_configured'
  | 'unavailable'
  | 'expired'
  | 'state_mismatch'
  | 'denied'
  | 'idp_error'
  | 'failed'
  | 'no_role'
  | 'no_username'
  | 'conflict'
  | 'disabled';

const REASON = Symbol('ssoFailureReason');

function tagged<T extends HttpException>(error: T, reason: SsoFailureReason): T {
  Object.assign(error, { [REASON]: reason });
  return error;
}

/** The reason a sign-on error carries (`failed` for anything unforeseen). */
export function ssoFailureReason(error: unknown): SsoFailureReason {
  const reason = (error as { [REASON]?: SsoFailureReason } | null)?.[REASON];
  if (reason) return reason;
  if (error instanceof ConflictException) return 'conflict';
  if (error instanceof NotFoundException) return 'not_configured';
  if (error instanceof ServiceUnavailableException) return 'unavailable';
  return 'failed';
}

/** Where a console sign-on goes back to: its own login page, which finishes or explains. */
export function consoleLoginUrl(
  returnTo: string,
  outcome: { ok: true } | { ok: false; reason: SsoFailureReason },
): string {
  const params = new URLSearchParams(
    outcome.ok ? { sso: 'done', next: returnTo } : { sso_error: outcome.reason, next: returnTo },
  );
  return `/login?${params.toString()}`;
}

/**
 * The console's single sign-on: the authorization-code flow with PKCE through openid-client.
 * The callback ends in hostwatch's own session (access + refresh token), with the role taken
 * from the IdP's claims at every login.
 */
@Injectable()
export class OidcLoginService {
  private readonly logger = new Logger(OidcLoginService.name);
  private configuration: Promise<client.Configuration> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** Whether the console can offer "Sign in with SSO". */
  get enabled(): boolean {
    const oidc = this.config.oidc;
    return !!oidc?.clientId && !!oidc.redirectUri;
  }

  /** Cookies of the flow are Secure when hostwatch is reached over https. */
  get secureCookies(): boolean {
    return this.config.oidc?.redirectUri?.startsWith('https:') ?? false;
  }

  /**
   * Where to send the browser, and the sealed cookie value to set on the way. With `returnTo`
   * (a console path, already validated) the login is the console's: the callback redirects
   * back into the console instead of answering JSON.
   */
  async start(returnTo?: string): Promise<{ location: string; cookie: string; secure: boolean }> {
    const oidc = this.flowConfig();
    const configuration = await this.discover(oidc);
    const random = client.randomState();
    const pending: PendingLogin = {
      state: returnTo === undefined ? random : `${CONSOLE_STATE_PREFIX}${random}`,
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      at: this.clock.now().getTime(),
      ...(returnTo === undefined ? {} : { returnTo }),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: oidc.redirectUri!,
      scope: oidc.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return {
      location: url.href,
      cookie: this.box.seal(JSON.stringify(pending)),
      secure: this.secureCookies,
    };
  }

  /**
   * The console path a callback returns to, or null for an API client's login (JSON). Read
   * from the sealed cookie; without it, the state's prefix still says the console started it.
   */
  consoleReturn(query: Record<string, unknown>, sealed: string | undefined): string | null {
    const pending = this.tryOpenPending(sealed);
    if (pending) return pending.returnTo ?? null;
    return typeof query.state === 'string' && query.state.startsWith(CONSOLE_STATE_PREFIX)
      ? '/dashboard'
      : null;
  }

  /** The sealed cookie value that hands a console sign-on's session to the console. */
  sealHandoff(pair: TokenResponseDto): string {
    const handoff: Handoff = { refreshToken: pair.refresh_token, at: this.clock.now().getTime() };
    return this.box.seal(JSON.stringify(handoff));
  }

  /**
   * The console collects its session: the handed-off refresh token is traded at once, so the
   * cookie works once, and a copy presented later counts as refresh-token reuse.
   */
  async collect(sealed: string | undefined): Promise<TokenResponseDto> {
    let handoff: Handoff | null = null;
    try {
      handoff = sealed ? (JSON.parse(this.box.open(sealed)) as Handoff) : null;
    } catch {
      handoff = null;
    }
    if (
      !handoff ||
      typeof handoff.refreshToken !== 'string' ||
      this.clock.now().getTime() - handoff.at > SSO_HANDOFF_SECONDS * 1000
    ) {
      throw new BadRequestException(
        'No single sign-on to complete from this browser (or it is over a minute old); sign in again',
      );
    }
    return this.auth.refresh(handoff.refreshToken);
  }

  /** Completes the flow: checks state, nonce and PKCE, then opens a hostwatch session. */
  async finish(
    query: Record<string, unknown>,
    sealed: string | undefined,
  ): Promise<TokenResponseDto> {
    const oidc = this.flowConfig();
    const pending = this.openPending(sealed);
    if (typeof query.error === 'string') {
      // The IdP sent the person back without a code: they declined, or it refused them.
      const denied = query.error === 'access_denied';
      await this.audit.record({
        action: 'auth.oidc_login',
        outcome: 'failure',
        details: { reason: denied ? 'denied' : 'idp_error', error: query.error.slice(0, 64) },
        actor: { name: 'anonymous', type: 'anonymous' },
      });
      throw tagged(
        new UnauthorizedException(
          denied
            ? 'Single sign-on was declined at the identity provider'
            : `The identity provider refused the sign-on (${query.error.slice(0, 64)})`,
        ),
        denied ? 'denied' : 'idp_error',
      );
    }
    if (query.state !== pending.state) {
      await this.audit.record({
        action: 'auth.oidc_login',
        outcome: 'failure',
        details: { reason: 'state_mismatch' },
        actor: { name: 'anonymous', type: 'anonymous' },
      });
      throw tagged(
        new UnauthorizedException(
          'Single sign-on failed: the state does not match the sign-on this browser started; start again',
        ),
        'state_mismatch',
      );
    }
    const configuration = await this.discover(oidc);
    const callbackUrl = new URL(oidc.redirectUri!);
    for (const [key, value] of Object.entries(query)) {
      if (typeof value === 'string') callbackUrl.searchParams.set(key, value);
    }
    let claims: JWTPayload;
    let accessToken: string;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = (tokens.claims() ?? {}) as JWTPayload;
      accessToken = tokens.access_token;
    } catch (error) {
      await this.audit.record({
        action: 'auth.oidc_login',
        outcome: 'failure',
        details: { reason: (error as Error).name },
        actor: { name: 'anonymous', type: 'anonymous' },
      });
      throw tagged(
        new UnauthorizedException(`Single sign-on failed: ${(error as Error).message}`),
        'failed',
      );
    }
    if (claims[oidc.roleClaim] === undefined && typeof claims.sub === 'string') {
      // Some IdPs put groups only in userinfo.
      try {
        const info = await client.fetchUserInfo(configuration, accessToken, claims.sub);
        claims = { ...info, ...claims, [oidc.roleClaim]: info[oidc.roleClaim] } as JWTPayload;
      } catch (error) {
        this.logger.warn(`OIDC userinfo failed: ${(error as Error).message}`);
      }
    }
    const username = usernameFromClaims(claims, oidc);
    const role = roleFromClaims(claims, oidc);
    if (!username || !role) {
      await this.audit.record({
        action: 'auth.oidc_login',
        outcome: 'failure',
        details: { reason: username ? 'no_role' : 'no_username', sub: claims.sub ?? null },
        actor: { name: username ?? 'anonymous', type: 'anonymous' },
      });
      throw tagged(
        new ForbiddenException(
          username
            ? `'${username}' has no ${oidc.roleClaim} value that maps to a hostwatch role (OIDC_ROLE_MAP)`
            : `The IdP gave no usable username (${oidc.usernameClaim} or sub)`,
        ),
        username ? 'no_role' : 'no_username',
      );
    }
    const user = await this.users.upsertExternal(username, 'oidc', role, true);
    if (!user.isActive) {
      throw tagged(new UnauthorizedException(`User '${user.username}' is disabled`), 'disabled');
    }
    const pair = await this.auth.startSession(user);
    await this.audit.record({
      action: 'auth.oidc_login',
      targetType: 'user',
      targetId: user.id,
      details: { role },
      actor: { name: user.username, type: 'session', userId: user.id },
    });
    return pair;
  }

  private flowConfig(): OidcConfig {
    const oidc = this.config.oidc;
    if (!oidc || !oidc.clientId || !oidc.redirectUri) {
      throw new NotFoundException(
        'Single sign-on is not configured: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URI',
      );
    }
    return oidc;
  }

  private tryOpenPending(sealed: string | undefined): PendingLogin | null {
    try {
      const pending = sealed ? (JSON.parse(this.box.open(sealed)) as PendingLogin) : null;
      return pending && this.clock.now().getTime() - pending.at <= FLOW_SECONDS * 1000
        ? pending
        : null;
    } catch {
      return null;
    }
  }

  private openPending(sealed: string | undefined): PendingLogin {
    const pending = this.tryOpenPending(sealed);
    if (!pending) {
      throw tagged(
        new BadRequestException(
          'No single sign-on in progress from this browser (or it took over 10 minutes); start again at /api/auth/oidc/login',
        ),
        'expired',
      );
    }
    return pending;
  }

  private discover(oidc: OidcConfig): Promise<client.Configuration> {
    if (!this.configuration) {
      const auth = oidc.clientSecret ? client.ClientSecretPost(oidc.clientSecret) : client.None();
      this.configuration = client
        .discovery(new URL(oidc.issuer), oidc.clientId!, undefined, auth, {
          // Plain http only when the issuer is configured so (a loopback IdP in a test lab).
          execute: oidc.issuer.startsWith('http:') ? [client.allowInsecureRequests] : [],
          timeout: 5,
        })
        .catch((error: Error) => {
          this.configuration = null;
          this.logger.warn(`OIDC discovery for ${oidc.issuer} failed: ${error.message}`);
          throw new ServiceUnavailableException(
            `Single sign-on is unavailable: OIDC discovery for ${oidc.issuer} failed; try again later`,
          );
        });
    }
    return this.configuration;
  }
}
