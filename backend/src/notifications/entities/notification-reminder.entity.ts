import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per rule and open problem: when the rule's channels were last told of it (its opening, or the
 * last reminder), how many reminders went, and which escalation steps have been taken. Removed
 * once the problem resolves (after its resolution went to the escalated channels).
 */
@Entity('notification_reminders')
export class NotificationReminderEntity {
  @PrimaryColumn({
    name: 'rule_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_notification_reminders',
  })
  ruleId!: string;

  @PrimaryColumn({
    name: 'alert_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_notification_reminders',
  })
  alertId!: string;

  @Column({ name: 'last_notified_at', type: 'timestamptz', precision: 3 })
  lastNotifiedAt!: Date;

  @Column({ name: 'reminders_sent', type: 'integer', default: 0 })
  remindersSent!: number;

  @Column({ name: 'escalations_sent', type: 'integer', default: 0 })
  escalationsSent!: number;

  @Column({ name: 'escalated_channel_ids', type: 'uuid', array: true, default: () => "'{}'" })
  escalatedChannelIds!: string[];
}
