import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The daily rollup of state changes: per host and UTC day, the milliseconds spent in each
 * state, written by a job once the day is over. An uptime report reads whole days from here
 * (one row per host per day, however often the host changed state) and only the partial days
 * at its edges from host_state_changes. `host_state_rollup.rolled_until` is the first day not
 * rolled up yet.
 */
export class StateDays1765300000002 implements MigrationInterface {
  name = 'StateDays1765300000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "host_state_days" (
        "host_id" uuid NOT NULL,
        "day" date NOT NULL,
        "healthy_ms" bigint NOT NULL DEFAULT 0,
        "degraded_ms" bigint NOT NULL DEFAULT 0,
        "critical_ms" bigint NOT NULL DEFAULT 0,
        "down_ms" bigint NOT NULL DEFAULT 0,
        "maintenance_ms" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "PK_host_state_days" PRIMARY KEY ("host_id", "day"),
        CONSTRAINT "FK_host_state_days_host" FOREIGN KEY ("host_id")
          REFERENCES "hosts"("id") ON DELETE CASCADE
      )`);
    // Retention: WHERE day < $cutoff.
    await q.query(`CREATE INDEX "idx_host_state_days_day" ON "host_state_days" ("day")`);
    await q.query(`
      CREATE TABLE "host_state_rollup" (
        "id" smallint NOT NULL DEFAULT 1,
        "rolled_until" date,
        CONSTRAINT "PK_host_state_rollup_id" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_host_state_rollup_one_row" CHECK ("id" = 1)
      )`);
    await q.query(`INSERT INTO "host_state_rollup" ("id", "rolled_until") VALUES (1, NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "host_state_rollup"`);
    await q.query(`DROP TABLE "host_state_days"`);
  }
}
