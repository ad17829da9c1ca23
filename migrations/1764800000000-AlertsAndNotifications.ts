import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Problems and the notifications about them.
 *
 * - `alerts`: one row per problem, opened and resolved in the transaction that applies the
 *   check result which caused it, with a snapshot of the host so that it still reads well
 *   after the host is deleted.
 * - `alert_events`: the transactional outbox. Written beside the alert, read by the
 *   notification dispatcher, which marks each row dispatched once it has taken it.
 * - `notification_channels`, `notification_rules`: where to send, and what.
 * - `notification_groups`, `notification_group_items`: alerts waiting to be sent, per rule
 *   and channel (Alertmanager-style group_wait and group_interval).
 * - `notification_messages`: what is sent, each with the stable id receivers deduplicate on;
 *   `notification_deliveries`: every attempt to send one.
 */
export class AlertsAndNotifications1764800000000 implements MigrationInterface {
  name = 'AlertsAndNotifications1764800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "alerts" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "host_id" uuid,
        "hostname" varchar(253) NOT NULL,
        "ip_address" varchar(45),
        "port" integer NOT NULL,
        "tags" text array NOT NULL DEFAULT '{}',
        "kind" varchar(32) NOT NULL,
        "severity" varchar(16) NOT NULL,
        "state_at_open" varchar(20) NOT NULL,
        "current_state" varchar(20) NOT NULL,
        "opening_error_type" varchar(32),
        "last_error_type" varchar(32),
        "last_error_message" text,
        "last_stage" varchar(16),
        "opened_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "resolved_at" TIMESTAMP(3) WITH TIME ZONE,
        "opened_by_task_id" varchar(200),
        "resolved_by_task_id" varchar(200),
        "resolve_reason" varchar(64),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_alerts_id" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_alerts_kind" CHECK ("kind" IN ('problem', 'host_key_mismatch')),
        CONSTRAINT "FK_alerts_host" FOREIGN KEY ("host_id")
          REFERENCES "hosts"("id") ON DELETE SET NULL ON UPDATE NO ACTION
      )`);
    // At most one open alert per host and kind; also serves "the open alerts of these hosts"
    // when a batch of results is applied (host_id = ANY($1) AND resolved_at IS NULL).
    await q.query(
      `CREATE UNIQUE INDEX "uq_alerts_open_host_kind" ON "alerts" ("host_id", "kind") WHERE "resolved_at" IS NULL`,
    );
    // The alert list: open ones newest first, then resolved ones newest first.
    await q.query(
      `CREATE INDEX "idx_alerts_open_opened_at" ON "alerts" ("opened_at" DESC) WHERE "resolved_at" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "idx_alerts_resolved_at" ON "alerts" ("resolved_at" DESC) WHERE "resolved_at" IS NOT NULL`,
    );
    // The host filter of the list, and a host's alerts.
    await q.query(
      `CREATE INDEX "idx_alerts_host_opened_at" ON "alerts" ("host_id", "opened_at" DESC)`,
    );
    // The tag filter: tags @> ARRAY[$tag].
    await q.query(`CREATE INDEX "idx_alerts_tags" ON "alerts" USING GIN ("tags")`);

    await q.query(`
      CREATE TABLE "alert_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "seq" bigint GENERATED ALWAYS AS IDENTITY,
        "alert_id" uuid,
        "host_id" uuid,
        "kind" varchar(32) NOT NULL,
        "payload" jsonb NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "dispatched_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "PK_alert_events_id" PRIMARY KEY ("id"),
        CONSTRAINT "FK_alert_events_alert" FOREIGN KEY ("alert_id")
          REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    // The dispatcher's take: WHERE dispatched_at IS NULL ORDER BY seq ... FOR UPDATE SKIP LOCKED.
    await q.query(
      `CREATE INDEX "idx_alert_events_undispatched" ON "alert_events" ("seq") WHERE "dispatched_at" IS NULL`,
    );
    // The cascade from alerts.
    await q.query(`CREATE INDEX "idx_alert_events_alert_id" ON "alert_events" ("alert_id")`);

    await q.query(`
      CREATE TABLE "notification_channels" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" varchar(100) NOT NULL,
        "type" varchar(16) NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "config" jsonb NOT NULL DEFAULT '{}',
        "secrets_encrypted" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_notification_channels_id" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_notification_channels_name" UNIQUE ("name"),
        CONSTRAINT "CHK_notification_channels_type"
          CHECK ("type" IN ('webhook', 'slack', 'teams', 'email', 'alertmanager'))
      )`);

    // Rules are few (tens): they are read whole, so no index beyond the name's.
    await q.query(`
      CREATE TABLE "notification_rules" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" varchar(100) NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "tags" text array NOT NULL DEFAULT '{}',
        "events" text array NOT NULL,
        "channel_ids" uuid array NOT NULL,
        "group_wait_seconds" integer NOT NULL DEFAULT 30,
        "group_interval_seconds" integer NOT NULL DEFAULT 300,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_notification_rules_id" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_notification_rules_name" UNIQUE ("name"),
        CONSTRAINT "CHK_notification_rules_intervals"
          CHECK ("group_wait_seconds" >= 0 AND "group_interval_seconds" >= 1)
      )`);

    await q.query(`
      CREATE TABLE "notification_groups" (
        "rule_id" uuid NOT NULL,
        "channel_id" uuid NOT NULL,
        "pending_since" TIMESTAMP(3) WITH TIME ZONE,
        "due_at" TIMESTAMP(3) WITH TIME ZONE,
        "last_sent_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "PK_notification_groups" PRIMARY KEY ("rule_id", "channel_id"),
        CONSTRAINT "FK_notification_groups_rule" FOREIGN KEY ("rule_id")
          REFERENCES "notification_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "FK_notification_groups_channel" FOREIGN KEY ("channel_id")
          REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    // The dispatcher's flush: WHERE due_at <= $now ... FOR UPDATE SKIP LOCKED.
    await q.query(
      `CREATE INDEX "idx_notification_groups_due" ON "notification_groups" ("due_at") WHERE "due_at" IS NOT NULL`,
    );
    // The cascade from channels.
    await q.query(
      `CREATE INDEX "idx_notification_groups_channel_id" ON "notification_groups" ("channel_id")`,
    );

    await q.query(`
      CREATE TABLE "notification_messages" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "seq" bigint GENERATED ALWAYS AS IDENTITY,
        "rule_id" uuid,
        "channel_id" uuid NOT NULL,
        "kind" varchar(32) NOT NULL,
        "payload" jsonb NOT NULL,
        "alert_count" integer NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE,
        "last_error" text,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "finished_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "PK_notification_messages_id" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_notification_messages_status"
          CHECK ("status" IN ('pending', 'delivered', 'failed', 'cancelled')),
        CONSTRAINT "FK_notification_messages_rule" FOREIGN KEY ("rule_id")
          REFERENCES "notification_rules"("id") ON DELETE SET NULL ON UPDATE NO ACTION,
        CONSTRAINT "FK_notification_messages_channel" FOREIGN KEY ("channel_id")
          REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    // A channel's messages are delivered in order: "is an earlier one still pending"
    // (channel_id = $1 AND seq < $2), and the sweeper's pending messages.
    await q.query(
      `CREATE INDEX "idx_notification_messages_pending" ON "notification_messages" ("channel_id", "seq") WHERE "status" = 'pending'`,
    );
    // The SET NULL from rules.
    await q.query(
      `CREATE INDEX "idx_notification_messages_rule_id" ON "notification_messages" ("rule_id")`,
    );

    await q.query(`
      CREATE TABLE "notification_group_items" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "rule_id" uuid NOT NULL,
        "channel_id" uuid NOT NULL,
        "event_id" uuid NOT NULL,
        "event_seq" bigint NOT NULL,
        "alert_id" uuid,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "message_id" uuid,
        CONSTRAINT "PK_notification_group_items_id" PRIMARY KEY ("id"),
        CONSTRAINT "FK_notification_group_items_group" FOREIGN KEY ("rule_id", "channel_id")
          REFERENCES "notification_groups"("rule_id", "channel_id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "FK_notification_group_items_event" FOREIGN KEY ("event_id")
          REFERENCES "alert_events"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "FK_notification_group_items_message" FOREIGN KEY ("message_id")
          REFERENCES "notification_messages"("id") ON DELETE SET NULL ON UPDATE NO ACTION
      )`);
    // A group's pending items, oldest first: rule_id, channel_id = ... AND message_id IS NULL.
    await q.query(
      `CREATE INDEX "idx_notification_group_items_pending" ON "notification_group_items" ("rule_id", "channel_id", "event_seq") WHERE "message_id" IS NULL`,
    );
    // An alert's messages (its deliveries), and the cascade from alert_events.
    await q.query(
      `CREATE INDEX "idx_notification_group_items_alert_id" ON "notification_group_items" ("alert_id")`,
    );
    await q.query(
      `CREATE INDEX "idx_notification_group_items_event_id" ON "notification_group_items" ("event_id")`,
    );
    await q.query(
      `CREATE INDEX "idx_notification_group_items_message_id" ON "notification_group_items" ("message_id")`,
    );

    await q.query(`
      CREATE TABLE "notification_deliveries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "message_id" uuid NOT NULL,
        "channel_id" uuid NOT NULL,
        "rule_id" uuid,
        "attempt" integer NOT NULL,
        "status" varchar(16) NOT NULL,
        "response" varchar(300),
        "http_status" integer,
        "latency_ms" integer NOT NULL,
        "error" text,
        "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_notification_deliveries_id" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_notification_deliveries_status"
          CHECK ("status" IN ('delivered', 'retrying', 'failed')),
        CONSTRAINT "FK_notification_deliveries_message" FOREIGN KEY ("message_id")
          REFERENCES "notification_messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "FK_notification_deliveries_channel" FOREIGN KEY ("channel_id")
          REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    // The delivery list, newest first, unfiltered and by channel; a message's attempts.
    await q.query(
      `CREATE INDEX "idx_notification_deliveries_at" ON "notification_deliveries" ("at" DESC, "id" DESC)`,
    );
    await q.query(
      `CREATE INDEX "idx_notification_deliveries_channel_at" ON "notification_deliveries" ("channel_id", "at" DESC)`,
    );
    await q.query(
      `CREATE INDEX "idx_notification_deliveries_message_id" ON "notification_deliveries" ("message_id")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "notification_deliveries"`);
    await q.query(`DROP TABLE "notification_group_items"`);
    await q.query(`DROP TABLE "notification_messages"`);
    await q.query(`DROP TABLE "notification_groups"`);
    await q.query(`DROP TABLE "notification_rules"`);
    await q.query(`DROP TABLE "notification_channels"`);
    await q.query(`DROP TABLE "alert_events"`);
    await q.query(`DROP TABLE "alerts"`);
  }
}
