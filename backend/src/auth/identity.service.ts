import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { BlockList } from 'node:net';
import { AppConfig, USERNAME_PATTERN } from '../config/app-config';
import { Clock } from '../common/clock';
import { normalizeAddress } from '../common/request-context';
import { UsersService } from '../users/users.service';
import { AccessTokenService, LOCAL_ISSUER } from './access-token.service';
import { ApiTokensService } from './api-tokens.service';
import type { Identity } from '../common/auth/identity';
import { API_TOKEN_PREFIX } from './opaque-token';
import { OidcVerifier } from './oidc-verifier.service';
import { SessionsRepository } from './sessions.repository';

const NO_IDENTITY =
  'Authentication required: send Authorization: Bearer <token> (POST /api/auth/login gives one)';
const BAD_TOKEN = 'The bearer token is invalid, expired or revoked';

/**
 * Who is calling: the SSO proxy's header (only from AUTH_TRUSTED_PROXIES), else the bearer
 * token: an API token (`hwt_`), hostwatch's own access token, or the IdP's JWT.
 */
@Injectable()
export class IdentityService {
  private readonly trustedProxies: BlockList | null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly sessions: SessionsRepository,
    private readonly accessTokens: AccessTokenService,
    private readonly apiTokens: ApiTokensService,
    private readonly oidc: OidcVerifier,
  ) {
    const proxy = config.authProxy;
    this.trustedProxies = proxy ? new BlockList() : null;
    for (const cidr of proxy?.trustedProxies ?? []) {
      this.trustedProxies!.addSubnet(cidr.network, cidr.prefix, cidr.family);
    }
  }

  /** The request's identity; a 401 when it has none or a bad one. */
  async resolve(req: Request): Promise<Identity> {
    const fromProxy = await this.fromProxy(req);
    if (fromProxy) return fromProxy;
    const header = req.headers.authorization;
    if (!header) throw new UnauthorizedException(NO_IDENTITY);
    const match = /^Bearer +([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedException('Authorization must be "Bearer <token>"');
    const token = match[1];
    const identity = token.startsWith(API_TOKEN_PREFIX)
      ? await this.apiTokens.authenticate(token)
      : await this.fromJwt(token);
    if (!identity) throw new UnauthorizedException(BAD_TOKEN);
    return identity;
  }

  /** Whether the socket's remote address is one of AUTH_TRUSTED_PROXIES. */
  isTrustedProxy(address: string | null): boolean {
    if (!this.trustedProxies || !address) return false;
    return this.trustedProxies.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
  }

  private async fromProxy(req: Request): Promise<Identity | null> {
    const proxy = this.config.authProxy;
    if (!proxy) return null;
    const value = req.headers[proxy.header];
    if (value === undefined) return null;
    // From anywhere but a trusted proxy the header is ignored: anyone can send it.
    if (!this.isTrustedProxy(normalizeAddress(req.socket.remoteAddress))) return null;
    const username = (Array.isArray(value) ? value[0] : value).trim();
    if (!USERNAME_PATTERN.test(username)) {
      throw new UnauthorizedException(`The ${proxy.header} header does not hold a valid username`);
    }
    const user = await this.users.upsertExternal(username, 'proxy', proxy.defaultRole, false);
    if (!user.isActive) throw new UnauthorizedException(`User '${user.username}' is disabled`);
    return { kind: 'proxy', userId: user.id, username: user.username, role: user.role };
  }

  private async fromJwt(token: string): Promise<Identity | null> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return null;
    }
    if (issuer === LOCAL_ISSUER) return this.fromAccessToken(token);
    if (this.oidc.handles(issuer)) return this.oidc.verify(token);
    return null;
  }

  private async fromAccessToken(token: string): Promise<Identity | null> {
    const claims = await this.accessTokens.verify(token);
    if (!claims) return null;
    const session = await this.sessions.findSession(claims.sessionId);
    if (!session || session.userId !== claims.userId || session.revokedAt !== null) return null;
    if (session.expiresAt <= this.clock.now()) return null;
    const user = await this.users.findEntityById(claims.userId);
    if (!user || !user.isActive) return null;
    return {
      kind: 'session',
      userId: user.id,
      username: user.username,
      role: user.role,
      sessionId: session.id,
    };
  }
}
