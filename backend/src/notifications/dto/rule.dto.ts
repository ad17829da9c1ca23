import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { ALERT_EVENT_KINDS, type AlertEventKind } from '../../alerts/alert-vocabulary';
import { IsOptionalNotNull } from '../../common/validation';
import { PRINTABLE, TAG } from '../../common/text-patterns';

/** Longest reminder interval and escalation delay: 30 days. */
const MAX_MINUTES = 30 * 24 * 60;

export class EscalationDto {
  @ApiProperty({
    minimum: 1,
    maximum: MAX_MINUTES,
    description:
      'Minutes a problem has been open and unacknowledged before these channels are told too',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_MINUTES)
  after_minutes!: number;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1, { message: 'channel_ids must name at least one channel' })
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID(undefined, { each: true, message: 'each of channel_ids must be a UUID' })
  channel_ids!: string[];
}

export class CreateRuleDto {
  @ApiProperty({ example: 'rack 7 to on-call', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: [String],
    default: [],
    description: 'Hosts carrying any of these tags; empty: every host',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  @Matches(TAG, { each: true, message: 'each tag must be printable text without commas' })
  tags?: string[];

  @ApiProperty({ enum: ALERT_EVENT_KINDS, isArray: true })
  @IsArray()
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayUnique()
  @IsIn(ALERT_EVENT_KINDS, {
    each: true,
    message: `each event must be one of: ${ALERT_EVENT_KINDS.join(', ')}`,
  })
  events!: AlertEventKind[];

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1, { message: 'channel_ids must name at least one channel' })
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID(undefined, { each: true, message: 'each of channel_ids must be a UUID' })
  channel_ids!: string[];

  @ApiPropertyOptional({
    default: 30,
    minimum: 0,
    maximum: 86400,
    description: "A group's first message goes this long after its first alert (0: at once)",
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(86400)
  group_wait_seconds?: number;

  @ApiPropertyOptional({
    default: 300,
    minimum: 1,
    maximum: 86400,
    description: "At least this long between a group's messages",
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(86400)
  group_interval_seconds?: number;

  @ApiPropertyOptional({
    default: 0,
    minimum: 0,
    maximum: MAX_MINUTES,
    description:
      'Re-notify an open, unacknowledged problem every this many minutes (0: never). Needs problem_opened among events.',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  repeat_interval_minutes?: number;

  @ApiPropertyOptional({
    type: [EscalationDto],
    default: [],
    description:
      'After after_minutes open and unacknowledged, a problem also goes to these channels (its reminders and resolution too)',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => EscalationDto)
  escalations?: EscalationDto[];
}

/** Every field of CreateRuleDto, optional and not nullable. */
export class UpdateRuleDto extends PartialType(CreateRuleDto, { skipNullProperties: false }) {}

export class RuleResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ enum: ALERT_EVENT_KINDS, isArray: true }) events!: AlertEventKind[];
  @ApiProperty({ type: [String], format: 'uuid' }) channel_ids!: string[];
  @ApiProperty() group_wait_seconds!: number;
  @ApiProperty() group_interval_seconds!: number;
  @ApiProperty({ description: '0: no reminders' }) repeat_interval_minutes!: number;
  @ApiProperty({ type: [EscalationDto] }) escalations!: EscalationDto[];
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}
