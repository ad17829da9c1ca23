import { PageQueryDto } from '../../common/dto/page-query.dto';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptionalNotNull } from '../../common/validation';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsIP,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { PRINTABLE, TAG } from '../../common/text-patterns';
import { HOST_KEY_POLICIES, HostKeyPolicy } from '../../common/probe.types';
import { MONITORING_STATES, MonitoringState } from '../../state-machine';

/** An ISO 8601 date-time with its offset, as a Date; anything else is left to fail IsDate. */
function toDate(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value))
    return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d;
}

const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/** The states a user may set directly: enter maintenance, or leave it (back to UNKNOWN, due at once). */
export const SETTABLE_STATES = ['MAINTENANCE', 'UNKNOWN'] as const;

export class CreateHostDto {
  @ApiProperty({ example: 'db-7.example.internal', maxLength: 253 })
  @IsString()
  @Length(1, 253)
  @Matches(HOSTNAME, {
    message: 'hostname must be a host name (letters, digits, ".", "-", "_"; no spaces)',
  })
  hostname!: string;

  @ApiPropertyOptional({
    type: String,
    example: '10.0.0.7',
    nullable: true,
    description: 'Address probed; without it the hostname is resolved through DNS.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIP(undefined, { message: 'ip_address must be an IPv4 or IPv6 address' })
  ip_address?: string | null;

  @ApiPropertyOptional({ default: 22, minimum: 1, maximum: 65535 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Credential to authenticate with; null uses the default credential, if any.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID(undefined, { message: 'credential_id must be a UUID' })
  credential_id?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The host in front of this one (a router, a bastion). While it is CRITICAL or DOWN, a failed check of this host marks it unreachable, and its problems notify nobody; when it recovers, this host is checked at once.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID(undefined, { message: 'parent_host_id must be a UUID' })
  parent_host_id?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      "The host this one is probed through (ProxyJump): the probe logs in to the jump host with the jump host's own credential and host-key pin, and opens a channel to this host from there. The jump host is implicitly the parent. One level: a jump host must be reached directly.",
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID(undefined, { message: 'jump_host_id must be a UUID' })
  jump_host_id?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['prod', 'db'] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  @Matches(TAG, { each: true, message: 'each tag must be printable text without commas' })
  tags?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ enum: HOST_KEY_POLICIES, default: 'tofu' })
  @IsOptionalNotNull()
  @IsIn(HOST_KEY_POLICIES, {
    message: `host_key_policy must be one of: ${HOST_KEY_POLICIES.join(', ')}`,
  })
  host_key_policy?: HostKeyPolicy;

  @ApiPropertyOptional({
    enum: SETTABLE_STATES,
    description: 'MAINTENANCE stops checks; UNKNOWN leaves maintenance and checks at once.',
  })
  @IsOptionalNotNull()
  @IsIn(SETTABLE_STATES, {
    message: `monitoring_state can only be set to: ${SETTABLE_STATES.join(', ')}`,
  })
  monitoring_state?: (typeof SETTABLE_STATES)[number];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'With monitoring_state MAINTENANCE (or for a host in maintenance): when it leaves maintenance by itself (back to UNKNOWN, checked at once); in the future. Null or left out: until taken out.',
  })
  @IsOptional()
  @Transform(({ value }) => toDate(value))
  @ValidateIf((_, v) => v !== null)
  @IsDate({ message: 'maintenance_ends_at must be an ISO 8601 date-time with a time zone' })
  maintenance_ends_at?: Date | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 500,
    description: 'Why the host is in maintenance, shown beside its state',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 500)
  @Matches(PRINTABLE, { message: 'maintenance_reason must not contain control characters' })
  maintenance_reason?: string | null;
}

/** Every field of CreateHostDto, optional; `null` is refused except where a field is nullable. */
export class UpdateHostDto extends PartialType(CreateHostDto, { skipNullProperties: false }) {}

export const HOST_SORT_FIELDS = [
  'hostname',
  'ip_address',
  'monitoring_state',
  'check_priority',
  'next_check_at',
  'last_check_at',
  'response_time_ms',
  'created_at',
] as const;
export type HostSortField = (typeof HOST_SORT_FIELDS)[number];

const toStateList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim().toUpperCase()) : value;

export class ListHostsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: HOST_SORT_FIELDS, default: 'hostname' })
  @IsOptional()
  @IsIn(HOST_SORT_FIELDS, { message: `sort must be one of: ${HOST_SORT_FIELDS.join(', ')}` })
  sort?: HostSortField;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({
    description: 'One state or a comma-separated list, e.g. DEGRADED,CRITICAL',
    example: 'CRITICAL',
  })
  @IsOptional()
  @Transform(toStateList)
  @IsArray()
  @IsIn(MONITORING_STATES, {
    each: true,
    message: `state must be among: ${MONITORING_STATES.join(', ')}`,
  })
  state?: MonitoringState[];

  @ApiPropertyOptional({ description: 'Hosts carrying this tag' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(TAG, { message: 'tag must be printable text' })
  tag?: string;

  @ApiPropertyOptional({ description: 'Text search in hostname and ip_address' })
  @IsOptional()
  @IsString()
  @Length(1, 253)
  @Matches(PRINTABLE, { message: 'q must be printable text' })
  q?: string;

  @ApiPropertyOptional({ description: 'Only active (true) or inactive (false) hosts' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'is_active must be true or false' })
  is_active?: boolean;
}

export class HostResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty({ type: String, nullable: true }) ip_address!: string | null;
  @ApiProperty() port!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) credential_id!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parent_host_id!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) jump_host_id!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty() is_active!: boolean;
  @ApiProperty({ enum: MONITORING_STATES }) monitoring_state!: MonitoringState;
  @ApiProperty({ example: 'online' }) current_status!: string;
  @ApiProperty() consecutive_failures!: number;
  @ApiProperty() consecutive_successes!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_check_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_check_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_state_change_at!: string | null;
  @ApiProperty({ description: '0-9, 9 most urgent' }) check_priority!: number;
  @ApiProperty({ type: Number, nullable: true }) response_time_ms!: number | null;
  @ApiProperty({ type: String, nullable: true }) last_check_stage!: string | null;
  @ApiProperty({ type: String, nullable: true }) last_error_type!: string | null;
  @ApiProperty({ type: String, nullable: true }) last_error_message!: string | null;
  @ApiProperty({
    description:
      "The last check failed while the host's parent (or jump host) was CRITICAL or DOWN, or on the jump host's leg",
  })
  unreachable!: boolean;
  @ApiProperty({
    description:
      'Whether the host is flapping (its results change too often): its problems notify nobody until it stops',
  })
  flapping!: boolean;
  @ApiProperty({
    description:
      'Weighted share of changes between its last 21 results, in percent (recent ones weigh more)',
  })
  flap_percent!: number;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The maintenance window holding the host in MAINTENANCE; null when a person put it there',
  })
  maintenance_window_id!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When its maintenance ends (the window occurrence, or the end time given by hand)',
  })
  maintenance_ends_at!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it is in maintenance' })
  maintenance_reason!: string | null;
  @ApiProperty({ enum: HOST_KEY_POLICIES }) host_key_policy!: HostKeyPolicy;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
  })
  host_key_fingerprint!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'ssh-ed25519' }) host_key_type!:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  host_key_first_seen_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}

export class HostListResponseDto {
  @ApiProperty({ type: [HostResponseDto] }) items!: HostResponseDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
}
