import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import type { MonitoringState } from '../../state-machine';
import type { AlertKind, AlertSeverity } from '../alert-vocabulary';

/**
 * A problem: opened when a host enters a problem state (or shows a changed host key), resolved
 * when it recovers, is deleted or enters maintenance. The host's name, address, port and tags
 * are copied at open, so a deleted host's alert still says which host it was.
 */
@Entity('alerts')
@Check('CHK_alerts_kind', `"kind" IN ('problem', 'host_key_mismatch')`)
// At most one open alert per host and kind (a partial unique index, created by the migration);
// it also serves the lookup of a batch's open alerts.
@Index('uq_alerts_open_host_kind', ['hostId', 'kind'], { ...MIGRATION_MANAGED, unique: true })
// Serve the list: open ones newest first, then resolved ones newest first (partial, DESC).
@Index('idx_alerts_open_opened_at', ['openedAt'], MIGRATION_MANAGED)
@Index('idx_alerts_resolved_at', ['resolvedAt'], MIGRATION_MANAGED)
// Serves the host filter and a host's alerts (DESC).
@Index('idx_alerts_host_opened_at', ['hostId', 'openedAt'], MIGRATION_MANAGED)
// Serves the tag filter (tags @> ARRAY[$tag]); GIN, created by the migration.
@Index('idx_alerts_tags', ['tags'], MIGRATION_MANAGED)
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null once the host is deleted; the snapshot below still names it. */
  @Column({ name: 'host_id', type: 'uuid', nullable: true })
  hostId!: string | null;

  // The host by entity name, not class: the hosts module sits above this one (it resolves a
  // host's alerts when the host is deleted), so this layer may not import it.
  @ManyToOne('HostEntity', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'FK_alerts_host' })
  host?: unknown;

  @Column({ type: 'varchar', length: 253 })
  hostname!: string;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress!: string | null;

  @Column({ type: 'integer' })
  port!: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'varchar', length: 32 })
  kind!: AlertKind;

  /** Fixed at open: critical for DOWN and a changed host key, warning otherwise. */
  @Column({ type: 'varchar', length: 16 })
  severity!: AlertSeverity;

  /** The state that opened it (fixed: Alertmanager's `state` label). */
  @Column({ name: 'state_at_open', type: 'varchar', length: 20 })
  stateAtOpen!: MonitoringState;

  @Column({ name: 'current_state', type: 'varchar', length: 20 })
  currentState!: MonitoringState;

  /** The error type of the result that opened it (fixed: Alertmanager's `error_type` label). */
  @Column({ name: 'opening_error_type', type: 'varchar', length: 32, nullable: true })
  openingErrorType!: string | null;

  @Column({ name: 'last_error_type', type: 'varchar', length: 32, nullable: true })
  lastErrorType!: string | null;

  @Column({ name: 'last_error_message', type: 'text', nullable: true })
  lastErrorMessage!: string | null;

  @Column({ name: 'last_stage', type: 'varchar', length: 16, nullable: true })
  lastStage!: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz', precision: 3 })
  openedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  /** The check (history task id) whose result opened it. */
  @Column({ name: 'opened_by_task_id', type: 'varchar', length: 200, nullable: true })
  openedByTaskId!: string | null;

  /** The check that resolved it; null when something else did (see resolve_reason). */
  @Column({ name: 'resolved_by_task_id', type: 'varchar', length: 200, nullable: true })
  resolvedByTaskId!: string | null;

  @Column({ name: 'resolve_reason', type: 'varchar', length: 64, nullable: true })
  resolveReason!: string | null;

  /**
   * Why its notifications are held, while they are: its host was unreachable or flapping when
   * it opened. Cleared, and the opening told, by the first result that is neither; an alert
   * that resolves while still held resolves untold.
   */
  @Column({ name: 'suppressed_by', type: 'varchar', length: 16, nullable: true })
  suppressedBy!: string | null;

  /** Who acknowledged it (a username); null while nobody has, or once the ack is cleared. */
  @Column({ name: 'acknowledged_by', type: 'varchar', length: 200, nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', precision: 3, nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'ack_comment', type: 'varchar', length: 1000, nullable: true })
  ackComment!: string | null;

  /** Sticky: kept through state changes until recovery; otherwise any state change clears it. */
  @Column({ name: 'ack_sticky', type: 'boolean', default: false })
  ackSticky!: boolean;

  /** When the acknowledgement stops holding, if it was given an end. */
  @Column({ name: 'ack_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  ackExpiresAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
