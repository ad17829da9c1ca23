import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Acknowledgement of problems: who took one on, when, why, whether the acknowledgement survives
 * state changes (sticky) and until when it holds. A normal acknowledgement is cleared by the
 * next state change of the problem's host, a sticky one only by recovery; either may expire.
 */
export class Acknowledgement1765200000001 implements MigrationInterface {
  name = 'Acknowledgement1765200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "alerts"
        ADD "acknowledged_by" varchar(200),
        ADD "acknowledged_at" timestamptz(3),
        ADD "ack_comment" varchar(1000),
        ADD "ack_sticky" boolean NOT NULL DEFAULT false,
        ADD "ack_expires_at" timestamptz(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "alerts"
        DROP COLUMN "ack_expires_at", DROP COLUMN "ack_sticky", DROP COLUMN "ack_comment",
        DROP COLUMN "acknowledged_at", DROP COLUMN "acknowledged_by"`);
  }
}
