import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNotNull } from '../../common/validation';
import { PRINTABLE, TAG } from '../../common/text-patterns';
import { MAX_DURATION_MINUTES, START_TIME, WEEKDAYS, type Weekday } from '../occurrences';

/** An ISO 8601 date-time with its offset, turned into a Date; anything else stays and fails. */
const toDate = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value))
    return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d;
};

export class RecurrenceDto {
  @ApiPropertyOptional({
    example: '0 2 * * 0',
    description:
      'Five-field cron expression (minute hour day month weekday), read in time_zone. Give this or weekdays with start_time.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cron?: string;

  @ApiPropertyOptional({ enum: WEEKDAYS, isArray: true, example: ['sat', 'sun'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(WEEKDAYS, { each: true, message: `each weekday must be one of: ${WEEKDAYS.join(', ')}` })
  weekdays?: Weekday[];

  @ApiPropertyOptional({ example: '22:00', description: 'HH:MM, wall clock in time_zone' })
  @IsOptional()
  @IsString()
  @Matches(START_TIME, { message: 'start_time must be HH:MM (00:00 to 23:59)' })
  start_time?: string;

  @ApiProperty({
    minimum: 1,
    maximum: MAX_DURATION_MINUTES,
    description: 'How long each occurrence lasts, in real minutes (across a DST change too)',
  })
  @IsInt({ message: 'duration_minutes must be a whole number of minutes' })
  @Min(1)
  @Max(MAX_DURATION_MINUTES)
  duration_minutes!: number;

  @ApiPropertyOptional({
    default: 'UTC',
    example: 'Europe/Berlin',
    description: 'IANA time zone the start times are read in',
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 64)
  time_zone?: string;
}

export class CreateMaintenanceWindowDto {
  @ApiProperty({ example: 'Sunday patching', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'kernel updates' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 500)
  @Matches(PRINTABLE, { message: 'reason must not contain control characters' })
  reason?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', default: [] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(10000)
  @ArrayUnique()
  @IsUUID(undefined, { each: true, message: 'each of host_ids must be a UUID' })
  host_ids?: string[];

  @ApiPropertyOptional({
    type: [String],
    default: [],
    description: 'Hosts carrying any of these tags, also hosts that get one while it is on',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  @Matches(TAG, { each: true, message: 'each tag must be printable text without commas' })
  tags?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'One-off window: its start (may be in the past: it is on at once)',
  })
  @IsOptional()
  @Transform(toDate)
  @ValidateIf((_, v) => v !== null)
  @IsDate({ message: 'starts_at must be an ISO 8601 date-time with a time zone' })
  starts_at?: Date | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'One-off window: its end, after starts_at and in the future',
  })
  @IsOptional()
  @Transform(toDate)
  @ValidateIf((_, v) => v !== null)
  @IsDate({ message: 'ends_at must be an ISO 8601 date-time with a time zone' })
  ends_at?: Date | null;

  @ApiPropertyOptional({
    type: RecurrenceDto,
    nullable: true,
    description: 'A recurring window, instead of starts_at and ends_at',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsObject({ message: 'recurrence must be an object' })
  @ValidateNested()
  @Type(() => RecurrenceDto)
  recurrence?: RecurrenceDto | null;
}

/** Any field of a window; the result must still be a whole window (one-off or recurring). */
export class UpdateMaintenanceWindowDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 500)
  @Matches(PRINTABLE, { message: 'reason must not contain control characters' })
  reason?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(10000)
  @ArrayUnique()
  @IsUUID(undefined, { each: true, message: 'each of host_ids must be a UUID' })
  host_ids?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  @Matches(TAG, { each: true, message: 'each tag must be printable text without commas' })
  tags?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Giving starts_at or ends_at makes the window one-off (its recurrence goes)',
  })
  @IsOptional()
  @Transform(toDate)
  @ValidateIf((_, v) => v !== null)
  @IsDate({ message: 'starts_at must be an ISO 8601 date-time with a time zone' })
  starts_at?: Date | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @Transform(toDate)
  @ValidateIf((_, v) => v !== null)
  @IsDate({ message: 'ends_at must be an ISO 8601 date-time with a time zone' })
  ends_at?: Date | null;

  @ApiPropertyOptional({
    type: RecurrenceDto,
    nullable: true,
    description: 'Giving a recurrence makes the window recurring (its starts_at and ends_at go)',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsObject({ message: 'recurrence must be an object' })
  @ValidateNested()
  @Type(() => RecurrenceDto)
  recurrence?: RecurrenceDto | null;
}

export class ListMaintenanceWindowsQueryDto {
  @ApiPropertyOptional({ description: 'Only windows on now (true) or not on now (false)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class OccurrenceDto {
  @ApiProperty({ type: String, format: 'date-time' }) starts_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) ends_at!: string;
}

export class RecurrenceResponseDto {
  @ApiPropertyOptional({ type: String }) cron?: string;
  @ApiPropertyOptional({ enum: WEEKDAYS, isArray: true }) weekdays?: Weekday[];
  @ApiPropertyOptional({ type: String }) start_time?: string;
  @ApiProperty() duration_minutes!: number;
  @ApiProperty() time_zone!: string;
}

export class MaintenanceWindowResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) host_ids!: string[];
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) starts_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) ends_at!: string | null;
  @ApiProperty({ type: RecurrenceResponseDto, nullable: true })
  recurrence!: RecurrenceResponseDto | null;
  @ApiProperty({ description: 'Whether one of its occurrences is on now' }) active!: boolean;
  @ApiProperty({
    type: [OccurrenceDto],
    description: 'The next five occurrences not yet ended, the one on now first',
  })
  next_occurrences!: OccurrenceDto[];
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}
