import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsString, Length, Matches } from 'class-validator';
import { DeliveryResponseDto } from '../../alerts/dto/alert.dto';
import { IsOptionalNotNull } from '../../common/validation';
import { PRINTABLE } from '../../common/text-patterns';
import { CHANNEL_TYPES, EMAIL_TLS_MODES, type ChannelType } from '../notification-vocabulary';

export class WebhookConfigDto {
  @ApiProperty({ example: 'https://ops.example.com/hooks/hostwatch' }) url!: string;
  @ApiPropertyOptional({
    writeOnly: true,
    nullable: true,
    type: String,
    description:
      'Signs every request (X-Hostwatch-Signature); write-only: left out on update keeps it, null removes it',
  })
  secret?: string | null;
}

export class SlackConfigDto {
  @ApiProperty({
    writeOnly: true,
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    description: 'The incoming-webhook URL; write-only (it embeds a token)',
  })
  url!: string;
}

export class TeamsConfigDto {
  @ApiProperty({
    writeOnly: true,
    description: 'The Workflows webhook URL; write-only (it embeds a signature)',
  })
  url!: string;
}

export class EmailConfigDto {
  @ApiProperty({ example: 'smtp.example.com' }) host!: string;
  @ApiPropertyOptional({ description: 'Default 587 (starttls), 465 (tls), 25 (none)' })
  port?: number;
  @ApiPropertyOptional({ enum: EMAIL_TLS_MODES, default: 'starttls' }) tls?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) username?: string | null;
  @ApiPropertyOptional({
    writeOnly: true,
    type: String,
    nullable: true,
    description: 'Write-only: left out on update keeps it, null removes it',
  })
  password?: string | null;
  @ApiProperty({ example: 'hostwatch@example.com' }) from!: string;
  @ApiProperty({ type: [String], example: ['oncall@example.com'] }) to!: string[];
}

export class AlertmanagerConfigDto {
  @ApiProperty({
    example: 'http://alertmanager.example.com:9093',
    description: 'Base URL; alerts are posted to {url}/api/v2/alerts',
  })
  url!: string;
}

/**
 * The config of the channel's `type` (a sibling field, so not a discriminator here). anyOf,
 * not oneOf: webhook, Slack, Teams and Alertmanager configs all have just a `url`, so a value
 * may match several of them; `type` decides which one it is.
 */
const CONFIG_SCHEMA = {
  anyOf: [
    { $ref: getSchemaPath(WebhookConfigDto) },
    { $ref: getSchemaPath(SlackConfigDto) },
    { $ref: getSchemaPath(TeamsConfigDto) },
    { $ref: getSchemaPath(EmailConfigDto) },
    { $ref: getSchemaPath(AlertmanagerConfigDto) },
  ],
};

@ApiExtraModels(
  WebhookConfigDto,
  SlackConfigDto,
  TeamsConfigDto,
  EmailConfigDto,
  AlertmanagerConfigDto,
)
export class CreateChannelDto {
  @ApiProperty({ example: 'ops-slack', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({ enum: CHANNEL_TYPES })
  @IsIn(CHANNEL_TYPES, { message: `type must be one of: ${CHANNEL_TYPES.join(', ')}` })
  type!: ChannelType;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ ...CONFIG_SCHEMA, description: "The type's settings (see docs/notifications.md)" })
  @IsObject({ message: 'config must be an object' })
  config!: Record<string, unknown>;
}

export class UpdateChannelDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({
    enum: CHANNEL_TYPES,
    description: 'A new type needs its whole config, secrets included',
  })
  @IsOptionalNotNull()
  @IsIn(CHANNEL_TYPES, { message: `type must be one of: ${CHANNEL_TYPES.join(', ')}` })
  type?: ChannelType;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    ...CONFIG_SCHEMA,
    description:
      'Fields left out keep their values (secrets included); a secret set to null is removed',
  })
  @IsOptionalNotNull()
  @IsObject({ message: 'config must be an object' })
  config?: Record<string, unknown>;
}

export class ChannelResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CHANNEL_TYPES }) type!: ChannelType;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The settings without secrets: webhook {url, secret_set}; slack and teams {url_host, secret_set}; email {host, port, tls, username, from, to, secret_set}; alertmanager {url}',
    example: { url_host: 'hooks.slack.com', secret_set: true },
  })
  config!: Record<string, unknown>;
  @ApiProperty({
    type: DeliveryResponseDto,
    nullable: true,
    description: 'The latest delivery attempt to this channel (tests included)',
  })
  last_delivery!: DeliveryResponseDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}

export class ChannelTestResponseDto {
  @ApiProperty({ description: 'Whether the receiver accepted the test message' }) ok!: boolean;
  @ApiProperty({ type: DeliveryResponseDto }) delivery!: DeliveryResponseDto;
}
