import { ApiProperty } from '@nestjs/swagger';
import { MONITORING_STATES, MonitoringState } from '../../state-machine';
import { CheckOutcomeDto } from '../../monitoring/dto/check-outcome.dto';

/** Names of the Server-Sent Events on GET /api/events (the SSE `event:` field). */
export const EVENT_TYPES = ['check', 'transition', 'ping'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** `event: check` — one applied check result (scheduled or JIT), as the JIT endpoint returns it. */
export class CheckEventDto {
  @ApiProperty({ enum: ['check'] }) type!: 'check';
  @ApiProperty({ type: CheckOutcomeDto }) outcome!: CheckOutcomeDto;
}

/** `event: transition` — a host changed state; sent after the check event that caused it. */
export class TransitionEventDto {
  @ApiProperty({ enum: ['transition'] }) type!: 'transition';
  @ApiProperty({ format: 'uuid' }) host_id!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty({ enum: MONITORING_STATES }) from!: MonitoringState;
  @ApiProperty({ enum: MONITORING_STATES }) to!: MonitoringState;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'task id of the check that caused it' }) task_id!: string;
}

/** `event: ping` — a keep-alive every 20 s, so proxies and the client can tell a dead stream. */
export class PingEventDto {
  @ApiProperty({ enum: ['ping'] }) type!: 'ping';
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export type HostwatchEvent = CheckEventDto | TransitionEventDto | PingEventDto;
