import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MIGRATION_MANAGED } from '../../database/index-options';
import { AlertEventEntity } from '../../alerts/entities/alert-event.entity';
import { NotificationGroupEntity } from './notification-group.entity';
import { NotificationMessageEntity } from './notification-message.entity';

/**
 * An outbox event matched to a rule and channel: waiting in its group until `message_id`
 * names the message that carries it (set in the transaction that creates the message).
 */
@Entity('notification_group_items')
// Serves a group's waiting items, oldest first (partial: message_id IS NULL).
@Index(
  'idx_notification_group_items_pending',
  ['ruleId', 'channelId', 'eventSeq'],
  MIGRATION_MANAGED,
)
// Serve an alert's messages (its deliveries), and the cascades from alert_events and messages.
@Index('idx_notification_group_items_alert_id', ['alertId'])
@Index('idx_notification_group_items_event_id', ['eventId'])
@Index('idx_notification_group_items_message_id', ['messageId'])
export class NotificationGroupItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'rule_id', type: 'uuid' })
  ruleId!: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @ManyToOne(() => NotificationGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'rule_id',
      referencedColumnName: 'ruleId',
      foreignKeyConstraintName: 'FK_notification_group_items_group',
    },
    {
      name: 'channel_id',
      referencedColumnName: 'channelId',
      foreignKeyConstraintName: 'FK_notification_group_items_group',
    },
  ])
  group?: NotificationGroupEntity;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @ManyToOne(() => AlertEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'FK_notification_group_items_event' })
  event?: AlertEventEntity;

  @Column({ name: 'event_seq', type: 'bigint' })
  eventSeq!: string;

  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId!: string | null;

  @ManyToOne(() => NotificationMessageEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({
    name: 'message_id',
    foreignKeyConstraintName: 'FK_notification_group_items_message',
  })
  message?: NotificationMessageEntity | null;
}
