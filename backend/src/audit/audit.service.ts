import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { currentRequest } from '../common/request-context';
import type { AuditAction } from './audit-actions';
import { AuditRepository } from './audit.repository';
import { AuditEventDto, AuditListResponseDto, AuditQueryDto } from './dto/audit.dto';
import { AuditEventEntity } from './entities/audit-event.entity';

export { AUDIT_ACTIONS, type AuditAction } from './audit-actions';

export interface AuditRecord {
  action: AuditAction;
  outcome?: 'success' | 'failure';
  targetType?: string;
  targetId?: string | null;
  /** Field names and non-secret values only: never a password, key or token. */
  details?: Record<string, unknown>;
  /** Who, when not the request's identity (a failed login names the username tried). */
  actor?: { name: string; type: string; userId?: string | null };
}

export function toAuditEventResponse(e: AuditEventEntity): AuditEventDto {
  return {
    id: e.id,
    occurred_at: e.occurredAt.toISOString(),
    actor: e.actor,
    actor_type: e.actorType,
    actor_user_id: e.actorUserId,
    // Rows are written only through record(), whose action is an AuditAction.
    action: e.action as AuditAction,
    outcome: e.outcome,
    target_type: e.targetType,
    target_id: e.targetId,
    source_ip: e.sourceIp,
    details: e.details,
  };
}

/** Who did what, when, from where. Append-only: nothing here changes or removes a record. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  /** Appends one record; the actor and source address come from the current request. */
  async record(entry: AuditRecord): Promise<void> {
    const context = currentRequest();
    const identity = context?.identity;
    const actor = entry.actor ?? {
      name: identity?.username ?? 'anonymous',
      type: identity?.kind ?? 'anonymous',
      userId: identity?.userId ?? null,
    };
    try {
      await this.audit.append({
        occurredAt: this.clock.now(),
        actor: actor.name.slice(0, 200),
        actorType: actor.type,
        actorUserId: actor.userId ?? null,
        action: entry.action,
        outcome: entry.outcome ?? 'success',
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        sourceIp: context?.ip ?? null,
        details: entry.details ?? null,
      });
    } catch (error) {
      // The action itself has happened; losing its record is an error worth a loud line.
      this.logger.error(
        `Could not write the audit record for ${entry.action}: ${(error as Error).message}`,
      );
      throw error;
    }
  }

  async list(query: AuditQueryDto): Promise<AuditListResponseDto> {
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 50;
    const { items, total } = await this.audit.list({
      actor: query.actor,
      action: query.action,
      targetType: query.target_type,
      targetId: query.target_id,
      since: query.since ? new Date(query.since) : undefined,
      until: query.until ? new Date(query.until) : undefined,
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { items: items.map(toAuditEventResponse), total, page, page_size: pageSize };
  }
}
