import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import type { AlertEventKind, AlertPayload } from '../alert-vocabulary';
import { AlertEntity } from './alert.entity';

/**
 * The transactional outbox: one row per thing to notify about, written in the transaction
 * that opened or resolved the alert (or saw the host degrade). The id is the stable event id;
 * `dispatched_at` is set once the notification dispatcher has taken the row.
 */
@Entity('alert_events')
// Serves the dispatcher's take: WHERE dispatched_at IS NULL ORDER BY seq (partial).
@Index('idx_alert_events_undispatched', ['seq'], MIGRATION_MANAGED)
// Serves the cascade from alerts.
@Index('idx_alert_events_alert_id', ['alertId'])
export class AlertEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Commit order of events, so a host's events are notified in the order they happened. */
  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
  })
  seq!: string;

  /** Null for a `degraded` event, which opens no alert. */
  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId!: string | null;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'FK_alert_events_alert' })
  alert?: AlertEntity | null;

  @Column({ name: 'host_id', type: 'uuid', nullable: true })
  hostId!: string | null;

  @Column({ type: 'varchar', length: 32 })
  kind!: AlertEventKind;

  /** The alert as the webhook shows it. */
  @Column({ type: 'jsonb' })
  payload!: AlertPayload;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', precision: 3, nullable: true })
  dispatchedAt!: Date | null;

  /**
   * Why the event notifies nobody, if it does not: the host was `unreachable` (behind a parent
   * or jump host that is down) or `flapping` (flapping started and stopped notify instead).
   */
  @Column({ name: 'suppressed_by', type: 'varchar', length: 16, nullable: true })
  suppressedBy!: string | null;

  /** Addressed to one rule (a reminder or an escalation), not matched against every rule. */
  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId!: string | null;

  /** With rule_id: the channels it goes to. */
  @Column({ name: 'channel_ids', type: 'uuid', array: true, nullable: true })
  channelIds!: string[] | null;
}
