import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { AlertPayload } from './alert-vocabulary';
import { AlertEventsBus } from './alert-events.bus';
import type { AlertChange, AlertDeliveryRow } from './alerts.repository';
import { AlertsRepository } from './alerts.repository';
import type { AlertLiveEvent } from './dto/alert-event.dto';
import {
  AlertDetailResponseDto,
  AlertListResponseDto,
  AlertResponseDto,
  DeliveryResponseDto,
  ListAlertsQueryDto,
} from './dto/alert.dto';
import { AlertEntity } from './entities/alert.entity';

export function toAlertResponse(a: AlertEntity): AlertResponseDto {
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
    alert: toAlertResponse(alert),
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
    return { items: items.map(toAlertResponse), total, page, page_size: pageSize };
  }

  async get(id: string): Promise<AlertDetailResponseDto> {
    const alert = await this.alerts.findById(id);
    if (!alert) throw new NotFoundException(`Alert '${id}' not found`);
    const deliveries = await this.alerts.deliveriesOf(id);
    return { ...toAlertResponse(alert), deliveries: deliveries.map(toDeliveryResponse) };
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
