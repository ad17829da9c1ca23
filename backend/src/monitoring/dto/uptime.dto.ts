import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, Length, Matches, MaxDate, MinDate } from 'class-validator';
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
