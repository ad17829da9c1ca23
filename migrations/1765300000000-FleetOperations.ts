import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fleet operations.
 *
 * - `host_status.maintenance_until` and `maintenance_reason`: a maintenance window started by a
 *   bulk action (or PATCH) may say when it ends and why; the scheduler ends it when due.
 * - `hosts.description`: free text a person keeps with the host (a column of the CSV import).
 */
export class FleetOperations1765300000000 implements MigrationInterface {
  name = 'FleetOperations1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hosts" ADD "description" varchar(1000)`);
    await q.query(`
      ALTER TABLE "host_status"
        ADD "maintenance_until" TIMESTAMP WITH TIME ZONE,
        ADD "maintenance_reason" varchar(500)`);
    // The scheduler's "maintenance windows that have ended": WHERE maintenance_until <= $now.
    // Partial, so hosts without a window cost nothing.
    await q.query(
      `CREATE INDEX "idx_host_status_maintenance_until" ON "host_status" ("maintenance_until") WHERE "maintenance_until" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_host_status_maintenance_until"`);
    await q.query(
      `ALTER TABLE "host_status" DROP COLUMN "maintenance_reason", DROP COLUMN "maintenance_until"`,
    );
    await q.query(`ALTER TABLE "hosts" DROP COLUMN "description"`);
  }
}
