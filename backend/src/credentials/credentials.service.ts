import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { utils as sshUtils } from 'ssh2';
import { AuditService } from '../audit/audit.service';
import { findOrNotFound, saveOrConflict } from '../common/persistence';
import { badRequest, FieldProblem } from '../common/validation';
import { SecretBox } from '../common/secret-box';
import { SECRET_BOX } from '../common/tokens';
import type { ProbeCredential } from '../common/probe.types';
import { CredentialsRepository } from './credentials.repository';
import {
  CreateCredentialDto,
  CredentialResponseDto,
  UpdateCredentialDto,
} from './dto/credential.dto';
import { CredentialEntity } from './entities/credential.entity';

/** Credentials a worker keeps decrypted at once; far more than a fleet normally has. */
const PROBE_CREDENTIAL_CACHE_SIZE = 1024;

export function toCredentialResponse(entity: CredentialEntity): CredentialResponseDto {
  return {
    id: entity.id,
    name: entity.name,
    username: entity.username,
    auth_method: entity.authMethod,
    has_passphrase: entity.passphraseEncrypted !== null,
    is_default: entity.isDefault,
    created_at: entity.createdAt.toISOString(),
    updated_at: entity.updatedAt.toISOString(),
  };
}

/** Checks that ssh2 can use the key (and the passphrase opens it); the message never echoes the key. */
export function privateKeyProblem(privateKey: string, passphrase?: string): string | null {
  let parsed: unknown;
  try {
    parsed = sshUtils.parseKey(privateKey, passphrase);
  } catch (error) {
    parsed = error;
  }
  if (parsed instanceof Error) {
    const reason = parsed.message.replace(/\s+/g, ' ').slice(0, 200);
    return `could not be parsed as an SSH private key (${reason})`;
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || typeof (key as { isPrivateKey?: () => boolean }).isPrivateKey !== 'function') {
    return 'could not be parsed as an SSH private key';
  }
  if (!(key as { isPrivateKey: () => boolean }).isPrivateKey()) {
    return 'is a public key; give the private key';
  }
  return null;
}

@Injectable()
export class CredentialsService {
  /**
   * Decrypted probe credentials by credential id, each with the version (updated_at) it was
   * read for: an edit changes the version, so the next check reads and decrypts it again.
   * Concurrent checks of one version share one read. Held in this process's memory only.
   */
  private readonly probeCredentials = new Map<
    string,
    { version: string; credential: Promise<ProbeCredential | null> }
  >();

  constructor(
    private readonly credentials: CredentialsRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<CredentialResponseDto[]> {
    return (await this.credentials.findAll()).map(toCredentialResponse);
  }

  async get(id: string): Promise<CredentialResponseDto> {
    return toCredentialResponse(await this.require(id));
  }

  async create(dto: CreateCredentialDto): Promise<CredentialResponseDto> {
    this.checkSecrets(dto.auth_method, dto, true);
    await this.ensureNameFree(dto.name);
    const entity = new CredentialEntity();
    entity.name = dto.name;
    entity.username = dto.username;
    entity.authMethod = dto.auth_method;
    entity.isDefault = dto.is_default ?? false;
    this.applySecrets(entity, dto);
    const saved = await this.saveMappingConflicts(entity);
    await this.audit.record({
      action: 'credential.create',
      targetType: 'credential',
      targetId: saved.id,
      details: {
        name: saved.name,
        username: saved.username,
        auth_method: saved.authMethod,
        is_default: saved.isDefault,
      },
    });
    return toCredentialResponse(saved);
  }

  async update(id: string, dto: UpdateCredentialDto): Promise<CredentialResponseDto> {
    const entity = await this.require(id);
    const method = dto.auth_method ?? entity.authMethod;
    // Changing the method needs the matching secret; otherwise secrets are optional.
    this.checkSecrets(
      method,
      dto,
      dto.auth_method !== undefined && dto.auth_method !== entity.authMethod,
    );
    if (dto.name !== undefined && dto.name !== entity.name) await this.ensureNameFree(dto.name);
    if (method === 'private_key' && dto.private_key === undefined && dto.passphrase !== undefined) {
      // A new passphrase (or none) for the stored key: the key must still open with it.
      const problem = privateKeyProblem(
        this.box.open(entity.secretEncrypted),
        dto.passphrase ?? undefined,
      );
      if (problem) {
        throw badRequest([
          {
            field: 'passphrase',
            problem:
              dto.passphrase === null
                ? 'cannot be removed: the stored private key is encrypted and needs it'
                : `does not open the stored private key (${problem})`,
          },
        ]);
      }
    }
    if (dto.name !== undefined) entity.name = dto.name;
    if (dto.username !== undefined) entity.username = dto.username;
    if (dto.is_default !== undefined) entity.isDefault = dto.is_default;
    entity.authMethod = method;
    this.applySecrets(entity, dto);
    const saved = await this.saveMappingConflicts(entity);
    // Field names only: the secrets among them must never reach the log.
    await this.audit.record({
      action: 'credential.update',
      targetType: 'credential',
      targetId: saved.id,
      details: { name: saved.name, fields: Object.keys(dto).sort() },
    });
    return toCredentialResponse(saved);
  }

  async delete(id: string): Promise<void> {
    const entity = await this.require(id);
    const inUse = await this.credentials.countHostsUsing(id);
    if (inUse > 0) {
      throw new ConflictException(
        `Credential '${entity.name}' is used by ${inUse} host(s); point them at another credential first`,
      );
    }
    await this.credentials.delete(id);
    await this.audit.record({
      action: 'credential.delete',
      targetType: 'credential',
      targetId: id,
      details: { name: entity.name },
    });
  }

  /** Whether a credential id exists (hosts validate their credential_id with it). */
  async exists(id: string): Promise<boolean> {
    return (await this.credentials.findById(id)) !== null;
  }

  /** Decrypts a credential for one probe. Never log the result. */
  toProbeCredential(entity: CredentialEntity): ProbeCredential {
    const secret = this.box.open(entity.secretEncrypted);
    const credential: ProbeCredential = {
      username: entity.username,
      auth_method: entity.authMethod,
    };
    if (entity.authMethod === 'password') credential.password = secret;
    else credential.private_key = secret;
    if (entity.passphraseEncrypted)
      credential.passphrase = this.box.open(entity.passphraseEncrypted);
    return credential;
  }

  /**
   * The probe credential for a credential id at a version (its updated_at as read with the
   * host), decrypted once per version and then served from memory. Null when it is gone.
   */
  probeCredential(id: string, version: string): Promise<ProbeCredential | null> {
    const cached = this.probeCredentials.get(id);
    if (cached && cached.version === version) return cached.credential;
    const credential = this.credentials.findById(id).then((entity) => {
      if (entity === null) {
        this.probeCredentials.delete(id);
        return null;
      }
      return this.toProbeCredential(entity);
    });
    // A failure (a wrong CREDENTIALS_KEY, the database away) is not kept: the next check retries.
    credential.catch(() => {
      if (this.probeCredentials.get(id)?.credential === credential)
        this.probeCredentials.delete(id);
    });
    this.probeCredentials.delete(id);
    this.probeCredentials.set(id, { version, credential });
    if (this.probeCredentials.size > PROBE_CREDENTIAL_CACHE_SIZE) {
      this.probeCredentials.delete(this.probeCredentials.keys().next().value as string);
    }
    return credential;
  }

  private checkSecrets(
    method: string,
    dto: { password?: string; private_key?: string; passphrase?: string | null },
    secretRequired: boolean,
  ): void {
    const problems: FieldProblem[] = [];
    if (method === 'password') {
      if (secretRequired && dto.password === undefined) {
        problems.push({ field: 'password', problem: 'is required when auth_method is password' });
      }
      if (dto.private_key !== undefined) {
        problems.push({ field: 'private_key', problem: 'is only for auth_method private_key' });
      }
      if (dto.passphrase !== undefined && dto.passphrase !== null) {
        problems.push({ field: 'passphrase', problem: 'is only for auth_method private_key' });
      }
    } else {
      if (secretRequired && dto.private_key === undefined) {
        problems.push({
          field: 'private_key',
          problem: 'is required when auth_method is private_key',
        });
      }
      if (dto.password !== undefined) {
        problems.push({ field: 'password', problem: 'is only for auth_method password' });
      }
      if (dto.private_key !== undefined) {
        const problem = privateKeyProblem(dto.private_key, dto.passphrase ?? undefined);
        if (problem) problems.push({ field: 'private_key', problem });
      }
    }
    if (problems.length > 0) throw badRequest(problems);
  }

  private applySecrets(
    entity: CredentialEntity,
    dto: { password?: string; private_key?: string; passphrase?: string | null },
  ): void {
    if (entity.authMethod === 'password') {
      if (dto.password !== undefined) entity.secretEncrypted = this.box.seal(dto.password);
      entity.passphraseEncrypted = null;
      return;
    }
    if (dto.private_key !== undefined) {
      entity.secretEncrypted = this.box.seal(dto.private_key);
      entity.passphraseEncrypted = dto.passphrase ? this.box.seal(dto.passphrase) : null;
    } else if (dto.passphrase !== undefined) {
      entity.passphraseEncrypted = dto.passphrase === null ? null : this.box.seal(dto.passphrase);
    }
  }

  private async ensureNameFree(name: string): Promise<void> {
    if (await this.credentials.findByName(name)) {
      throw new ConflictException(`A credential named '${name}' already exists`);
    }
  }

  /** The name check above can race another request; the unique index has the last word. */
  private saveMappingConflicts(entity: CredentialEntity): Promise<CredentialEntity> {
    return saveOrConflict(
      () => this.credentials.save(entity),
      `A credential named '${entity.name}' already exists`,
    );
  }

  private require(id: string): Promise<CredentialEntity> {
    return findOrNotFound(() => this.credentials.findById(id), `Credential '${id}' not found`);
  }
}
