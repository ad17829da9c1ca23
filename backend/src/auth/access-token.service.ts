import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { JWT_SIGNING_KEY } from '../common/tokens';

/** `iss` and `aud` of hostwatch's own access tokens; an IdP's tokens carry its URL instead. */
export const LOCAL_ISSUER = 'hostwatch';
const AUDIENCE = 'hostwatch-api';

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
}

/** hostwatch's own short-lived access tokens: HS256 JWTs, signed and checked with jose. */
@Injectable()
export class AccessTokenService {
  constructor(
    @Inject(JWT_SIGNING_KEY) private readonly key: Buffer,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  /** Signs a token for a session; `issuedAt` defaults to now (tests pass a past time). */
  async issue(claims: AccessTokenClaims, issuedAt: Date = this.clock.now()): Promise<string> {
    const iat = Math.floor(issuedAt.getTime() / 1000);
    return (
      new SignJWT({ sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(claims.userId)
        // Unique even when two tokens of one session are signed in the same second.
        .setJti(randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + this.config.accessTokenTtlSeconds)
        .sign(this.key)
    );
  }

  /** The claims of a valid token, or null when it is malformed, tampered with or expired. */
  async verify(token: string): Promise<AccessTokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: LOCAL_ISSUER,
        audience: AUDIENCE,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'sid', 'exp'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      return { userId: payload.sub, sessionId: payload.sid };
    } catch {
      return null;
    }
  }
}
