import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { badRequest } from '../common/validation';
import { UsersService } from '../users/users.service';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokenResponseDto, CreateApiTokenDto, CreatedApiTokenResponseDto } from './dto/auth.dto';
import { ApiTokenEntity } from './entities/api-token.entity';
import type { Identity } from '../common/auth/identity';
import { API_TOKEN_PREFIX, hashToken, newOpaqueToken } from './opaque-token';
import { hasRole, lowerRole } from '../common/auth/roles';

/** last_used_at is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export function toApiTokenResponse(t: ApiTokenEntity): ApiTokenResponseDto {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: t.id,
    name: t.name,
    user_id: t.userId,
    created_by: t.createdBy,
    token_prefix: t.tokenPrefix,
    role: t.role,
    expires_at: iso(t.expiresAt),
    last_used_at: iso(t.lastUsedAt),
    revoked_at: iso(t.revokedAt),
    created_at: t.createdAt.toISOString(),
  };
}

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(identity: Identity, dto: CreateApiTokenDto): Promise<CreatedApiTokenResponseDto> {
    const creatorId = this.requireUser(identity);
    const ownerId = dto.user_id ?? creatorId;
    const owner = await this.users.findEntityById(ownerId);
    if (ownerId !== creatorId) {
      if (!hasRole(identity.role, 'admin')) {
        throw new ForbiddenException(
          'Only admins make tokens for another account (a service account)',
        );
      }
      if (!owner) throw badRequest([{ field: 'user_id', problem: `no user with id ${ownerId}` }]);
      if (!owner.isServiceAccount) {
        throw badRequest([
          {
            field: 'user_id',
            problem:
              'tokens for another account are for service accounts only; people make their own',
          },
        ]);
      }
    }
    if (!owner || !owner.isActive)
      throw badRequest([{ field: 'user_id', problem: 'the account is disabled' }]);
    const ceiling = lowerRole(identity.role, owner.role);
    const role = dto.role ?? ceiling;
    if (!hasRole(ceiling, role)) {
      throw badRequest([
        { field: 'role', problem: `cannot exceed ${ceiling} (the creator's and the owner's role)` },
      ]);
    }
    let expiresAt: Date | null = null;
    if (dto.expires_at !== undefined) {
      expiresAt = new Date(dto.expires_at);
      if (expiresAt <= this.clock.now())
        throw badRequest([{ field: 'expires_at', problem: 'must be in the future' }]);
    }
    const secret = newOpaqueToken(API_TOKEN_PREFIX);
    const entity = new ApiTokenEntity();
    entity.userId = owner.id;
    entity.createdBy = creatorId;
    entity.name = dto.name;
    entity.tokenHash = hashToken(secret);
    entity.tokenPrefix = secret.slice(0, API_TOKEN_PREFIX.length + 4);
    entity.role = role;
    entity.expiresAt = expiresAt;
    entity.lastUsedAt = null;
    entity.revokedAt = null;
    const saved = await this.tokens.save(entity);
    await this.audit.record({
      action: 'token.create',
      targetType: 'api_token',
      targetId: saved.id,
      details: {
        name: saved.name,
        role,
        owner: owner.username,
        expires_at: expiresAt?.toISOString() ?? null,
      },
    });
    return { ...toApiTokenResponse(saved), token: secret };
  }

  /** One account's tokens (yours by default), or with `all` every account's, newest first. */
  async list(identity: Identity, userId?: string, all = false): Promise<ApiTokenResponseDto[]> {
    const self = this.requireUser(identity);
    if (all && userId !== undefined) {
      throw badRequest([
        { field: 'all', problem: 'cannot be combined with user_id; leave one of them out' },
      ]);
    }
    const other = all || (userId !== undefined && userId !== self);
    if (other && !hasRole(identity.role, 'admin')) {
      throw new ForbiddenException("Only admins list another account's tokens");
    }
    return (await this.tokens.list(all ? undefined : (userId ?? self))).map(toApiTokenResponse);
  }

  /** Revokes a token: the owner's own, or any for an admin. Revoking twice is harmless. */
  async revoke(identity: Identity, id: string): Promise<void> {
    const token = await this.tokens.findById(id);
    if (!token || (token.userId !== identity.userId && !hasRole(identity.role, 'admin'))) {
      throw new NotFoundException(`API token '${id}' not found`);
    }
    if (token.revokedAt !== null) return;
    token.revokedAt = this.clock.now();
    await this.tokens.save(token);
    await this.audit.record({
      action: 'token.revoke',
      targetType: 'api_token',
      targetId: id,
      details: { name: token.name },
    });
  }

  /** The identity behind a presented token, or null if it is unknown, revoked or expired. */
  async authenticate(secret: string): Promise<Identity | null> {
    const token = await this.tokens.findByHash(hashToken(secret));
    const now = this.clock.now();
    if (!token || token.revokedAt !== null || (token.expiresAt !== null && token.expiresAt <= now))
      return null;
    const owner = await this.users.findEntityById(token.userId);
    if (!owner || !owner.isActive) return null;
    if (token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await this.tokens.touch(token.id, now);
    }
    return {
      kind: 'api_token',
      userId: owner.id,
      username: owner.username,
      // Never more than the owner can do today.
      role: lowerRole(token.role, owner.role),
      apiTokenId: token.id,
    };
  }

  private requireUser(identity: Identity): string {
    if (!identity.userId) {
      throw new BadRequestException(
        'API tokens belong to hostwatch accounts; this identity (an IdP token) has none: log in through /api/auth/oidc/login first',
      );
    }
    return identity.userId;
  }
}
