import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';

/** The most hosts one bulk check may name: a page of the host list at its largest, twice. */
export const BULK_CHECK_MAX_HOSTS = 500;

export class BulkCheckDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: BULK_CHECK_MAX_HOSTS,
    description: 'The hosts to check now; a repeated id is checked once',
  })
  @IsArray({ message: 'host_ids must be a list of host ids' })
  @ArrayMinSize(1, { message: 'host_ids must name at least one host' })
  @ArrayMaxSize(BULK_CHECK_MAX_HOSTS, {
    message: `host_ids may name at most ${BULK_CHECK_MAX_HOSTS} hosts`,
  })
  @IsUUID('all', { each: true, message: 'each of host_ids must be a host id (a UUID)' })
  host_ids!: string[];
}

export class BulkCheckQueuedDto {
  @ApiProperty({ format: 'uuid' }) host_id!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty() task_id!: string;
}

export class BulkCheckResponseDto {
  @ApiProperty({ type: [BulkCheckQueuedDto] }) queued!: BulkCheckQueuedDto[];
  @ApiProperty({
    type: [String],
    description: 'Ids that name no host (deleted, or never existed): nothing was queued for them',
  })
  not_found!: string[];
  @ApiProperty({ description: '0-9, 9 most urgent' }) priority!: number;
  @ApiProperty() message!: string;
}
