import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';

/**
 * One line of the audit log: who did what, to what, when, from where, and whether it worked.
 * Append-only: the code has no update or delete path, and a trigger refuses both in the
 * database. `details` holds field names and non-secret values only.
 */
@Entity('audit_log')
// Serves the unfiltered page, newest first: ORDER BY occurred_at DESC, id DESC.
@Index('idx_audit_log_occurred_at', ['occurredAt'], MIGRATION_MANAGED)
// Serves the actor filter: WHERE lower(actor) = lower($1) ORDER BY occurred_at DESC.
@Index('idx_audit_log_actor', ['actor', 'occurredAt'], MIGRATION_MANAGED)
// Serves the action filter: WHERE action = $1 ORDER BY occurred_at DESC.
@Index('idx_audit_log_action', ['action', 'occurredAt'], MIGRATION_MANAGED)
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  /** A username, or `anonymous` before anyone is identified. */
  @Column({ type: 'varchar', length: 200 })
  actor!: string;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType!: string;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 8 })
  outcome!: 'success' | 'failure';

  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 200, nullable: true })
  targetId!: string | null;

  @Column({ name: 'source_ip', type: 'varchar', length: 64, nullable: true })
  sourceIp!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;
}
