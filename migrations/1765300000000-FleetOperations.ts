import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fleet operations.
 *
 * - `hosts.description`: free text a person keeps with the host (a column of the CSV import).
 *
 * A bulk maintenance with an end and a reason writes the manual maintenance columns of
 * 1765200000000 (`host_status.maintenance_ends_at`, `maintenance_reason`).
 */
export class FleetOperations1765300000000 implements MigrationInterface {
  name = 'FleetOperations1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hosts" ADD "description" varchar(1000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hosts" DROP COLUMN "description"`);
  }
}
