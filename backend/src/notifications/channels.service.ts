import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { toDeliveryResponse } from '../alerts/alerts.service';
import { AuditService } from '../audit/audit.service';
import { badRequest, type FieldProblem } from '../common/validation';
import { SECRET_BOX } from '../common/tokens';
import { SecretBox } from '../common/secret-box';
import { checkChannelConfig, shownConfig, type ChannelSettings } from './channel-config';
import { ChannelsRepository } from './channels.repository';
import { DeliveriesRepository } from './deliveries.repository';
import type { AlertDeliveryRow } from '../alerts/alerts.repository';
import { ChannelResponseDto, CreateChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { NotificationChannelEntity } from './entities/notification-channel.entity';
import { NotificationTransport } from './notification-transport';
import { RulesRepository } from './rules.repository';
import type { ChannelTarget } from './senders/sender';

export function toChannelResponse(
  entity: NotificationChannelEntity,
  secrets: Record<string, string>,
  lastDelivery: AlertDeliveryRow | null,
): ChannelResponseDto {
  return {
    id: entity.id,
    name: entity.name,
    type: entity.type,
    enabled: entity.enabled,
    config: shownConfig(entity.type, { config: entity.config, secrets }),
    last_delivery: lastDelivery ? toDeliveryResponse(lastDelivery) : null,
    created_at: entity.createdAt.toISOString(),
    updated_at: entity.updatedAt.toISOString(),
  };
}

/** Channels: where notifications go. Admin only; secrets are write-only and encrypted. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly rules: RulesRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly transport: NotificationTransport,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<ChannelResponseDto[]> {
    const [channels, latest] = await Promise.all([
      this.channels.findAll(),
      this.deliveries.latestPerChannel(),
    ]);
    const byChannel = new Map(latest.map((d) => [d.channel_id, d]));
    return channels.map((c) =>
      toChannelResponse(c, this.secretsOf(c), byChannel.get(c.id) ?? null),
    );
  }

  async get(id: string): Promise<ChannelResponseDto> {
    return this.respond(await this.require(id));
  }

  async create(dto: CreateChannelDto): Promise<ChannelResponseDto> {
    const settings = await this.checkConfig(dto.type, dto.config, null);
    await this.ensureNameFree(dto.name);
    const entity = new NotificationChannelEntity();
    entity.name = dto.name;
    entity.type = dto.type;
    entity.enabled = dto.enabled ?? true;
    this.store(entity, settings);
    const saved = await this.saveMappingConflicts(entity);
    await this.audit.record({
      action: 'notification_channel.create',
      targetType: 'notification_channel',
      targetId: saved.id,
      details: { name: saved.name, type: saved.type, enabled: saved.enabled },
    });
    return this.respond(saved);
  }

  async update(id: string, dto: UpdateChannelDto): Promise<ChannelResponseDto> {
    const entity = await this.require(id);
    const type = dto.type ?? entity.type;
    // A new type starts from nothing: its whole config, secrets included, must be given.
    const existing = type === entity.type ? this.settingsOf(entity) : null;
    if (dto.config !== undefined || type !== entity.type) {
      const settings = await this.checkConfig(type, dto.config ?? {}, existing);
      this.store(entity, settings);
    }
    if (dto.name !== undefined && dto.name !== entity.name) await this.ensureNameFree(dto.name);
    if (dto.name !== undefined) entity.name = dto.name;
    if (dto.enabled !== undefined) entity.enabled = dto.enabled;
    entity.type = type;
    const saved = await this.saveMappingConflicts(entity);
    // Field names only: secrets must never reach the audit log.
    await this.audit.record({
      action: 'notification_channel.update',
      targetType: 'notification_channel',
      targetId: saved.id,
      details: {
        name: saved.name,
        fields: Object.keys(dto).sort(),
        config_fields: Object.keys(dto.config ?? {}).sort(),
      },
    });
    return this.respond(saved);
  }

  async delete(id: string): Promise<void> {
    const entity = await this.require(id);
    const users = await this.rules.findUsingChannel(id);
    if (users.length > 0) {
      throw new ConflictException(
        `Channel '${entity.name}' is used by rule(s) ${users.map((r) => `'${r.name}'`).join(', ')}; remove it from them first`,
      );
    }
    await this.channels.delete(id);
    await this.audit.record({
      action: 'notification_channel.delete',
      targetType: 'notification_channel',
      targetId: id,
      details: { name: entity.name, type: entity.type },
    });
  }

  /** Which of these ids name no channel (rules validate their channel_ids with it). */
  async missing(ids: string[]): Promise<string[]> {
    const found = new Set((await this.channels.findByIds(ids)).map((c) => c.id));
    return ids.filter((id) => !found.has(id));
  }

  /** A channel with its secrets opened, for one send; null when it is gone. Never log it. */
  async target(id: string): Promise<(ChannelTarget & { enabled: boolean }) | null> {
    const entity = await this.channels.findById(id);
    if (!entity) return null;
    return {
      id: entity.id,
      name: entity.name,
      type: entity.type,
      enabled: entity.enabled,
      config: entity.config,
      secrets: this.secretsOf(entity),
    };
  }

  /** Every enabled channel of a type, opened (the Alertmanager re-send reads them). */
  async targetsOfType(type: NotificationChannelEntity['type']): Promise<ChannelTarget[]> {
    const all = await this.channels.findAll();
    return all
      .filter((c) => c.type === type && c.enabled)
      .map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        config: c.config,
        secrets: this.secretsOf(c),
      }));
  }

  async require(id: string): Promise<NotificationChannelEntity> {
    const entity = await this.channels.findById(id);
    if (!entity) throw new NotFoundException(`Channel '${id}' not found`);
    return entity;
  }

  private async respond(entity: NotificationChannelEntity): Promise<ChannelResponseDto> {
    const latest = (await this.deliveries.latestPerChannel()).find(
      (d) => d.channel_id === entity.id,
    );
    return toChannelResponse(entity, this.secretsOf(entity), latest ?? null);
  }

  /** Validates a config (400 naming each bad field) and checks its destinations are allowed. */
  private async checkConfig(
    type: NotificationChannelEntity['type'],
    input: unknown,
    existing: ChannelSettings | null,
  ): Promise<ChannelSettings> {
    const checked = checkChannelConfig(type, input, existing);
    const problems: FieldProblem[] = [...checked.problems];
    if (problems.length === 0) {
      for (const { field, host } of checked.destinations) {
        const refused = await this.transport.policy.checkDestination(host);
        if (refused) problems.push({ field, problem: refused });
      }
    }
    if (problems.length > 0) throw badRequest(problems);
    return { config: checked.config, secrets: checked.secrets };
  }

  private store(entity: NotificationChannelEntity, settings: ChannelSettings): void {
    entity.config = settings.config;
    entity.secretsEncrypted =
      Object.keys(settings.secrets).length > 0
        ? this.box.seal(JSON.stringify(settings.secrets))
        : null;
  }

  private settingsOf(entity: NotificationChannelEntity): ChannelSettings {
    return { config: entity.config, secrets: this.secretsOf(entity) };
  }

  private secretsOf(entity: NotificationChannelEntity): Record<string, string> {
    return entity.secretsEncrypted
      ? (JSON.parse(this.box.open(entity.secretsEncrypted)) as Record<string, string>)
      : {};
  }

  private async ensureNameFree(name: string): Promise<void> {
    if (await this.channels.findByName(name)) {
      throw new ConflictException(`A channel named '${name}' already exists`);
    }
  }

  private async saveMappingConflicts(
    entity: NotificationChannelEntity,
  ): Promise<NotificationChannelEntity> {
    try {
      return await this.channels.save(entity);
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ConflictException(`A channel named '${entity.name}' already exists`);
      }
      throw error;
    }
  }
}
