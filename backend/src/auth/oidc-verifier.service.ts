import {
  ForbiddenException,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { createRemoteJWKSet, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AppConfig, OidcConfig, USERNAME_PATTERN } from '../config/app-config';
import { Clock } from '../common/clock';
import type { Identity } from '../common/auth/identity';
import { roleRank, UserRole } from '../common/auth/roles';

/** Asymmetric algorithms only: an IdP token is never checked with a shared secret. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** The highest role any value of the role claim maps to, or null. */
export function roleFromClaims(claims: JWTPayload, oidc: OidcConfig): UserRole | null {
  const raw = claims[oidc.roleClaim];
  const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  let best: UserRole | null = null;
  for (const value of values) {
    const role = typeof value === 'string' ? oidc.roleMap.get(value) : undefined;
    if (role && (best === null || roleRank(role) > roleRank(best))) best = role;
  }
  return best;
}

/** The name a token's subject goes by: the username claim if usable, else `sub`. */
export function usernameFromClaims(claims: JWTPayload, oidc: OidcConfig): string | null {
  const preferred = claims[oidc.usernameClaim];
  if (typeof preferred === 'string' && USERNAME_PATTERN.test(preferred)) return preferred;
  return typeof claims.sub === 'string' && USERNAME_PATTERN.test(claims.sub) ? claims.sub : null;
}

/**
 * Checks bearer JWTs from the organisation's IdP: signature against the JWKS found through
 * OIDC discovery (cached for OIDC_JWKS_CACHE_SECONDS, re-fetched when a token names a key it
 * does not know, so rotations take effect), issuer, audience and expiry, all with jose.
 */
@Injectable()
export class OidcVerifier {
  private readonly logger = new Logger(OidcVerifier.name);
  private keys: Promise<JWTVerifyGetKey> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.config.oidc !== undefined;
  }

  handles(issuer: unknown): boolean {
    return this.config.oidc !== undefined && issuer === this.config.oidc.issuer;
  }

  /** The identity of a valid IdP token; null when it fails verification. */
  async verify(token: string): Promise<Identity | null> {
    const oidc = this.config.oidc;
    if (!oidc) return null;
    const keys = await this.jwks(oidc);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ALGORITHMS,
        currentDate: this.clock.now(),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      this.logger.debug(`IdP token refused: ${(error as Error).name}`);
      return null;
    }
    const username = usernameFromClaims(payload, oidc);
    const role = roleFromClaims(payload, oidc);
    if (!username) return null;
    if (!role) {
      throw new ForbiddenException(
        `The IdP token of '${username}' carries no ${oidc.roleClaim} value that maps to a hostwatch role (OIDC_ROLE_MAP)`,
      );
    }
    return { kind: 'oidc', userId: null, username, role };
  }

  private jwks(oidc: OidcConfig): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      this.keys = this.discover(oidc);
      // A failed discovery is retried on the next token rather than cached.
      this.keys.catch(() => (this.keys = null));
    }
    return this.keys;
  }

  private async discover(oidc: OidcConfig): Promise<JWTVerifyGetKey> {
    const url = `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let jwksUri: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const doc = (await res.json()) as { issuer?: string; jwks_uri?: string };
      if (doc.issuer !== oidc.issuer) throw new Error(`it names the issuer "${doc.issuer}"`);
      if (typeof doc.jwks_uri !== 'string') throw new Error('it has no jwks_uri');
      jwksUri = doc.jwks_uri;
    } catch (error) {
      this.logger.warn(`OIDC discovery at ${url} failed: ${(error as Error).message}`);
      throw new ServiceUnavailableException(
        `Cannot verify IdP tokens: OIDC discovery at ${url} failed (OIDC_ISSUER); try again later`,
      );
    }
    return createRemoteJWKSet(new URL(jwksUri), {
      cacheMaxAge: oidc.jwksCacheSeconds * 1000,
      cooldownDuration: Math.min(30_000, oidc.jwksCacheSeconds * 1000),
      timeoutDuration: 5000,
    });
  }
}
