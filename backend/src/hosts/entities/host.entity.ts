import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import type { MonitoringState } from '../../state-machine';
import type { HostKeyPolicy, ProbeErrorType, ProbeStage } from '../../common/probe.types';
import { CredentialEntity } from '../../credentials/entities/credential.entity';

@Entity('hosts')
// Serves the producer's claim (next_check_at <= $now, active, not in maintenance) and the
// overdue count in stats. Partial, so maintenance and inactive hosts cost nothing per tick.
@Index('idx_hosts_due', ['nextCheckAt'], MIGRATION_MANAGED)
// Serves case-insensitive hostname uniqueness and lookups: lower(hostname) = lower($1).
@Index('uq_hosts_hostname_lower', ['hostname'], { ...MIGRATION_MANAGED, unique: true })
// Serves hosts-per-state counts, the state filter and the state sort (then id) of the host list.
@Index('idx_hosts_monitoring_state', ['monitoringState', 'id'])
// Serve the host list's sort by last check and by response time (NULLS LAST asc, FIRST desc).
@Index('idx_hosts_last_check_at', ['lastCheckAt'])
@Index('idx_hosts_response_time_ms', ['responseTimeMs'])
// Serves the host list's text search (hostname or address ILIKE); a pg_trgm GIN index over an
// expression, created by the migration.
@Index('idx_hosts_search_trgm', MIGRATION_MANAGED)
// Serves the tag filter (tags @> ARRAY[$tag]); a GIN index, created by the migration.
@Index('idx_hosts_tags', ['tags'], MIGRATION_MANAGED)
// Serves "is this credential still used by a host" on credential delete.
@Index('idx_hosts_credential_id', ['credentialId'])
export class HostEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 253, unique: true })
  hostname!: string;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress!: string | null;

  @Column({ type: 'integer', default: 22 })
  port!: number;

  @Column({ name: 'credential_id', type: 'uuid', nullable: true })
  credentialId!: string | null;

  @ManyToOne(() => CredentialEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'credential_id', foreignKeyConstraintName: 'FK_hosts_credential' })
  credential?: CredentialEntity | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

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
   * next_check_at while claimed_at >= next_check_at, for SCHEDULER_LEASE_SECONDS. No index
   * covers it, so the claim's UPDATE can be HOT; the table's fillfactor (80) keeps room for it.
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

  @Column({ name: 'host_key_policy', type: 'varchar', length: 10, default: 'tofu' })
  hostKeyPolicy!: HostKeyPolicy;

  @Column({ name: 'host_key_fingerprint', type: 'varchar', length: 100, nullable: true })
  hostKeyFingerprint!: string | null;

  @Column({ name: 'host_key_type', type: 'varchar', length: 64, nullable: true })
  hostKeyType!: string | null;

  @Column({ name: 'host_key_first_seen_at', type: 'timestamptz', nullable: true })
  hostKeyFirstSeenAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
