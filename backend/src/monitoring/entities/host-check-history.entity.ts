import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import type { MonitoringState } from '../../state-machine';
import type { ProbeErrorType, ProbeStage } from '../../common/probe.types';
import { HostEntity } from '../../hosts/entities/host.entity';

/** One row per applied check (scheduled or JIT): the seed's host_monitoring_history, plus task_id and stage. */
@Entity('host_check_history')
// Serves a host's history page and recent_history: WHERE host_id = $1 ORDER BY check_time DESC.
@Index('idx_check_history_host_time', ['hostId', 'checkTime'], MIGRATION_MANAGED)
// Serves fleet-wide windows (checks and failures in the last hour) : WHERE check_time >= $1.
@Index('idx_check_history_time', ['checkTime'], MIGRATION_MANAGED)
// Partial: only checks that changed the state, newest first (the fleet's recent transitions).
@Index('idx_check_history_transitions', ['checkTime'], MIGRATION_MANAGED)
export class HostCheckHistoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'host_id', type: 'uuid' })
  hostId!: string;

  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'FK_host_check_history_host' })
  host?: HostEntity;

  /** Millisecond precision, like the JavaScript Dates that write and page it. */
  @Column({ name: 'check_time', type: 'timestamptz', precision: 3 })
  checkTime!: Date;

  @Column({ name: 'monitoring_state', type: 'varchar', length: 20 })
  monitoringState!: MonitoringState;

  @Column({ name: 'previous_state', type: 'varchar', length: 20, nullable: true })
  previousState!: MonitoringState | null;

  @Column({ name: 'response_time_ms', type: 'integer', nullable: true })
  responseTimeMs!: number | null;

  @Column({ type: 'boolean' })
  success!: boolean;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'error_type', type: 'varchar', length: 32, nullable: true })
  errorType!: ProbeErrorType | null;

  @Column({ name: 'checked_by', type: 'varchar', length: 50, default: 'system' })
  checkedBy!: string;

  /** The queue job id; unique, so a result is applied once. */
  @Column({ name: 'task_id', type: 'varchar', length: 200, unique: true })
  taskId!: string;

  @Column({ type: 'varchar', length: 16 })
  stage!: ProbeStage;

  /** The check failed while the host's parent was down, or on its jump host's leg. */
  @Column({ type: 'boolean', default: false })
  unreachable!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
