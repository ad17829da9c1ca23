import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import type { AlertPayload } from '../../alerts/alert-vocabulary';
import type { MessageKind, MessageStatus } from '../notification-vocabulary';
import { NotificationChannelEntity } from './notification-channel.entity';
import { NotificationRuleEntity } from './notification-rule.entity';

/**
 * One message to one channel: a group's alerts of one kind (up to 1,000), or a test. Its id is
 * the `event_id` receivers deduplicate on; the delivery job carries the same id, so queueing
 * it twice runs it once.
 */
@Entity('notification_messages')
@Check(
  'CHK_notification_messages_status',
  `"status" IN ('pending', 'delivered', 'failed', 'cancelled')`,
)
// Serves "is an earlier message of this channel still pending" and the sweeper (partial).
@Index('idx_notification_messages_pending', ['channelId', 'seq'], MIGRATION_MANAGED)
// Serves the SET NULL from rules.
@Index('idx_notification_messages_rule_id', ['ruleId'])
export class NotificationMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Creation order: a channel's messages are delivered in this order. */
  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
  })
  seq!: string;

  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId!: string | null;

  @ManyToOne(() => NotificationRuleEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'rule_id', foreignKeyConstraintName: 'FK_notification_messages_rule' })
  rule?: NotificationRuleEntity | null;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @ManyToOne(() => NotificationChannelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'FK_notification_messages_channel' })
  channel?: NotificationChannelEntity;

  @Column({ type: 'varchar', length: 32 })
  kind!: MessageKind;

  /** The alerts it carries, as the webhook shows them. */
  @Column({ type: 'jsonb' })
  payload!: { alerts: AlertPayload[] };

  @Column({ name: 'alert_count', type: 'integer' })
  alertCount!: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: MessageStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt!: Date | null;
}
