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
import type { DeliveryStatus } from '../notification-vocabulary';
import { NotificationChannelEntity } from './notification-channel.entity';
import { NotificationMessageEntity } from './notification-message.entity';

/** One attempt to send a message: what came back, how long it took, what went wrong. */
@Entity('notification_deliveries')
@Check('CHK_notification_deliveries_status', `"status" IN ('delivered', 'retrying', 'failed')`)
// Serves the delivery list, newest first (DESC), unfiltered and by channel.
@Index('idx_notification_deliveries_at', ['at', 'id'], MIGRATION_MANAGED)
@Index('idx_notification_deliveries_channel_at', ['channelId', 'at'], MIGRATION_MANAGED)
// Serves a message's attempts (the alert filter) and the cascade from messages.
@Index('idx_notification_deliveries_message_id', ['messageId'])
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => NotificationMessageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'message_id',
    foreignKeyConstraintName: 'FK_notification_deliveries_message',
  })
  message?: NotificationMessageEntity;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @ManyToOne(() => NotificationChannelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'channel_id',
    foreignKeyConstraintName: 'FK_notification_deliveries_channel',
  })
  channel?: NotificationChannelEntity;

  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId!: string | null;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  /** `HTTP 202`, or the SMTP server's reply (`250 2.0.0 Ok: queued`). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  response!: string | null;

  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus!: number | null;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  at!: Date;
}
