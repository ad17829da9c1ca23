import { ApiProperty } from '@nestjs/swagger';
import { MONITORING_STATES, MonitoringState } from '../../state-machine';
import { PROBE_ERROR_TYPES, PROBE_STAGES } from '../../common/probe.types';

/** The applied result of one check (scheduled or JIT). */
export class CheckOutcomeDto {
  @ApiProperty() task_id!: string;
  @ApiProperty({ format: 'uuid' }) host_id!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty({ enum: ['scheduler', 'jit'] }) checked_by!: string;
  @ApiProperty() success!: boolean;
  @ApiProperty({ type: String, enum: PROBE_ERROR_TYPES, nullable: true }) error_type!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) error_message!: string | null;
  @ApiProperty() response_time_ms!: number;
  @ApiProperty({ enum: PROBE_STAGES, description: 'The last probe stage reached' }) stage!: string;
  @ApiProperty({ enum: MONITORING_STATES }) previous_state!: MonitoringState;
  @ApiProperty({ enum: MONITORING_STATES }) new_state!: MonitoringState;
  @ApiProperty() state_changed!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) checked_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_check_at!: string | null;
  @ApiProperty({ type: String, nullable: true }) host_key_fingerprint!: string | null;
  @ApiProperty({
    description: 'Whether the presented host key equals the pinned one after this check',
  })
  host_key_pinned!: boolean;
  @ApiProperty({
    description:
      'Whether the result was applied to the host. False for a just-in-time check of an inactive host or of one in maintenance: its result is reported, but no state, counter, schedule, host-key pin or history row changes.',
  })
  state_applied!: boolean;
  @ApiProperty({
    description:
      "Whether the check failed while the host's parent (or jump host) was CRITICAL or DOWN, or on the jump host's leg: the host's own state cannot be told, and its problems notify nobody.",
  })
  unreachable!: boolean;
  @ApiProperty({
    description:
      "Whether the host is flapping after this check (its results change too often, see the policy's flapping thresholds): its problems notify nobody until it stops.",
  })
  flapping!: boolean;
}
