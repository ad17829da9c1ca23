import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maintenance windows.
 *
 * - `maintenance_windows`: a named window over hosts (`host_ids`) and tags (`tags`), either
 *   one-off (`starts_at`, `ends_at`) or recurring (`recurrence`: a cron expression or weekdays
 *   with a start time, a duration and an IANA time zone). Read whole each tick: they are few.
 * - `host_status`: why and until when a host is in MAINTENANCE. `maintenance_window_id` names
 *   the window that put it there (null when a person did); `maintenance_ends_at` is when it
 *   leaves (the window's current occurrence, or the end a person gave; null: until taken out);
 *   `maintenance_reason` is shown beside the state.
 */
export class MaintenanceWindows1765200000000 implements MigrationInterface {
  name = 'MaintenanceWindows1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "maintenance_windows" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" varchar(100) NOT NULL,
        "reason" varchar(500),
        "host_ids" uuid array NOT NULL DEFAULT '{}',
        "tags" text array NOT NULL DEFAULT '{}',
        "starts_at" timestamptz,
        "ends_at" timestamptz,
        "recurrence" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_maintenance_windows_name" UNIQUE ("name"),
        CONSTRAINT "CHK_maintenance_windows_when" CHECK (
          ("recurrence" IS NULL AND "starts_at" IS NOT NULL AND "ends_at" > "starts_at")
          OR ("recurrence" IS NOT NULL AND "starts_at" IS NULL AND "ends_at" IS NULL)),
        CONSTRAINT "PK_maintenance_windows_id" PRIMARY KEY ("id")
      )`);
    await q.query(`
      ALTER TABLE "host_status"
        ADD "maintenance_window_id" uuid,
        ADD "maintenance_ends_at" timestamptz,
        ADD "maintenance_reason" varchar(500)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "host_status"
        DROP COLUMN "maintenance_reason", DROP COLUMN "maintenance_ends_at",
        DROP COLUMN "maintenance_window_id"`);
    await q.query(`DROP TABLE "maintenance_windows"`);
  }
}
