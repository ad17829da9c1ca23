import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxDate,
  MinDate,
} from 'class-validator';
import { TAG } from '../../common/text-patterns';
import { MONITORING_STATES, type MonitoringState } from '../../state-machine';

const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T00:00:00Z');

export const HISTORY_EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type HistoryExportFormat = (typeof HISTORY_EXPORT_FORMATS)[number];

const toStateList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim().toUpperCase()) : value;

export class HistoryExportQueryDto {
  @ApiPropertyOptional({ enum: HISTORY_EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(HISTORY_EXPORT_FORMATS, {
    message: `format must be one of: ${HISTORY_EXPORT_FORMATS.join(', ')}`,
  })
  format?: HistoryExportFormat;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this host's checks" })
  @IsOptional()
  @IsUUID(undefined, { message: 'host_id must be a UUID' })
  host_id?: string;

  @ApiPropertyOptional({ description: 'Only checks of hosts carrying this tag (now)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(TAG, { message: 'tag must be printable text without commas' })
  tag?: string;

  @ApiPropertyOptional({
    description: 'Only checks that left the host in this state (one, or a comma list)',
    example: 'DOWN,CRITICAL',
  })
  @IsOptional()
  @Transform(toStateList)
  @IsArray()
  @IsIn(MONITORING_STATES, {
    each: true,
    message: `state must be among: ${MONITORING_STATES.join(', ')}`,
  })
  state?: MonitoringState[];

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Checks at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, { message: 'from must be after 1970-01-01' })
  @MaxDate(LATEST, { message: 'from must be before 9999-12-31' })
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Checks before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, { message: 'to must be after 1970-01-01' })
  @MaxDate(LATEST, { message: 'to must be before 9999-12-31' })
  to?: Date;
}
