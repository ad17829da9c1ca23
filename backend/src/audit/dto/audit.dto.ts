import { PageQueryDto } from '../../common/dto/page-query.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PRINTABLE } from '../../common/text-patterns';
import { AUDIT_ACTIONS, type AuditAction } from '../audit-actions';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Username of the actor (any case)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PRINTABLE, { message: 'actor must be printable text' })
  actor?: string;

  @ApiPropertyOptional({ example: 'host.delete' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action must look like host.delete or auth.login' })
  action?: string;

  @ApiPropertyOptional({ example: 'host' })
  @IsOptional()
  @IsIn(['host', 'credential', 'user', 'api_token', 'settings', 'session'], {
    message: 'target_type must be one of: host, credential, user, api_token, settings, session',
  })
  target_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PRINTABLE, { message: 'target_id must be printable text' })
  target_id?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'From this time on (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before this time (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) occurred_at!: string;
  @ApiProperty({ description: 'Username, or "anonymous"' }) actor!: string;
  @ApiProperty({ enum: ['session', 'api_token', 'oidc', 'proxy', 'anonymous'] })
  actor_type!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actor_user_id!: string | null;
  @ApiProperty({ enum: AUDIT_ACTIONS, enumName: 'AuditAction', example: 'host.create' })
  action!: AuditAction;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome!: string;
  @ApiProperty({ type: String, nullable: true, example: 'host' }) target_type!: string | null;
  @ApiProperty({ type: String, nullable: true }) target_id!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '10.0.0.5' }) source_ip!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'What changed: field names and non-secret values',
  })
  details!: Record<string, unknown> | null;
}

export class AuditListResponseDto {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
}
