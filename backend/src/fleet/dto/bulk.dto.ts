import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PRINTABLE, TAG } from '../../common/text-patterns';
import { IsOptionalNotNull } from '../../common/validation';
import { MONITORING_STATES, type MonitoringState } from '../../state-machine';

export const BULK_ACTIONS = [
  'check',
  'maintenance_on',
  'maintenance_off',
  'reset_state',
  'set_tags',
  'add_tags',
  'remove_tags',
  'set_credential',
  'delete',
] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Ids in one call, at most; a larger selection is named by a filter. */
export const BULK_MAX_IDS = 20_000;

const toStateList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value.split(',').map((s) => s.trim().toUpperCase())
    : Array.isArray(value)
      ? value.map((s) => (typeof s === 'string' ? s.trim().toUpperCase() : s))
      : value;

/** The host list's filter: every host it lists (all of its pages) is selected. */
export class BulkFilterDto {
  @ApiPropertyOptional({
    description: 'One state, a comma-separated list, or an array of states',
    example: 'DOWN,CRITICAL',
    oneOf: [
      { type: 'string' },
      { type: 'array', items: { type: 'string', enum: [...MONITORING_STATES] } },
    ],
  })
  @IsOptionalNotNull()
  @Transform(toStateList)
  @IsArray({ message: 'filter.state must be a state, a comma-separated list or an array' })
  @ArrayMinSize(1)
  @IsIn(MONITORING_STATES, {
    each: true,
    message: `state must be among: ${MONITORING_STATES.join(', ')}`,
  })
  state?: MonitoringState[];

  @ApiPropertyOptional({ description: 'Hosts carrying this tag' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 64)
  @Matches(TAG, { message: 'tag must be printable text without commas' })
  tag?: string;

  @ApiPropertyOptional({ description: 'Text search in hostname and ip_address' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 253)
  @Matches(PRINTABLE, { message: 'q must be printable text' })
  q?: string;
}

export class BulkHostsDto {
  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS, { message: `action must be one of: ${BULK_ACTIONS.join(', ')}` })
  action!: BulkAction;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: BULK_MAX_IDS,
    description: 'The hosts to act on; give either ids or filter',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_IDS, {
    message: `ids may list at most ${BULK_MAX_IDS} hosts; name a larger selection with filter`,
  })
  @IsUUID(undefined, { each: true, message: 'each of ids must be a UUID' })
  ids?: string[];

  @ApiPropertyOptional({
    type: BulkFilterDto,
    description: 'Every host the host list shows with this filter ({} for every host)',
  })
  @IsOptionalNotNull()
  @IsObject({ message: 'filter must be an object' })
  @ValidateNested()
  @Type(() => BulkFilterDto)
  filter?: BulkFilterDto;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description:
      "maintenance_on: when the maintenance ends by itself (in the future); each host's maintenance_ends_at",
  })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;

  @ApiPropertyOptional({
    maxLength: 500,
    description: "maintenance_on: why; each host's maintenance_reason",
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 500)
  @Matches(PRINTABLE, { message: 'reason must be printable text' })
  reason?: string;

  @ApiPropertyOptional({ type: [String], description: 'set_tags, add_tags, remove_tags' })
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
    format: 'uuid',
    nullable: true,
    description: 'set_credential: the credential to use; null for the default credential',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID(undefined, { message: 'credential_id must be a UUID' })
  credential_id?: string | null;
}

export class BulkSkippedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'in maintenance: not checked' }) reason!: string;
}

export class BulkResultDto {
  @ApiProperty({
    description: 'Hosts selected: ids given (without repeats), or hosts the filter matched',
  })
  matched!: number;
  @ApiProperty({ description: 'Hosts the action changed (for check: checks queued)' })
  changed!: number;
  @ApiProperty({
    type: [BulkSkippedDto],
    description: 'Selected hosts left as they were, and why; matched = changed + skipped',
  })
  skipped!: BulkSkippedDto[];
}
