import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { MONITORING_STATES, type MonitoringState } from '../../state-machine';

/** As many hosts as a page of the host list shows at most. */
export const HEARTBEATS_MAX_HOSTS = 500;

const toIdList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;

export class HeartbeatsQueryDto {
  @ApiProperty({ description: 'Host ids, comma-separated', example: 'a1b2…,c3d4…' })
  @Transform(toIdList)
  @IsArray()
  @ArrayMinSize(1, { message: 'host_ids must name at least one host' })
  @ArrayMaxSize(HEARTBEATS_MAX_HOSTS, {
    message: `host_ids may name at most ${HEARTBEATS_MAX_HOSTS} hosts`,
  })
  @IsUUID('all', { each: true, message: 'each of host_ids must be a host id (a UUID)' })
  host_ids!: string[];

  @ApiPropertyOptional({ default: 30, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class HeartbeatDto {
  @ApiProperty({ type: String, format: 'date-time' }) check_time!: string;
  @ApiProperty() success!: boolean;
  @ApiProperty({ enum: MONITORING_STATES }) state!: MonitoringState;
  @ApiProperty({ type: Number, nullable: true }) response_time_ms!: number | null;
  @ApiProperty({ type: String, nullable: true }) error_type!: string | null;
}

export class HostHeartbeatsDto {
  @ApiProperty({ format: 'uuid' }) host_id!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the current run of failures began: the first failed check after the last success (null when the last check succeeded or there is none)',
  })
  failing_since!: string | null;
  @ApiProperty({ type: [HeartbeatDto], description: 'The latest results, newest first' })
  results!: HeartbeatDto[];
}

export class HeartbeatsResponseDto {
  @ApiProperty({
    type: [HostHeartbeatsDto],
    description: 'One entry per host asked for that exists, in the order asked',
  })
  items!: HostHeartbeatsDto[];
}
