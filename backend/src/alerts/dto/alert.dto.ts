import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation';
import { PageQueryDto } from '../../common/dto/page-query.dto';
import { PRINTABLE, TAG } from '../../common/text-patterns';
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
  @ApiProperty({
    description:
      'Whether an acknowledgement holds now (given, not cleared by a state change, not expired)',
  })
  acknowledged!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Who acknowledged it (username)' })
  acknowledged_by!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledged_at!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why: the acknowledgement comment' })
  ack_comment!: string | null;
  @ApiProperty({
    description:
      'Sticky: kept through state changes until recovery; otherwise any state change clears it',
  })
  ack_sticky!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  ack_expires_at!: string | null;
}

/** An ISO 8601 date-time with its offset, as a Date; anything else is left to fail IsDate. */
function toDate({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value))
    return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d;
}

export class AckAlertDto {
  @ApiProperty({ example: 'on it: replacing the PSU', maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  @Matches(PRINTABLE, { message: 'comment must not contain control characters' })
  comment!: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'false: any state change of the host clears the acknowledgement; true: only recovery does',
  })
  @IsOptionalNotNull()
  @IsBoolean({ message: 'sticky must be true or false' })
  sticky?: boolean;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the acknowledgement stops holding (in the future); none by default',
  })
  @IsOptional()
  @Transform(toDate)
  @ValidateIf((_, v) => v !== null)
  @IsDate({ message: 'expires_at must be an ISO 8601 date-time with a time zone' })
  expires_at?: Date | null;
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
