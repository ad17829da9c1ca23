import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { UserEntity } from '../users/entities/user.entity';
import { toUserResponse, UsersService } from '../users/users.service';
import { AccessTokenService } from './access-token.service';
import { IdentityResponseDto, TokenResponseDto } from './dto/auth.dto';
import type { Identity } from '../common/auth/identity';
import { hashToken, newOpaqueToken, REFRESH_TOKEN_PREFIX } from './opaque-token';
import { PasswordHasher } from '../users/password-hasher';
import { SessionsRepository } from './sessions.repository';

const BAD_LOGIN = 'Invalid username or password';
const BAD_REFRESH = 'Refresh token is invalid, expired or revoked; log in again';

export function toIdentityResponse(identity: Identity): IdentityResponseDto {
  return {
    kind: identity.kind,
    user_id: identity.userId,
    username: identity.username,
    role: identity.role,
  };
}

/** Local logins and their sessions: password check, token pairs, rotation, logout. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsRepository,
    private readonly accessTokens: AccessTokenService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async login(username: string, password: string): Promise<TokenResponseDto> {
    const user = await this.users.findEntityByUsername(username);
    // verify() does the same work for a missing user, so timing does not reveal who exists.
    const passwordOk = await this.hasher.verify(password, user?.passwordHash ?? null);
    const reason = !user
      ? 'unknown_user'
      : user.passwordHash === null
        ? 'no_password'
        : !passwordOk
          ? 'bad_password'
          : !user.isActive
            ? 'disabled'
            : null;
    if (reason !== null || !user) {
      await this.audit.record({
        action: 'auth.login',
        outcome: 'failure',
        targetType: 'user',
        targetId: user?.id ?? null,
        details: { reason },
        actor: { name: user?.username ?? username, type: 'anonymous', userId: user?.id ?? null },
      });
      throw new UnauthorizedException(BAD_LOGIN);
    }
    const pair = await this.startSession(user);
    await this.audit.record({
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      details: { method: 'password' },
      actor: { name: user.username, type: 'session', userId: user.id },
    });
    return pair;
  }

  /** A new session for a user already authenticated (password, or OIDC at the callback). */
  async startSession(user: UserEntity): Promise<TokenResponseDto> {
    const now = this.clock.now();
    const refreshToken = newOpaqueToken(REFRESH_TOKEN_PREFIX);
    const expiresAt = new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000);
    const session = await this.sessions.create(user.id, expiresAt, hashToken(refreshToken));
    await this.users.touchLastLogin(user.id);
    const fresh = (await this.users.findEntityById(user.id)) ?? user;
    return {
      access_token: await this.accessTokens.issue({ userId: user.id, sessionId: session.id }, now),
      token_type: 'Bearer',
      expires_in: this.accessTokens.ttlSeconds,
      refresh_token: refreshToken,
      refresh_expires_in: this.config.refreshTokenTtlSeconds,
      user: toUserResponse(fresh),
    };
  }

  /** Trades a refresh token for a new pair; a token used twice revokes its whole session. */
  async refresh(refreshToken: string): Promise<TokenResponseDto> {
    const now = this.clock.now();
    const stored = await this.sessions.findToken(hashToken(refreshToken));
    if (!stored) throw new UnauthorizedException(BAD_REFRESH);
    const session = await this.sessions.findSession(stored.sessionId);
    if (
      !session ||
      session.revokedAt !== null ||
      session.expiresAt <= now ||
      stored.expiresAt <= now
    ) {
      throw new UnauthorizedException(BAD_REFRESH);
    }
    const user = await this.users.findEntityById(session.userId);
    if (!user || !user.isActive) throw new UnauthorizedException(BAD_REFRESH);

    const next = newOpaqueToken(REFRESH_TOKEN_PREFIX);
    const rotated =
      stored.usedAt === null &&
      (await this.sessions.rotate(
        stored.tokenHash,
        session.id,
        hashToken(next),
        session.expiresAt,
        now,
      ));
    if (!rotated) {
      // A rotated-out token came back: whoever holds it stole it, or the owner's copy was.
      await this.sessions.revoke(session.id, now, 'refresh_reuse');
      await this.audit.record({
        action: 'auth.refresh_reuse',
        outcome: 'failure',
        targetType: 'session',
        targetId: session.id,
        actor: { name: user.username, type: 'session', userId: user.id },
      });
      throw new UnauthorizedException(BAD_REFRESH);
    }
    return {
      access_token: await this.accessTokens.issue({ userId: user.id, sessionId: session.id }, now),
      token_type: 'Bearer',
      expires_in: this.accessTokens.ttlSeconds,
      refresh_token: next,
      refresh_expires_in: Math.max(
        0,
        Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000),
      ),
      user: toUserResponse(user),
    };
  }

  /** Ends the caller's login session: its access and refresh tokens stop working at once. */
  async logout(identity: Identity): Promise<void> {
    if (identity.kind !== 'session' || !identity.sessionId) {
      throw new BadRequestException(
        'Logout ends a login session; this request is not from one (revoke API tokens with DELETE /api/tokens/{id})',
      );
    }
    await this.sessions.revoke(identity.sessionId, this.clock.now(), 'logout');
    await this.audit.record({
      action: 'auth.logout',
      targetType: 'session',
      targetId: identity.sessionId,
    });
  }

  async changePassword(
    identity: Identity,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    if (!identity.userId || identity.kind === 'api_token') {
      throw new BadRequestException('Change a password from a login session of that user');
    }
    await this.users.changeOwnPassword(
      identity.userId,
      currentPassword,
      newPassword,
      identity.sessionId,
    );
  }
}
