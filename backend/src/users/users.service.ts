import { ConflictException, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import type { UserRole } from '../common/auth/roles';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { findOrNotFound, isUniqueViolation, saveOrConflict } from '../common/persistence';
import { badRequest } from '../common/validation';
import { CreateUserDto, UpdateUserDto, UserResponseDto } from './dto/user.dto';
import { UserEntity, UserSource } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

export function toUserResponse(u: UserEntity): UserResponseDto {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    is_active: u.isActive,
    is_service_account: u.isServiceAccount,
    source: u.source,
    has_password: u.passwordHash !== null,
    last_login_at: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    created_at: u.createdAt.toISOString(),
    updated_at: u.updatedAt.toISOString(),
  };
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('hostwatch');
  /** The first admin's generated login, until the startup banner has shown it. */
  private generated: { username: string; password: string } | null = null;

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The first admin: from ADMIN_USERNAME/ADMIN_PASSWORD, or generated once when nobody exists. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.hasRole('api')) return;
    const username = this.config.adminUsername;
    if (this.config.adminPassword !== undefined) {
      if (await this.users.findByUsername(username)) return;
      await this.createFirstAdmin(username, this.config.adminPassword);
      this.logger.log(`Created the admin user '${username}' from ADMIN_USERNAME/ADMIN_PASSWORD`);
      return;
    }
    if ((await this.users.count()) > 0) return;
    const password = randomBytes(18).toString('base64url');
    if (await this.createFirstAdmin(username, password)) {
      // The one secret ever written to the log, once, so that a fresh install can be entered:
      // shown by the startup banner, last, once the URL is known.
      this.generated = { username, password };
    }
  }

  /** The generated first-admin login, once (the startup banner prints it); then null. */
  takeGeneratedAdmin(): { username: string; password: string } | null {
    const generated = this.generated;
    this.generated = null;
    return generated;
  }

  async list(): Promise<UserResponseDto[]> {
    return (await this.users.findAll()).map(toUserResponse);
  }

  async get(id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.require(id));
  }

  async create(dto: CreateUserDto): Promise<UserResponseDto> {
    const serviceAccount = dto.is_service_account ?? false;
    if (serviceAccount && dto.password !== undefined) {
      throw badRequest([
        { field: 'password', problem: 'service accounts have no password; they use API tokens' },
      ]);
    }
    if (!serviceAccount && dto.password === undefined) {
      throw badRequest([
        { field: 'password', problem: 'is required (or set is_service_account: true)' },
      ]);
    }
    await this.ensureUsernameFree(dto.username);
    const user = new UserEntity();
    user.username = dto.username;
    user.role = dto.role;
    user.isActive = true;
    user.isServiceAccount = serviceAccount;
    user.source = 'local';
    user.passwordHash = dto.password === undefined ? null : await this.hasher.hash(dto.password);
    const saved = await this.saveMappingConflicts(user);
    await this.audit.record({
      action: 'user.create',
      targetType: 'user',
      targetId: saved.id,
      details: { username: saved.username, role: saved.role, is_service_account: serviceAccount },
    });
    return toUserResponse(saved);
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserResponseDto> {
    const user = await this.require(id);
    const changes: Record<string, unknown> = {};
    const losesAdmin =
      user.role === 'admin' &&
      user.isActive &&
      ((dto.role !== undefined && dto.role !== 'admin') || dto.is_active === false);
    if (losesAdmin && (await this.users.countOtherActiveAdmins(user.id)) === 0) {
      throw new ConflictException(
        `'${user.username}' is the last active admin; make another admin first`,
      );
    }
    if (dto.role !== undefined && dto.role !== user.role) {
      changes.role = { from: user.role, to: dto.role };
      user.role = dto.role;
    }
    if (dto.is_active !== undefined && dto.is_active !== user.isActive) {
      changes.is_active = { from: user.isActive, to: dto.is_active };
      user.isActive = dto.is_active;
    }
    if (dto.password !== undefined) {
      if (user.isServiceAccount) {
        throw badRequest([
          { field: 'password', problem: 'service accounts have no password; they use API tokens' },
        ]);
      }
      user.passwordHash = await this.hasher.hash(dto.password);
      changes.password = 'changed';
    }
    const saved = await this.users.save(user);
    if (dto.password !== undefined || dto.is_active === false) {
      await this.users.revokeSessions(
        user.id,
        this.clock.now(),
        dto.password ? 'password_reset' : 'disabled',
      );
    }
    await this.audit.record({
      action: 'user.update',
      targetType: 'user',
      targetId: user.id,
      details: changes,
    });
    return toUserResponse(saved);
  }

  async delete(id: string): Promise<void> {
    const user = await this.require(id);
    if (
      user.role === 'admin' &&
      user.isActive &&
      (await this.users.countOtherActiveAdmins(user.id)) === 0
    ) {
      throw new ConflictException(
        `'${user.username}' is the last active admin; make another admin first`,
      );
    }
    await this.users.delete(id);
    await this.audit.record({
      action: 'user.delete',
      targetType: 'user',
      targetId: id,
      details: { username: user.username },
    });
  }

  /** A user changes their own password, proving the current one; their other sessions end. */
  async changeOwnPassword(
    userId: string,
    currentPassword: string,
    newPassword: string,
    keepSessionId?: string,
  ): Promise<void> {
    const user = await this.require(userId);
    if (user.passwordHash === null) {
      throw badRequest([
        { field: 'current_password', problem: 'this account has no password to change' },
      ]);
    }
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      await this.audit.record({
        action: 'auth.password_change',
        outcome: 'failure',
        targetType: 'user',
        targetId: userId,
      });
      throw badRequest([{ field: 'current_password', problem: 'is not the current password' }]);
    }
    user.passwordHash = await this.hasher.hash(newPassword);
    await this.users.save(user);
    await this.users.revokeSessions(user.id, this.clock.now(), 'password_change', keepSessionId);
    await this.audit.record({
      action: 'auth.password_change',
      targetType: 'user',
      targetId: userId,
    });
  }

  /** For the guard and the login: the entity, inside the service layer only. */
  findEntityById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  findEntityByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findByUsername(username);
  }

  async touchLastLogin(id: string): Promise<void> {
    await this.users.touchLastLogin(id, this.clock.now());
  }

  /**
   * A user that signs in through SSO: created on first sight (password-less, source `oidc` or
   * `proxy`); with `overwriteRole` (OIDC: the IdP's claims rule) the role is replaced each time.
   * The proxy may name any existing account (admins may pre-create them); OIDC logins only
   * ever map to accounts that OIDC created.
   */
  async upsertExternal(
    username: string,
    source: UserSource,
    role: UserRole,
    overwriteRole: boolean,
  ): Promise<UserEntity> {
    const existing = await this.users.findByUsername(username);
    if (existing && source === 'oidc' && existing.source !== 'oidc') {
      // An IdP user must not take over (or demote) a local account that shares its name.
      throw new ConflictException(
        `A ${existing.source} account named '${existing.username}' already exists; single sign-on will not take it over (rename one of them)`,
      );
    }
    if (existing) {
      if (overwriteRole && existing.role !== role) {
        const from = existing.role;
        existing.role = role;
        await this.users.save(existing);
        await this.audit.record({
          action: 'user.update',
          targetType: 'user',
          targetId: existing.id,
          details: { role: { from, to: role }, source },
        });
      }
      return existing;
    }
    const user = new UserEntity();
    user.username = username;
    user.role = role;
    user.isActive = true;
    user.isServiceAccount = false;
    user.source = source;
    user.passwordHash = null;
    try {
      const saved = await this.users.save(user);
      await this.audit.record({
        action: 'user.create',
        targetType: 'user',
        targetId: saved.id,
        details: { username, role, source },
      });
      return saved;
    } catch (error) {
      // Two first requests at once: the other one created it.
      const again = await this.users.findByUsername(username);
      if (again) return again;
      throw error;
    }
  }

  private async createFirstAdmin(username: string, password: string): Promise<boolean> {
    const user = new UserEntity();
    user.username = username;
    user.role = 'admin';
    user.isActive = true;
    user.isServiceAccount = false;
    user.source = 'local';
    user.passwordHash = await this.hasher.hash(password);
    try {
      await this.users.save(user);
      return true;
    } catch (error) {
      // Another API process created it at the same moment.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  private async ensureUsernameFree(username: string): Promise<void> {
    if (await this.users.findByUsername(username)) {
      throw new ConflictException(`A user named '${username}' already exists`);
    }
  }

  /** The name check above can race another request; the unique index has the last word. */
  private saveMappingConflicts(user: UserEntity): Promise<UserEntity> {
    return saveOrConflict(
      () => this.users.save(user),
      `A user named '${user.username}' already exists`,
    );
  }

  private require(id: string): Promise<UserEntity> {
    return findOrNotFound(() => this.users.findById(id), `User '${id}' not found`);
  }
}
