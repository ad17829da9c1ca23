import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation';

export const STATS_HISTORY_DEFAULT_MINUTES = 60;
export const STATS_HISTORY_MAX_MINUTES = 1440;
const MINUTES_PROBLEM = `minutes must be a whole number from 1 to ${STATS_HISTORY_MAX_MINUTES}`;

export class StatsHistoryQueryDto {
  @ApiPropertyOptional({
    default: STATS_HISTORY_DEFAULT_MINUTES,
    minimum: 1,
    maximum: STATS_HISTORY_MAX_MINUTES,
    description: 'How many minutes back, the current (unfinished) minute included',
  })
  @IsOptionalNotNull()
  @Type(() => Number)
  @IsInt({ message: MINUTES_PROBLEM })
  @Min(1, { message: MINUTES_PROBLEM })
  @Max(STATS_HISTORY_MAX_MINUTES, { message: MINUTES_PROBLEM })
  minutes?: number;
}

export class StatsMinuteDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'Start of the minute' })
  minute!: string;
  @ApiProperty({ description: 'Checks applied in the minute (scheduled and JIT)' })
  checks!: number;
  @ApiProperty({ description: 'Of which failed' })
  failures!: number;
  @ApiProperty({ description: 'Successful checks with a response time (the samples below)' })
  response_time_samples!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Mean response time of successful checks; null without any',
  })
  avg_response_time_ms!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '95th percentile response time of successful checks; null without any',
  })
  p95_response_time_ms!: number | null;
}

export class StatsHistoryResponseDto {
  @ApiProperty({ description: 'Minutes covered: one bucket each, empty minutes as zeros' })
  minutes!: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description:
      'Checks before this instant are counted; a live client adds the checks it streams from here on (check_time >= until)',
  })
  until!: string;
  @ApiProperty({ type: [StatsMinuteDto], description: 'Oldest first; the last one is unfinished' })
  buckets!: StatsMinuteDto[];
}
