import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto';
import { TAG } from '../../common/text-patterns';
import { MONITORING_STATES, MonitoringState } from '../../state-machine';
import {
  ALERT_KINDS,
  ALERT_SEVERITIES,
  type AlertKind,
  type AlertSeverity,
} from '../alert-vocabulary';

export const ALERT_STATUSES = ['open', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export class ListAlertsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ALERT_STATUSES,
    description: 'Open or resolved only; both by default',
  })
  @IsOptional()
  @IsIn(ALERT_STATUSES, { message: 'status must be open or resolved' })
  status?: AlertStatus;

  @ApiPropertyOptional({ description: 'Alerts of hosts carrying this tag (when the alert opened)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(TAG, { message: 'tag must be printable text' })
  tag?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "One host's alerts" })
  @IsOptional()
  @IsUUID(undefined, { message: 'host_id must be a UUID' })
  host_id?: string;
}

export class AlertHostDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null once the host is deleted',
  })
  id!: string | null;
  @ApiProperty() hostname!: string;
  @ApiProperty({ type: String, nullable: true }) ip_address!: string | null;
  @ApiProperty() port!: number;
  @ApiProperty({ type: [String] }) tags!: string[];
}

export class AlertResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: AlertStatus;
  @ApiProperty({
    enum: ALERT_KINDS,
    description:
      'problem: the host entered a problem state; host_key_mismatch: its SSH host key changed',
  })
  kind!: AlertKind;
  @ApiProperty({ enum: ALERT_SEVERITIES, description: 'Fixed when the alert opened' })
  severity!: AlertSeverity;
  @ApiProperty({
    type: AlertHostDto,
    description: 'The host as it was when the alert opened (kept after the host is deleted)',
  })
  host!: AlertHostDto;
  @ApiProperty({ enum: MONITORING_STATES, description: 'The state that opened it' })
  state_at_open!: MonitoringState;
  @ApiProperty({ enum: MONITORING_STATES, description: "The host's state now (or when resolved)" })
  current_state!: MonitoringState;
  @ApiProperty({ type: String, nullable: true }) last_error_type!: string | null;
  @ApiProperty({ type: String, nullable: true }) last_error_message!: string | null;
  @ApiProperty({ type: String, nullable: true }) last_stage!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) opened_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolved_at!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Task id of the check that opened it (see GET /api/monitoring/checks/{task_id})',
  })
  opened_by_task_id!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Task id of the check that resolved it; null when something else did',
  })
  resolved_by_task_id!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'recovered',
    description: 'recovered, host deleted, maintenance started or host key accepted',
  })
  resolve_reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}

export class AlertListResponseDto {
  @ApiProperty({ type: [AlertResponseDto] }) items!: AlertResponseDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
}

/** One attempt to deliver a notification message to a channel. */
export class DeliveryResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    format: 'uuid',
    description: "The message's id: the webhook's event_id and X-Hostwatch-Event-Id",
  })
  message_id!: string;
  @ApiProperty({ format: 'uuid' }) channel_id!: string;
  @ApiProperty() channel_name!: string;
  @ApiProperty({ example: 'webhook' }) channel_type!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for a test' })
  rule_id!: string | null;
  @ApiProperty({ description: '1 for the first attempt' }) attempt!: number;
  @ApiProperty({
    enum: ['delivered', 'retrying', 'failed'],
    description: 'retrying: this attempt failed and another follows; failed: given up',
  })
  status!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'HTTP 200',
    description: 'The HTTP status line or the SMTP reply',
  })
  response!: string | null;
  @ApiProperty({ type: Number, nullable: true }) http_status!: number | null;
  @ApiProperty() latency_ms!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export class AlertDetailResponseDto extends AlertResponseDto {
  @ApiProperty({
    type: [DeliveryResponseDto],
    description: 'Attempts to deliver the messages that carried this alert, newest first',
  })
  deliveries!: DeliveryResponseDto[];
}
