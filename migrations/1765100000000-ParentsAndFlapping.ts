import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parents, jump hosts and flapping.
 *
 * - `hosts.parent_host_id`: the host in front of this one (a router, a bastion); a failure while
 *   it is CRITICAL or DOWN makes this host unreachable. `hosts.jump_host_id`: the host this one
 *   is probed through (ProxyJump); it is implicitly the parent. A jump host in use cannot be
 *   deleted (RESTRICT); a deleted parent leaves its children without one (SET NULL).
 * - `host_status`: `unreachable`, and the flap history (`flap_changes`, the last 20 changes as
 *   bits), `flap_percent` and `flapping`.
 * - `host_check_history.unreachable`: shown beside each check.
 * - `alert_events.suppressed_by`: an event recorded but notified to nobody (the host was
 *   unreachable, or flapping); `alerts.suppressed_by`: an alert whose opening was not told yet.
 */
export class ParentsAndFlapping1765100000000 implements MigrationInterface {
  name = 'ParentsAndFlapping1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "hosts"
        ADD "parent_host_id" uuid,
        ADD "jump_host_id" uuid,
        ADD CONSTRAINT "FK_hosts_parent" FOREIGN KEY ("parent_host_id")
          REFERENCES "hosts"("id") ON DELETE SET NULL ON UPDATE NO ACTION,
        ADD CONSTRAINT "FK_hosts_jump_host" FOREIGN KEY ("jump_host_id")
          REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // A recovered parent's children are checked at once: WHERE parent_host_id = ANY($1) OR
    // jump_host_id = ANY($1); also "is this host somebody's jump host" on delete.
    await q.query(`CREATE INDEX "idx_hosts_parent_host_id" ON "hosts" ("parent_host_id")`);
    await q.query(`CREATE INDEX "idx_hosts_jump_host_id" ON "hosts" ("jump_host_id")`);
    await q.query(`
      ALTER TABLE "host_status"
        ADD "unreachable" boolean NOT NULL DEFAULT false,
        ADD "flap_changes" integer NOT NULL DEFAULT 0,
        ADD "flap_percent" real NOT NULL DEFAULT 0,
        ADD "flapping" boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE "host_check_history" ADD "unreachable" boolean NOT NULL DEFAULT false`,
    );
    await q.query(`ALTER TABLE "alert_events" ADD "suppressed_by" varchar(16)`);
    await q.query(`ALTER TABLE "alerts" ADD "suppressed_by" varchar(16)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "alerts" DROP COLUMN "suppressed_by"`);
    await q.query(`ALTER TABLE "alert_events" DROP COLUMN "suppressed_by"`);
    await q.query(`ALTER TABLE "host_check_history" DROP COLUMN "unreachable"`);
    await q.query(`
      ALTER TABLE "host_status"
        DROP COLUMN "unreachable", DROP COLUMN "flap_changes", DROP COLUMN "flap_percent",
        DROP COLUMN "flapping"`);
    await q.query(`DROP INDEX "idx_hosts_jump_host_id"`);
    await q.query(`DROP INDEX "idx_hosts_parent_host_id"`);
    await q.query(`
      ALTER TABLE "hosts"
        DROP CONSTRAINT "FK_hosts_jump_host", DROP CONSTRAINT "FK_hosts_parent",
        DROP COLUMN "jump_host_id", DROP COLUMN "parent_host_id"`);
  }
}
