import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders and escalation.
 *
 * - `notification_rules.repeat_interval_minutes`: re-notify an open, unacknowledged problem
 *   every N minutes (0: never); `escalations`: `[{ after_minutes, channel_ids }]`, channels also
 *   notified once a problem has been open and unacknowledged that long.
 * - `alert_events.rule_id`, `channel_ids`: an event addressed to one rule and these channels
 *   (a reminder, an escalation), not matched against every rule.
 * - `notification_reminders`: per rule and open problem, when it was last told and how far it
 *   has escalated. Written with the outbox rows it causes, by the one dispatcher holding the
 *   take lock, so a reminder is written once however many workers run.
 */
export class RemindersAndEscalation1765200000002 implements MigrationInterface {
  name = 'RemindersAndEscalation1765200000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "notification_rules"
        ADD "repeat_interval_minutes" integer NOT NULL DEFAULT 0,
        ADD "escalations" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE "alert_events" ADD "rule_id" uuid, ADD "channel_ids" uuid array`);
    await q.query(`
      CREATE TABLE "notification_reminders" (
        "rule_id" uuid NOT NULL,
        "alert_id" uuid NOT NULL,
        "last_notified_at" timestamptz(3) NOT NULL,
        "reminders_sent" integer NOT NULL DEFAULT 0,
        "escalations_sent" integer NOT NULL DEFAULT 0,
        "escalated_channel_ids" uuid array NOT NULL DEFAULT '{}',
        CONSTRAINT "PK_notification_reminders" PRIMARY KEY ("rule_id", "alert_id")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "notification_reminders"`);
    await q.query(`ALTER TABLE "alert_events" DROP COLUMN "channel_ids", DROP COLUMN "rule_id"`);
    await q.query(`
      ALTER TABLE "notification_rules"
        DROP COLUMN "escalations", DROP COLUMN "repeat_interval_minutes"`);
  }
}
