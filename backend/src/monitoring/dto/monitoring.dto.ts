import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxDate,
  Min,
  MinDate,
} from 'class-validator';
import {
  MONITORING_STATES,
  MonitoringState,
  PROBLEM_STATE_CHOICES,
  type ProblemState,
} from '../../state-machine';
import { CheckOutcomeDto } from './check-outcome.dto';

/** The window history filters accept (Postgres' timestamptz reaches further; people do not). */
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T00:00:00Z');

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

export class CheckConnectivityQueryDto {
  @ApiPropertyOptional({
    description: 'Answer when the check has been applied (200) instead of at once (202)',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'wait must be true or false' })
  wait?: boolean;

  @ApiPropertyOptional({
    description: 'How long to wait with wait=true',
    default: 15000,
    minimum: 100,
    maximum: 120000,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120000)
  timeout_ms?: number;
}

export class CheckQueuedResponseDto {
  @ApiProperty({ format: 'uuid' }) host_id!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty({ type: String, nullable: true }) ip_address!: string | null;
  @ApiProperty({ enum: MONITORING_STATES }) current_state!: MonitoringState;
  @ApiProperty({ example: 'online' }) current_status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_check!: string | null;
  @ApiProperty({ type: Number, nullable: true }) response_time_ms!: number | null;
  @ApiProperty() check_queued!: boolean;
  @ApiProperty() task_id!: string;
  @ApiProperty({ description: '0-9, 9 most urgent' }) priority!: number;
  @ApiProperty() message!: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status!: string;
}

export class CheckStatusResponseDto {
  @ApiProperty() task_id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) host_id!: string | null;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['scheduler', 'jit'], nullable: true, type: String }) checked_by!:
    string | null;
  @ApiProperty({ type: Number, nullable: true, description: '0-9, 9 most urgent' }) priority!:
    number | null;
  @ApiProperty({ type: CheckOutcomeDto, nullable: true }) result!: CheckOutcomeDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the job failed or was skipped' })
  message!: string | null;
}

export class HistoryItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() task_id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) check_time!: string;
  @ApiProperty({ enum: MONITORING_STATES }) monitoring_state!: MonitoringState;
  @ApiProperty({ enum: MONITORING_STATES, description: 'Same as monitoring_state (the seed name)' })
  state!: MonitoringState;
  @ApiProperty({ enum: MONITORING_STATES, nullable: true, type: String })
  previous_state!: MonitoringState | null;
  @ApiProperty({ type: Number, nullable: true }) response_time_ms!: number | null;
  @ApiProperty() success!: boolean;
  @ApiProperty({ type: String, nullable: true }) error_message!: string | null;
  @ApiProperty({ type: String, nullable: true }) error_type!: string | null;
  @ApiProperty() checked_by!: string;
  @ApiProperty() stage!: string;
  @ApiProperty({
    description:
      "The check failed while the host's parent (or jump host) was CRITICAL or DOWN, or on the jump host's leg",
  })
  unreachable!: boolean;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Only checks at or after this time',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, { message: 'since must be after 1970-01-01' })
  @MaxDate(LATEST, { message: 'since must be before 9999-12-31' })
  since?: Date;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Only checks before this time',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, { message: 'until must be after 1970-01-01' })
  @MaxDate(LATEST, { message: 'until must be before 9999-12-31' })
  until?: Date;
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryItemDto] }) items!: HistoryItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next (older) page',
  })
  next_cursor!: string | null;
}

export class CheckIntervalInfoDto {
  @ApiProperty({ type: Number, nullable: true }) seconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) minutes!: number | null;
  @ApiProperty() description!: string;
}

export class RecentCheckDto {
  @ApiProperty({ type: String, format: 'date-time' }) check_time!: string;
  @ApiProperty({ enum: MONITORING_STATES }) state!: MonitoringState;
  @ApiProperty({ enum: MONITORING_STATES, nullable: true, type: String })
  previous_state!: MonitoringState | null;
  @ApiProperty({ type: Number, nullable: true }) response_time_ms!: number | null;
  @ApiProperty() success!: boolean;
  @ApiProperty({ type: String, nullable: true }) error_message!: string | null;
  @ApiProperty({ type: String, nullable: true }) error_type!: string | null;
  @ApiProperty() checked_by!: string;
  @ApiProperty() stage!: string;
  @ApiProperty() task_id!: string;
  @ApiProperty({
    description:
      "The check failed while the host's parent (or jump host) was CRITICAL or DOWN, or on the jump host's leg",
  })
  unreachable!: boolean;
}

export class HostStateResponseDto {
  @ApiProperty({ format: 'uuid' }) host_id!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty({ type: String, nullable: true }) ip_address!: string | null;
  @ApiProperty({ enum: MONITORING_STATES }) current_state!: MonitoringState;
  @ApiProperty() current_status!: string;
  @ApiProperty() consecutive_failures!: number;
  @ApiProperty() consecutive_successes!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_check_time!:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_state_change!:
    string | null;
  @ApiProperty({ description: '0-9, 9 most urgent' }) check_priority!: number;
  @ApiProperty({ type: Number, nullable: true }) response_time_ms!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_check!: string | null;
  @ApiProperty({ type: String, nullable: true }) last_check_stage!: string | null;
  @ApiProperty({ type: String, nullable: true }) last_error_type!: string | null;
  @ApiProperty({ type: String, nullable: true }) last_error_message!: string | null;
  @ApiProperty({ type: String, nullable: true }) host_key_fingerprint!: string | null;
  @ApiProperty({ description: 'The last check was unreachable (see the history item)' })
  unreachable!: boolean;
  @ApiProperty({ description: 'Whether the host is flapping: its problems notify nobody' })
  flapping!: boolean;
  @ApiProperty({ description: 'Weighted share of changes between its last 21 results, percent' })
  flap_percent!: number;
  @ApiProperty({ type: CheckIntervalInfoDto }) check_interval_info!: CheckIntervalInfoDto;
  @ApiProperty({ type: [RecentCheckDto] }) recent_history!: RecentCheckDto[];
}

export class ThresholdsDto {
  @ApiProperty({ default: 1 }) degraded_after_failures!: number;
  @ApiProperty({ default: 2 }) critical_after_failures!: number;
  @ApiProperty({ default: 3 }) down_after_failures!: number;
  @ApiProperty({ default: 3 }) healthy_after_successes!: number;
}

export class IntervalsDto {
  @ApiProperty({ default: 1800 }) HEALTHY!: number;
  @ApiProperty({ default: 300 }) DEGRADED!: number;
  @ApiProperty({ default: 120 }) CRITICAL!: number;
  @ApiProperty({ default: 1800 }) DOWN!: number;
}

export class PrioritiesDto {
  @ApiProperty({ default: 3 }) HEALTHY!: number;
  @ApiProperty({ default: 6 }) DEGRADED!: number;
  @ApiProperty({ default: 9 }) CRITICAL!: number;
  @ApiProperty({ default: 4 }) DOWN!: number;
  @ApiProperty({ default: 7 }) UNKNOWN!: number;
  @ApiProperty({ default: 9 }) JIT!: number;
}

export class FlappingDto {
  @ApiProperty({
    default: 30,
    minimum: 0,
    maximum: 100,
    description: 'A host starts flapping when its flap percentage rises above this',
  })
  start_percent!: number;
  @ApiProperty({
    default: 25,
    minimum: 0,
    maximum: 100,
    description:
      'A flapping host stops when its flap percentage falls to this or below (<= start_percent)',
  })
  stop_percent!: number;
}

export class PolicyDto {
  @ApiProperty({ type: ThresholdsDto }) thresholds!: ThresholdsDto;
  @ApiProperty({ type: IntervalsDto, description: 'Seconds between checks per state (1..604800)' })
  intervals_seconds!: IntervalsDto;
  @ApiProperty({ type: PrioritiesDto, description: 'Queue priority per state, 0-9, 9 most urgent' })
  priorities!: PrioritiesDto;
  @ApiProperty({
    default: 0.1,
    description: 'Per-host jitter of the next check, as a share of the interval (0..0.5)',
  })
  jitter_ratio!: number;
  @ApiProperty({
    enum: PROBLEM_STATE_CHOICES,
    isArray: true,
    default: ['CRITICAL', 'DOWN'],
    description:
      'A host entering one of these states opens a problem (alert), resolved when it is HEALTHY again; distinct values among DEGRADED, CRITICAL, DOWN. A changed host key opens a problem of its own whatever this says.',
  })
  problem_states!: ProblemState[];
  @ApiProperty({
    type: FlappingDto,
    description:
      'Flap detection: a host whose results change too often flaps, and its problems notify nobody (flapping_started and flapping_stopped do) until it stops',
  })
  flapping!: FlappingDto;
  @ApiProperty({
    type: Number,
    nullable: true,
    default: null,
    minimum: 1,
    maximum: 36500,
    description:
      'Days of check history kept; null keeps HISTORY_RETENTION_DAYS (90 by default). State changes, which uptime reports read, are kept ROLLUP_RETENTION_DAYS.',
  })
  history_retention_days!: number | null;
}

export class SchedulerDto {
  @ApiProperty() enabled!: boolean;
}

export class SchedulerUpdateDto {
  @ApiProperty()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled!: boolean;
}

export class LastHourStatsDto {
  @ApiProperty() checks!: number;
  @ApiProperty() failures!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Of successful checks' })
  avg_response_time_ms!: number | null;
}

export class QueueWorkersDto {
  @ApiProperty({ description: 'Processes running scheduled checks (role worker)' })
  scheduled!: number;
  @ApiProperty({
    description: 'Processes running JIT checks (role worker with JIT slots, or jit-worker)',
  })
  jit!: number;
}

export class QueueStatsDto {
  @ApiProperty() available!: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Since when Redis has not answered, as the serving process saw it: checks are paused and JIT checks answer 503 meanwhile; null while it answers',
  })
  unavailable_since!: string | null;
  @ApiProperty({
    type: QueueWorkersDto,
    nullable: true,
    description:
      "Worker processes connected to each queue, from Redis' client list; null where Redis refuses CLIENT LIST",
  })
  workers!: QueueWorkersDto | null;
  @ApiProperty() waiting!: number;
  @ApiProperty() active!: number;
  @ApiProperty() delayed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({
    description: 'Waiting jobs per API priority (0-9) plus "jit"',
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { jit: 0, '9': 2, '6': 10, '4': 0, '3': 120 },
  })
  depth_by_priority!: Record<string, number>;
}

export class DependencyStatusDto {
  @ApiProperty() up!: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When it last went away or came back (process start while always up)',
  })
  since!: string;
  @ApiProperty({ description: 'Outages the serving process has seen since it started' })
  outages!: number;
  @ApiProperty({
    description:
      'Seconds down in total since the serving process started, the current outage included',
  })
  down_seconds!: number;
}

export class DependenciesDto {
  @ApiProperty({ type: DependencyStatusDto }) redis!: DependencyStatusDto;
  @ApiProperty({ type: DependencyStatusDto }) database!: DependencyStatusDto;
}

export class StatsResponseDto {
  @ApiProperty() total_hosts!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { HEALTHY: 800, DEGRADED: 150, CRITICAL: 40, DOWN: 10, UNKNOWN: 0, MAINTENANCE: 0 },
  })
  hosts_by_state!: Record<string, number>;
  @ApiProperty({
    description: 'Active hosts whose next check is more than overdue_after_seconds late',
  })
  overdue_hosts!: number;
  @ApiProperty() overdue_after_seconds!: number;
  @ApiProperty({ type: QueueStatsDto }) queue!: QueueStatsDto;
  @ApiProperty({ type: LastHourStatsDto }) last_hour!: LastHourStatsDto;
  @ApiProperty() scheduler_enabled!: boolean;
  @ApiProperty({
    type: DependenciesDto,
    description:
      'Redis and PostgreSQL as the serving process sees them, with the outages it has counted',
  })
  dependencies!: DependenciesDto;
  @ApiProperty({ type: String, format: 'date-time' }) generated_at!: string;
}
