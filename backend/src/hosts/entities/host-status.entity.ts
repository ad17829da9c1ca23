import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import type { MonitoringState } from '../../state-machine';
import type { ProbeErrorType, ProbeStage } from '../../common/probe.types';
import { HostEntity } from './host.entity';

/**
 * A host's schedule and state: one row per host, written by the producer's claim, by every
 * applied result and by state changes a person makes (maintenance, reset). Narrow on purpose:
 * a result's update touches this table's six b-tree indexes and none of the inventory's.
 * Its fillfactor (80) keeps room on each page, so a claim, which changes only `claimed_at`
 * (no index covers it), stays a heap-only (HOT) update.
 */
@Entity('host_status')
// Serves the producer's claim (next_check_at <= $now, active, not in maintenance) and the
// overdue count in stats. Partial, so maintenance and inactive hosts cost nothing per tick.
@Index('idx_host_status_due', ['nextCheckAt'], MIGRATION_MANAGED)
// Serves hosts-per-state counts, the state filter and the state sort (then id) of the host list.
@Index('idx_host_status_state', ['monitoringState', 'hostId'])
// Serves the host list's default order, worst first: states by severity (an expression,
// created by migration HostSeverityIndex), then id.
@Index('idx_host_status_severity', ['monitoringState', 'hostId'], MIGRATION_MANAGED)
// Serve the host list's sort by last check and by response time (NULLS LAST asc, FIRST desc).
@Index('idx_host_status_last_check_at', ['lastCheckAt'])
@Index('idx_host_status_response_time_ms', ['responseTimeMs'])
export class HostStatusEntity {
  @PrimaryColumn({
    name: 'host_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_host_status_host_id',
  })
  hostId!: string;

  @OneToOne(() => HostEntity, (host) => host.status, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'FK_host_status_host' })
  host?: Relation<HostEntity>;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'monitoring_state', type: 'varchar', length: 20, default: 'UNKNOWN' })
  monitoringState!: MonitoringState;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Column({ name: 'consecutive_successes', type: 'integer', default: 0 })
  consecutiveSuccesses!: number;

  @Column({ name: 'next_check_at', type: 'timestamptz', nullable: true })
  nextCheckAt!: Date | null;

  /**
   * When the producer last claimed the host (queued its check). The claim covers the current
   * next_check_at while claimed_at >= next_check_at, for SCHEDULER_LEASE_SECONDS.
   */
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'last_check_at', type: 'timestamptz', nullable: true })
  lastCheckAt!: Date | null;

  @Column({ name: 'last_state_change_at', type: 'timestamptz', nullable: true })
  lastStateChangeAt!: Date | null;

  @Column({ name: 'check_priority', type: 'smallint', default: 7 })
  checkPriority!: number;

  @Column({ name: 'response_time_ms', type: 'integer', nullable: true })
  responseTimeMs!: number | null;

  @Column({ name: 'last_check_stage', type: 'varchar', length: 16, nullable: true })
  lastCheckStage!: ProbeStage | null;

  @Column({ name: 'last_error_type', type: 'varchar', length: 32, nullable: true })
  lastErrorType!: ProbeErrorType | null;

  @Column({ name: 'last_error_message', type: 'text', nullable: true })
  lastErrorMessage!: string | null;

  /** The last check failed while the host's parent was down, or on its jump host's leg. */
  @Column({ type: 'boolean', default: false })
  unreachable!: boolean;

  /** The last 20 changes between results (up/down), newest in bit 0 (state-machine/flapping). */
  @Column({ name: 'flap_changes', type: 'integer', default: 0 })
  flapChanges!: number;

  @Column({ name: 'flap_percent', type: 'real', default: 0 })
  flapPercent!: number;

  @Column({ type: 'boolean', default: false })
  flapping!: boolean;

  /** The maintenance window that put the host in MAINTENANCE; null when a person did. */
  @Column({ name: 'maintenance_window_id', type: 'uuid', nullable: true })
  maintenanceWindowId!: string | null;

  /** When the host leaves MAINTENANCE (back to UNKNOWN, due at once); null: when taken out. */
  @Column({ name: 'maintenance_ends_at', type: 'timestamptz', nullable: true })
  maintenanceEndsAt!: Date | null;

  @Column({ name: 'maintenance_reason', type: 'varchar', length: 500, nullable: true })
  maintenanceReason!: string | null;
}
