import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { badRequest } from '../common/validation';
import { ChannelsService } from './channels.service';
import { CreateRuleDto, EscalationDto, RuleResponseDto, UpdateRuleDto } from './dto/rule.dto';
import type { Escalation } from './entities/notification-rule.entity';
import { NotificationRuleEntity } from './entities/notification-rule.entity';
import { RulesRepository } from './rules.repository';

export function toRuleResponse(r: NotificationRuleEntity): RuleResponseDto {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    tags: r.tags,
    events: r.events,
    channel_ids: r.channelIds,
    group_wait_seconds: r.groupWaitSeconds,
    group_interval_seconds: r.groupIntervalSeconds,
    repeat_interval_minutes: r.repeatIntervalMinutes,
    escalations: r.escalations,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

/** Escalation steps as stored: plain objects, earliest first. */
function toEscalations(steps: EscalationDto[]): Escalation[] {
  return steps
    .map((s) => ({ after_minutes: s.after_minutes, channel_ids: s.channel_ids }))
    .sort((a, b) => a.after_minutes - b.after_minutes);
}

/** Rules: which hosts and events go to which channels, and how they are grouped. */
@Injectable()
export class RulesService {
  constructor(
    private readonly rules: RulesRepository,
    private readonly channels: ChannelsService,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<RuleResponseDto[]> {
    return (await this.rules.findAll()).map(toRuleResponse);
  }

  async get(id: string): Promise<RuleResponseDto> {
    return toRuleResponse(await this.require(id));
  }

  async create(dto: CreateRuleDto): Promise<RuleResponseDto> {
    await this.checkChannels(dto.channel_ids);
    await this.checkEscalations(dto.escalations);
    await this.ensureNameFree(dto.name);
    const rule = new NotificationRuleEntity();
    rule.name = dto.name;
    rule.enabled = dto.enabled ?? true;
    rule.tags = dto.tags ?? [];
    rule.events = dto.events;
    rule.channelIds = dto.channel_ids;
    rule.groupWaitSeconds = dto.group_wait_seconds ?? 30;
    rule.groupIntervalSeconds = dto.group_interval_seconds ?? 300;
    rule.repeatIntervalMinutes = dto.repeat_interval_minutes ?? 0;
    rule.escalations = toEscalations(dto.escalations ?? []);
    const saved = await this.save(rule);
    await this.audit.record({
      action: 'notification_rule.create',
      targetType: 'notification_rule',
      targetId: saved.id,
      details: { ...dto },
    });
    return toRuleResponse(saved);
  }

  async update(id: string, dto: UpdateRuleDto): Promise<RuleResponseDto> {
    const rule = await this.require(id);
    if (dto.channel_ids !== undefined) await this.checkChannels(dto.channel_ids);
    await this.checkEscalations(dto.escalations);
    if (dto.name !== undefined && dto.name !== rule.name) await this.ensureNameFree(dto.name);
    if (dto.name !== undefined) rule.name = dto.name;
    if (dto.enabled !== undefined) rule.enabled = dto.enabled;
    if (dto.tags !== undefined) rule.tags = dto.tags;
    if (dto.events !== undefined) rule.events = dto.events;
    if (dto.channel_ids !== undefined) rule.channelIds = dto.channel_ids;
    if (dto.group_wait_seconds !== undefined) rule.groupWaitSeconds = dto.group_wait_seconds;
    if (dto.group_interval_seconds !== undefined)
      rule.groupIntervalSeconds = dto.group_interval_seconds;
    if (dto.repeat_interval_minutes !== undefined)
      rule.repeatIntervalMinutes = dto.repeat_interval_minutes;
    if (dto.escalations !== undefined) rule.escalations = toEscalations(dto.escalations);
    const saved = await this.save(rule);
    await this.audit.record({
      action: 'notification_rule.update',
      targetType: 'notification_rule',
      targetId: saved.id,
      details: { name: saved.name, changed: { ...dto } },
    });
    return toRuleResponse(saved);
  }

  async delete(id: string): Promise<void> {
    const rule = await this.require(id);
    await this.rules.delete(id);
    await this.audit.record({
      action: 'notification_rule.delete',
      targetType: 'notification_rule',
      targetId: id,
      details: { name: rule.name },
    });
  }

  private async checkChannels(ids: string[]): Promise<void> {
    const missing = await this.channels.missing(ids);
    if (missing.length > 0) {
      throw badRequest([
        { field: 'channel_ids', problem: `no channel with id ${missing.join(', ')}` },
      ]);
    }
  }

  private async checkEscalations(steps: EscalationDto[] | undefined): Promise<void> {
    for (const [i, step] of (steps ?? []).entries()) {
      const missing = await this.channels.missing(step.channel_ids);
      if (missing.length > 0) {
        throw badRequest([
          {
            field: `escalations[${i}].channel_ids`,
            problem: `no channel with id ${missing.join(', ')}`,
          },
        ]);
      }
    }
  }

  private async ensureNameFree(name: string): Promise<void> {
    if (await this.rules.findByName(name)) {
      throw new ConflictException(`A rule named '${name}' already exists`);
    }
  }

  private async save(rule: NotificationRuleEntity): Promise<NotificationRuleEntity> {
    try {
      return await this.rules.save(rule);
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ConflictException(`A rule named '${rule.name}' already exists`);
      }
      throw error;
    }
  }

  private async require(id: string): Promise<NotificationRuleEntity> {
    const rule = await this.rules.findById(id);
    if (!rule) throw new NotFoundException(`Rule '${id}' not found`);
    return rule;
  }
}
