import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Identity } from '../common/auth/identity';
import { badRequest } from '../common/validation';
import { Clock } from '../common/clock';
import type { AlertPayload } from './alert-vocabulary';
import { AlertEventsBus } from './alert-events.bus';
import type { AlertChange, AlertDeliveryRow } from './alerts.repository';
import { AlertsRepository } from './alerts.repository';
import type { AlertLiveEvent } from './dto/alert-event.dto';
import {
  AckAlertDto,
  AlertDetailResponseDto,
  AlertListResponseDto,
  AlertResponseDto,
  DeliveryResponseDto,
  ListAlertsQueryDto,
} from './dto/alert.dto';
import { AlertEntity } from './entities/alert.entity';

/** Whether the alert's acknowledgement holds at `now`: given, and not expired. */
export function isAcknowledged(a: AlertEntity, now: Date): boolean {
  return (
    a.acknowledgedAt !== null &&
    a.resolvedAt === null &&
    (a.ackExpiresAt === null || a.ackExpiresAt.getTime() > now.getTime())
  );
}

export function toAlertResponse(a: AlertEntity, now: Date): AlertResponseDto {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: a.id,
    status: a.resolvedAt ? 'resolved' : 'open',
    kind: a.kind,
    severity: a.severity,
    host: {
      id: a.hostId,
      hostname: a.hostname,
      ip_address: a.ipAddress,
      port: a.port,
      tags: a.tags,
    },
    state_at_open: a.stateAtOpen,
    current_state: a.currentState,
    last_error_type: a.lastErrorType,
    last_error_message: a.lastErrorMessage,
    last_stage: a.lastStage,
    opened_at: a.openedAt.toISOString(),
    resolved_at: a.resolvedAt ? a.resolvedAt.toISOString() : null,
    opened_by_task_id: a.openedByTaskId,
    resolved_by_task_id: a.resolvedByTaskId,
    resolve_reason: a.resolveReason,
    updated_at: a.updatedAt.toISOString(),
    acknowledged: isAcknowledged(a, now),
    acknowledged_by: a.acknowledgedBy,
    acknowledged_at: iso(a.acknowledgedAt),
    ack_comment: a.ackComment,
    ack_sticky: a.ackSticky,
    ack_expires_at: iso(a.ackExpiresAt),
  };
}

export function toDeliveryResponse(d: AlertDeliveryRow): DeliveryResponseDto {
  return {
    id: d.id,
    message_id: d.message_id,
    channel_id: d.channel_id,
    channel_name: d.channel_name,
    channel_type: d.channel_type,
    rule_id: d.rule_id,
    attempt: d.attempt,
    status: d.status,
    response: d.response,
    http_status: d.http_status,
    latency_ms: d.latency_ms,
    error: d.error,
    at: new Date(d.at).toISOString(),
  };
}

/** The live events of alerts just opened or resolved (sent once their write commits). */
export function liveEventsOf(changes: AlertChange[], at: Date): AlertLiveEvent[] {
  return changes.map(({ change, alert }) => ({
    type: change === 'opened' ? ('alert_opened' as const) : ('alert_resolved' as const),
    alert: toAlertResponse(alert, at),
    at: at.toISOString(),
  }));
}

/** Problems: listed and read by viewers; opened and resolved by applying results. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly bus: AlertEventsBus,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListAlertsQueryDto): Promise<AlertListResponseDto> {
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 50;
    const { items, total } = await this.alerts.list({
      status: query.status,
      tag: query.tag,
      hostId: query.host_id,
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    const now = this.clock.now();
    return { items: items.map((a) => toAlertResponse(a, now)), total, page, page_size: pageSize };
  }

  async get(id: string): Promise<AlertDetailResponseDto> {
    const alert = await this.alerts.findById(id);
    if (!alert) throw new NotFoundException(`Alert '${id}' not found`);
    const deliveries = await this.alerts.deliveriesOf(id);
    return {
      ...toAlertResponse(alert, this.clock.now()),
      deliveries: deliveries.map(toDeliveryResponse),
    };
  }

  /**
   * Acknowledges an open problem: somebody is on it. Replaces an earlier acknowledgement. A
   * resolved alert cannot be acknowledged (409).
   */
  async acknowledge(id: string, dto: AckAlertDto, identity: Identity): Promise<AlertResponseDto> {
    const now = this.clock.now();
    if (dto.expires_at && dto.expires_at.getTime() <= now.getTime()) {
      throw badRequest([
        { field: 'expires_at', problem: `must be in the future (it is ${now.toISOString()})` },
      ]);
    }
    const alert = await this.alerts.acknowledge(id, {
      by: identity.username,
      at: now,
      comment: dto.comment,
      sticky: dto.sticky ?? false,
      expiresAt: dto.expires_at ?? null,
    });
    if (!alert) await this.refuseClosed(id, 'acknowledged');
    await this.audit.record({
      action: 'alert.ack',
      targetType: 'alert',
      targetId: id,
      details: {
        hostname: alert!.hostname,
        comment: dto.comment,
        sticky: dto.sticky ?? false,
        expires_at: dto.expires_at ?? null,
      },
    });
    this.updated(alert!, now);
    return toAlertResponse(alert!, now);
  }

  /** Removes the acknowledgement of an open problem. */
  async unacknowledge(id: string): Promise<void> {
    const alert = await this.alerts.unacknowledge(id);
    if (!alert) await this.refuseClosed(id, 'unacknowledged');
    await this.audit.record({
      action: 'alert.unack',
      targetType: 'alert',
      targetId: id,
      details: { hostname: alert!.hostname },
    });
    this.updated(alert!, this.clock.now());
  }

  /** Tells every console that an open problem's acknowledgement changed. */
  private updated(alert: AlertEntity, now: Date): void {
    this.bus.publish([
      { type: 'alert_updated', alert: toAlertResponse(alert, now), at: now.toISOString() },
    ]);
  }

  /** No open alert has this id: a 404 if none has it at all, else a 409 (it is resolved). */
  private async refuseClosed(id: string, what: string): Promise<never> {
    const alert = await this.alerts.findById(id);
    if (!alert) throw new NotFoundException(`Alert '${id}' not found`);
    throw new ConflictException(
      `Alert '${id}' (${alert.hostname}) was resolved at ${alert.resolvedAt?.toISOString()}; only an open problem can be ${what}`,
    );
  }

  /** Tells every console about alerts opened or resolved; call once the write has committed. */
  announce(changes: AlertChange[]): void {
    if (changes.length > 0) this.bus.publish(liveEventsOf(changes, this.clock.now()));
  }
}

/** An open alert as notifications carry it (Alertmanager re-sends are built from these). */
export function toOpenAlertPayload(a: AlertEntity): AlertPayload {
  return {
    alert_id: a.id,
    kind: a.kind === 'host_key_mismatch' ? 'host_key_mismatch' : 'problem_opened',
    alert_kind: a.kind,
    severity: a.severity,
    host: {
      id: a.hostId,
      hostname: a.hostname,
      ip_address: a.ipAddress,
      port: a.port,
      tags: a.tags,
    },
    state: a.currentState,
    previous_state: null,
    error_type: a.lastErrorType,
    error_message: a.lastErrorMessage,
    stage: a.lastStage,
    opened_at: a.openedAt.toISOString(),
    resolved_at: a.resolvedAt ? a.resolvedAt.toISOString() : null,
    resolve_reason: a.resolveReason,
    state_at_open: a.stateAtOpen,
    opening_error_type: a.openingErrorType,
  };
}
