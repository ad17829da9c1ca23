import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import { NotificationChannelEntity } from './notification-channel.entity';
import { NotificationRuleEntity } from './notification-rule.entity';

/**
 * One rule's alerts waiting for one channel. `due_at` is when the waiting items go out: group
 * wait after the first of them, and never sooner than group interval after the last message.
 * Null when nothing waits.
 */
@Entity('notification_groups')
// Serves the dispatcher's flush: WHERE due_at <= $now (partial).
@Index('idx_notification_groups_due', ['dueAt'], MIGRATION_MANAGED)
// Serves the cascade from channels.
@Index('idx_notification_groups_channel_id', ['channelId'])
export class NotificationGroupEntity {
  @PrimaryColumn({ name: 'rule_id', type: 'uuid' })
  ruleId!: string;

  @PrimaryColumn({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @ManyToOne(() => NotificationRuleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_id', foreignKeyConstraintName: 'FK_notification_groups_rule' })
  rule?: NotificationRuleEntity;

  @ManyToOne(() => NotificationChannelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'FK_notification_groups_channel' })
  channel?: NotificationChannelEntity;

  @Column({ name: 'pending_since', type: 'timestamptz', precision: 3, nullable: true })
  pendingSince!: Date | null;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3, nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'last_sent_at', type: 'timestamptz', precision: 3, nullable: true })
  lastSentAt!: Date | null;
}
