import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { AlertEventKind } from '../../alerts/alert-vocabulary';

/** One escalation step of a rule. */
export interface Escalation {
  after_minutes: number;
  channel_ids: string[];
}

/** Which hosts (tags), which events, which channels, and how to group them. */
@Entity('notification_rules')
@Check(
  'CHK_notification_rules_intervals',
  `"group_wait_seconds" >= 0 AND "group_interval_seconds" >= 1`,
)
export class NotificationRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** A host matches when it carries any of these tags; empty: every host. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'text', array: true })
  events!: AlertEventKind[];

  @Column({ name: 'channel_ids', type: 'uuid', array: true })
  channelIds!: string[];

  @Column({ name: 'group_wait_seconds', type: 'integer', default: 30 })
  groupWaitSeconds!: number;

  @Column({ name: 'group_interval_seconds', type: 'integer', default: 300 })
  groupIntervalSeconds!: number;

  /** Re-notify an open, unacknowledged problem every this many minutes; 0: never. */
  @Column({ name: 'repeat_interval_minutes', type: 'integer', default: 0 })
  repeatIntervalMinutes!: number;

  /** Channels also notified once a problem has been open and unacknowledged this long. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  escalations!: Escalation[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
