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
} from 'class-validator';
import { ALERT_EVENT_KINDS, type AlertEventKind } from '../../alerts/alert-vocabulary';
import { IsOptionalNotNull } from '../../common/validation';
import { PRINTABLE, TAG } from '../../common/text-patterns';

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
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}
