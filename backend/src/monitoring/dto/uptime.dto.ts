import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxDate,
  MinDate,
} from 'class-validator';
import { TAG } from '../../common/text-patterns';

const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T00:00:00Z');

export class UptimeQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Start of the window (default: 30 days before to)',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, { message: 'from must be after 1970-01-01' })
  @MaxDate(LATEST, { message: 'from must be before 9999-12-31' })
  from?: Date;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'End of the window (default and latest: now)',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, { message: 'to must be after 1970-01-01' })
  @MaxDate(LATEST, { message: 'to must be before 9999-12-31' })
  to?: Date;
}

export class FleetUptimeQueryDto extends UptimeQueryDto {
  @ApiPropertyOptional({ description: 'Hosts carrying this tag; without it, every host' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(TAG, { message: 'tag must be printable text without commas' })
  tag?: string;
}

export class UptimeSharesDto {
  @ApiProperty({ example: 0.98 }) HEALTHY!: number;
  @ApiProperty({ example: 0.01 }) DEGRADED!: number;
  @ApiProperty({ example: 0 }) CRITICAL!: number;
  @ApiProperty({ example: 0.005 }) DOWN!: number;
  @ApiProperty({ example: 0.005 }) MAINTENANCE!: number;
}

export class UptimeResponseDto {
  @ApiProperty({ type: String, format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, format: 'date-time' }) to!: string;
  @ApiProperty({
    type: UptimeSharesDto,
    description:
      'Share of the time in each state, from state changes (not check counts); they sum to 1. Time before a host existed and time in UNKNOWN (never checked) count in none.',
  })
  shares!: UptimeSharesDto;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.985,
    description:
      'HEALTHY time over the time in HEALTHY, DEGRADED, CRITICAL and DOWN (MAINTENANCE is out of the denominator); null when there is none',
  })
  availability!: number | null;
}

/** Hosts per request to GET /api/monitoring/uptime/hosts: the host list's largest page. */
export const UPTIME_MAX_HOSTS = 250;

export class HostsUptimeQueryDto extends UptimeQueryDto {
  @ApiProperty({
    description: `Comma-separated host ids (at most ${UPTIME_MAX_HOSTS}: a page of the host list)`,
    example: '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11,0c1e2f4b-5b0e-4c53-9a7e-2d9d8f0c1a12',
  })
  @Transform(({ value }) =>
    typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value,
  )
  @IsArray()
  @ArrayMinSize(1, { message: 'ids must name at least one host' })
  @ArrayMaxSize(UPTIME_MAX_HOSTS, { message: `ids may name at most ${UPTIME_MAX_HOSTS} hosts` })
  @IsUUID(undefined, { each: true, message: 'each of ids must be a UUID' })
  ids!: string[];
}

export class HostUptimeDto {
  @ApiProperty({ format: 'uuid' }) host_id!: string;
  @ApiProperty({ type: UptimeSharesDto }) shares!: UptimeSharesDto;
  @ApiProperty({ type: Number, nullable: true }) availability!: number | null;
}

export class HostsUptimeResponseDto {
  @ApiProperty({ type: String, format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, format: 'date-time' }) to!: string;
  @ApiProperty({
    type: [HostUptimeDto],
    description: 'One per id asked for, in that order; a host that does not exist has no entry',
  })
  hosts!: HostUptimeDto[];
}
