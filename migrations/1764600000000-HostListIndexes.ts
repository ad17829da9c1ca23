import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The host list at 100,000 hosts (bench --host-list): text search through a trigram index,
 * sort indexes for last check and response time, and state + id for the state sort.
 */
export class HostListIndexes1764600000000 implements MigrationInterface {
  name = 'HostListIndexes1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // pg_trgm ships with Debian's postgresql package (contrib); creating it needs the
    // database owner or a superuser.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // Serves the list's `q` search: one trigram index over name and address, newline
    // separated so that no printable search text can match across the two.
    await q.query(
      `CREATE INDEX "idx_hosts_search_trgm" ON "hosts" USING GIN ` +
        `(("hostname" || E'\\n' || coalesce("ip_address", '')) gin_trgm_ops)`,
    );
    // Serve the sort by last check and by response time (either direction, then id).
    await q.query(`CREATE INDEX "idx_hosts_last_check_at" ON "hosts" ("last_check_at")`);
    await q.query(`CREATE INDEX "idx_hosts_response_time_ms" ON "hosts" ("response_time_ms")`);
    // State then id: the state sort's order exactly, and still the state filter and counts.
    await q.query(`DROP INDEX "idx_hosts_monitoring_state"`);
    await q.query(
      `CREATE INDEX "idx_hosts_monitoring_state" ON "hosts" ("monitoring_state", "id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_hosts_monitoring_state"`);
    await q.query(`CREATE INDEX "idx_hosts_monitoring_state" ON "hosts" ("monitoring_state")`);
    await q.query(`DROP INDEX "idx_hosts_response_time_ms"`);
    await q.query(`DROP INDEX "idx_hosts_last_check_at"`);
    await q.query(`DROP INDEX "idx_hosts_search_trgm"`);
  }
}
