import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A host's schedule and state move out of `hosts` into a narrow table of their own,
 * `host_status`, one row per host. Every applied result and every claim writes only this table:
 * five b-tree indexes (key, the producer's due index, state + id, and the host list's sorts by
 * last check and response time) instead of the ten of `hosts`, two of them GIN (trigram search,
 * tags), which no result changes. `hosts` keeps the inventory, edited by people, and gains
 * `version`, raised by every inventory change (address, credential, host key, ...): a queued
 * check carries the version it was claimed at, and its result is only applied to the host it
 * probed.
 *
 * `is_active` moves too: the due index needs it beside the state.
 */
export class HostStatus1764700000000 implements MigrationInterface {
  name = 'HostStatus1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "host_status" (
        "host_id" uuid NOT NULL,
        "is_active" boolean NOT NULL DEFAULT true,
        "monitoring_state" varchar(20) NOT NULL DEFAULT 'UNKNOWN',
        "consecutive_failures" integer NOT NULL DEFAULT 0,
        "consecutive_successes" integer NOT NULL DEFAULT 0,
        "next_check_at" TIMESTAMP WITH TIME ZONE,
        "claimed_at" TIMESTAMP WITH TIME ZONE,
        "last_check_at" TIMESTAMP WITH TIME ZONE,
        "last_state_change_at" TIMESTAMP WITH TIME ZONE,
        "check_priority" smallint NOT NULL DEFAULT 7,
        "response_time_ms" integer,
        "last_check_stage" varchar(16),
        "last_error_type" varchar(32),
        "last_error_message" text,
        CONSTRAINT "PK_host_status_host_id" PRIMARY KEY ("host_id"),
        CONSTRAINT "FK_host_status_host" FOREIGN KEY ("host_id")
          REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      ) WITH (fillfactor = 80)`);
    await q.query(`
      INSERT INTO "host_status" ("host_id", "is_active", "monitoring_state",
        "consecutive_failures", "consecutive_successes", "next_check_at", "claimed_at",
        "last_check_at", "last_state_change_at", "check_priority", "response_time_ms",
        "last_check_stage", "last_error_type", "last_error_message")
      SELECT "id", "is_active", "monitoring_state", "consecutive_failures",
        "consecutive_successes", "next_check_at", "claimed_at", "last_check_at",
        "last_state_change_at", "check_priority", "response_time_ms", "last_check_stage",
        "last_error_type", "last_error_message"
        FROM "hosts"`);
    // The producer's claim: WHERE is_active AND monitoring_state <> 'MAINTENANCE' AND next_check_at <= $now.
    await q.query(
      `CREATE INDEX "idx_host_status_due" ON "host_status" ("next_check_at") WHERE "is_active" AND "monitoring_state" <> 'MAINTENANCE'`,
    );
    // Hosts per state (stats), the state filter and the state sort (then id) of the host list.
    await q.query(
      `CREATE INDEX "idx_host_status_state" ON "host_status" ("monitoring_state", "host_id")`,
    );
    // The host list's sort by last check and by response time (either direction).
    await q.query(
      `CREATE INDEX "idx_host_status_last_check_at" ON "host_status" ("last_check_at")`,
    );
    await q.query(
      `CREATE INDEX "idx_host_status_response_time_ms" ON "host_status" ("response_time_ms")`,
    );

    for (const index of [
      'idx_hosts_due',
      'idx_hosts_monitoring_state',
      'idx_hosts_last_check_at',
      'idx_hosts_response_time_ms',
    ]) {
      await q.query(`DROP INDEX "${index}"`);
    }
    await q.query(`
      ALTER TABLE "hosts"
        DROP COLUMN "is_active", DROP COLUMN "monitoring_state",
        DROP COLUMN "consecutive_failures", DROP COLUMN "consecutive_successes",
        DROP COLUMN "next_check_at", DROP COLUMN "claimed_at", DROP COLUMN "last_check_at",
        DROP COLUMN "last_state_change_at", DROP COLUMN "check_priority",
        DROP COLUMN "response_time_ms", DROP COLUMN "last_check_stage",
        DROP COLUMN "last_error_type", DROP COLUMN "last_error_message",
        ADD "version" integer NOT NULL DEFAULT 1`);
    // Rows of the inventory are rewritten by people, not by every check: no room to keep.
    await q.query(`ALTER TABLE "hosts" RESET (fillfactor)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "hosts"
        DROP COLUMN "version",
        ADD "is_active" boolean NOT NULL DEFAULT true,
        ADD "monitoring_state" varchar(20) NOT NULL DEFAULT 'UNKNOWN',
        ADD "consecutive_failures" integer NOT NULL DEFAULT 0,
        ADD "consecutive_successes" integer NOT NULL DEFAULT 0,
        ADD "next_check_at" TIMESTAMP WITH TIME ZONE,
        ADD "claimed_at" TIMESTAMP WITH TIME ZONE,
        ADD "last_check_at" TIMESTAMP WITH TIME ZONE,
        ADD "last_state_change_at" TIMESTAMP WITH TIME ZONE,
        ADD "check_priority" smallint NOT NULL DEFAULT 7,
        ADD "response_time_ms" integer,
        ADD "last_check_stage" varchar(16),
        ADD "last_error_type" varchar(32),
        ADD "last_error_message" text`);
    await q.query(`ALTER TABLE "hosts" SET (fillfactor = 80)`);
    await q.query(`
      UPDATE "hosts" h SET "is_active" = s."is_active", "monitoring_state" = s."monitoring_state",
        "consecutive_failures" = s."consecutive_failures",
        "consecutive_successes" = s."consecutive_successes", "next_check_at" = s."next_check_at",
        "claimed_at" = s."claimed_at", "last_check_at" = s."last_check_at",
        "last_state_change_at" = s."last_state_change_at", "check_priority" = s."check_priority",
        "response_time_ms" = s."response_time_ms", "last_check_stage" = s."last_check_stage",
        "last_error_type" = s."last_error_type", "last_error_message" = s."last_error_message"
        FROM "host_status" s WHERE s."host_id" = h."id"`);
    await q.query(
      `CREATE INDEX "idx_hosts_due" ON "hosts" ("next_check_at") WHERE "is_active" AND "monitoring_state" <> 'MAINTENANCE'`,
    );
    await q.query(
      `CREATE INDEX "idx_hosts_monitoring_state" ON "hosts" ("monitoring_state", "id")`,
    );
    await q.query(`CREATE INDEX "idx_hosts_last_check_at" ON "hosts" ("last_check_at")`);
    await q.query(`CREATE INDEX "idx_hosts_response_time_ms" ON "hosts" ("response_time_ms")`);
    await q.query(`DROP TABLE "host_status"`);
  }
}
