import {
  BadRequestException,
  ForbiddenException,
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
import { SECRET_BOX } from '../credentials/credentials.service';
import { SecretBox } from '../credentials/secret-box';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { TokenResponseDto } from './dto/auth.dto';
import { roleFromClaims, usernameFromClaims } from './oidc-verifier.service';

/** The cookie that carries state, nonce and PKCE verifier from /login to /callback, sealed. */
export const OIDC_COOKIE = 'hw_oidc';
const FLOW_SECONDS = 600;

interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  at: number;
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

  /** Where to send the browser, and the sealed cookie value to set on the way. */
  async start(): Promise<{ location: string; cookie: string; secure: boolean }> {
    const oidc = this.flowConfig();
    const configuration = await this.discover(oidc);
    const pending: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      at: this.clock.now().getTime(),
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
      secure: oidc.redirectUri!.startsWith('https:'),
    };
  }

  /** Completes the flow: checks state, nonce and PKCE, then opens a hostwatch session. */
  async finish(
    query: Record<string, unknown>,
    sealed: string | undefined,
  ): Promise<TokenResponseDto> {
    const oidc = this.flowConfig();
    const pending = this.openPending(sealed);
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
      throw new UnauthorizedException(`Single sign-on failed: ${(error as Error).message}`);
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
      throw new ForbiddenException(
        username
          ? `'${username}' has no ${oidc.roleClaim} value that maps to a hostwatch role (OIDC_ROLE_MAP)`
          : `The IdP gave no usable username (${oidc.usernameClaim} or sub)`,
      );
    }
    const user = await this.users.upsertExternal(username, 'oidc', role, true);
    if (!user.isActive) throw new UnauthorizedException(`User '${user.username}' is disabled`);
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

  private openPending(sealed: string | undefined): PendingLogin {
    let pending: PendingLogin | null = null;
    try {
      pending = sealed ? (JSON.parse(this.box.open(sealed)) as PendingLogin) : null;
    } catch {
      pending = null;
    }
    if (!pending || this.clock.now().getTime() - pending.at > FLOW_SECONDS * 1000) {
      throw new BadRequestException(
        'No single sign-on in progress from this browser (or it took over 10 minutes); start again at /api/auth/oidc/login',
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
