import { ApiProperty } from '@nestjs/swagger';
import { AlertResponseDto } from './alert.dto';

/** Names of the alerting events on GET /api/events (the SSE `event:` field). */
export const ALERT_LIVE_EVENT_TYPES = [
  'alert_opened',
  'alert_resolved',
  'alert_updated',
  'delivery_failed',
] as const;
export type AlertLiveEventType = (typeof ALERT_LIVE_EVENT_TYPES)[number];

/** `event: alert_opened` — a problem opened (from any worker, once its write committed). */
export class AlertOpenedEventDto {
  @ApiProperty({ enum: ['alert_opened'] }) type!: 'alert_opened';
  @ApiProperty({ type: AlertResponseDto }) alert!: AlertResponseDto;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

/** `event: alert_resolved` — a problem resolved (recovered, host deleted, maintenance...). */
export class AlertResolvedEventDto {
  @ApiProperty({ enum: ['alert_resolved'] }) type!: 'alert_resolved';
  @ApiProperty({ type: AlertResponseDto }) alert!: AlertResponseDto;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

/** `event: alert_updated` — an open problem was acknowledged, or its acknowledgement removed. */
export class AlertUpdatedEventDto {
  @ApiProperty({ enum: ['alert_updated'] }) type!: 'alert_updated';
  @ApiProperty({ type: AlertResponseDto }) alert!: AlertResponseDto;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export class FailedDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'The message (event_id) given up on' })
  message_id!: string;
  @ApiProperty({ format: 'uuid' }) channel_id!: string;
  @ApiProperty() channel_name!: string;
  @ApiProperty() channel_type!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) rule_id!: string | null;
  @ApiProperty({ example: 'problem_opened' }) kind!: string;
  @ApiProperty() alert_count!: number;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

/** `event: delivery_failed` — a notification was given up on after its last retry. */
export class DeliveryFailedEventDto {
  @ApiProperty({ enum: ['delivery_failed'] }) type!: 'delivery_failed';
  @ApiProperty({ type: FailedDeliveryDto }) delivery!: FailedDeliveryDto;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export type AlertLiveEvent =
  AlertOpenedEventDto | AlertResolvedEventDto | AlertUpdatedEventDto | DeliveryFailedEventDto;
