import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The producer's lease moves out of next_check_at into claimed_at, a column no index covers.
 * The claim then changes no indexed column, so its UPDATE can be HOT (heap-only: no new entry
 * in any of the hosts indexes) when the row's page has room; fillfactor 80 keeps that room.
 * next_check_at keeps meaning "when the check is due" until a result moves it.
 *
 * The fillfactor applies to pages written from now on; an existing large table gains the room
 * as its rows are rewritten (every applied result rewrites its host row), or at once with
 * `VACUUM FULL hosts` in a quiet moment.
 */
export class HostClaimLease1764500000000 implements MigrationInterface {
  name = 'HostClaimLease1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hosts" ADD "claimed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "hosts" SET (fillfactor = 80)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "hosts" RESET (fillfactor)`);
    // A claim pushed next_check_at out by the lease before this migration: do so for hosts
    // claimed and not yet checked, so the older producer does not queue them twice.
    await q.query(
      `UPDATE "hosts" SET "next_check_at" = "claimed_at" + interval '5 minutes'
        WHERE "claimed_at" >= "next_check_at"`,
    );
    await q.query(`ALTER TABLE "hosts" DROP COLUMN "claimed_at"`);
  }
}
