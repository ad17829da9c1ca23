import { ApiProperty } from '@nestjs/swagger';
import { HostResponseDto } from './host.dto';

/** Names of the host lifecycle events on GET /api/events (the SSE `event:` field). */
export const HOST_EVENT_TYPES = ['host_created', 'host_updated', 'host_deleted'] as const;
export type HostEventType = (typeof HOST_EVENT_TYPES)[number];

/** `event: host_created` — a host was added (by anyone, through any API process). */
export class HostCreatedEventDto {
  @ApiProperty({ enum: ['host_created'] }) type!: 'host_created';
  @ApiProperty({ type: HostResponseDto, description: 'The host as GET /api/hosts/{id} shows it' })
  host!: HostResponseDto;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

/**
 * `event: host_updated` — a host's inventory fields changed (name, address, tags, active,
 * maintenance, host-key reset). Check results are `check` events, not this one.
 */
export class HostUpdatedEventDto {
  @ApiProperty({ enum: ['host_updated'] }) type!: 'host_updated';
  @ApiProperty({ type: HostResponseDto, description: 'The host after the change' })
  host!: HostResponseDto;
  @ApiProperty({
    type: HostResponseDto,
    description:
      'The host before the change, so a filtered list can tell whether it left or joined',
  })
  previous!: HostResponseDto;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

/** `event: host_deleted` — a host and its history were removed. */
export class HostDeletedEventDto {
  @ApiProperty({ enum: ['host_deleted'] }) type!: 'host_deleted';
  @ApiProperty({ type: HostResponseDto, description: 'The host as it was when deleted' })
  host!: HostResponseDto;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export type HostEvent = HostCreatedEventDto | HostUpdatedEventDto | HostDeletedEventDto;
