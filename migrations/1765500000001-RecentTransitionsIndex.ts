import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's feed of the fleet's latest state changes (GET /api/monitoring/transitions)
 * reads only the checks that changed a state, newest first. A partial index of those: a calm
 * fleet has few, so the read never walks days of unchanged checks, and a check that changes
 * nothing (nearly all of them) costs this index nothing.
 */
export class RecentTransitionsIndex1765500000001 implements MigrationInterface {
  name = 'RecentTransitionsIndex1765500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "idx_check_history_transitions" ON "host_check_history" ("check_time" DESC) ` +
        `WHERE "previous_state" IS NOT NULL AND "previous_state" <> "monitoring_state"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_check_history_transitions"`);
  }
}
