import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of a host's state, with its time: what uptime and SLA reports are computed from
 * (time in each state, from transitions rather than from check counts). Written by a row
 * trigger on `host_status` in the same transaction as the change, whoever makes it (an applied
 * result, maintenance, a reset, a new host), so no writer can forget it. A row per change, not
 * per check: a stable host adds none, so it stays small beside `host_check_history` and is kept
 * longer (ROLLUP_RETENTION_DAYS). Hosts that exist when it is created get their current state
 * from their last state change.
 */
export class StateChanges1765300000001 implements MigrationInterface {
  name = 'StateChanges1765300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "host_state_changes" (
        "host_id" uuid NOT NULL,
        "changed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "id" bigint GENERATED ALWAYS AS IDENTITY,
        "state" varchar(20) NOT NULL,
        CONSTRAINT "PK_host_state_changes" PRIMARY KEY ("host_id", "changed_at", "id"),
        CONSTRAINT "FK_host_state_changes_host" FOREIGN KEY ("host_id")
          REFERENCES "hosts"("id") ON DELETE CASCADE
      )`);
    // Retention: WHERE changed_at < $cutoff, in batches.
    await q.query(
      `CREATE INDEX "idx_host_state_changes_changed_at" ON "host_state_changes" ("changed_at")`,
    );
    await q.query(`
      CREATE FUNCTION hostwatch_state_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO host_state_changes (host_id, changed_at, state)
        VALUES (NEW.host_id,
                CASE WHEN TG_OP = 'INSERT' THEN coalesce(NEW.last_state_change_at, now())
                     WHEN NEW.last_state_change_at IS DISTINCT FROM OLD.last_state_change_at
                     THEN NEW.last_state_change_at
                     ELSE now() END,
                NEW.monitoring_state);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER "host_status_state_inserted" AFTER INSERT ON "host_status"
        FOR EACH ROW EXECUTE FUNCTION hostwatch_state_changed()`);
    await q.query(`
      CREATE TRIGGER "host_status_state_changed" AFTER UPDATE OF "monitoring_state" ON "host_status"
        FOR EACH ROW WHEN (OLD.monitoring_state IS DISTINCT FROM NEW.monitoring_state)
        EXECUTE FUNCTION hostwatch_state_changed()`);
    await q.query(`
      INSERT INTO host_state_changes (host_id, changed_at, state)
      SELECT s.host_id, coalesce(s.last_state_change_at, h.created_at), s.monitoring_state
        FROM host_status s JOIN hosts h ON h.id = s.host_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "host_status_state_changed" ON "host_status"`);
    await q.query(`DROP TRIGGER "host_status_state_inserted" ON "host_status"`);
    await q.query(`DROP FUNCTION hostwatch_state_changed()`);
    await q.query(`DROP TABLE "host_state_changes"`);
  }
}
