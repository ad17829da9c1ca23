import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The host list opens worst first: sorted by state in order of severity (DOWN, CRITICAL,
 * DEGRADED, UNKNOWN, HEALTHY, MAINTENANCE), then id. This index holds that order, so a page
 * of it is read from the index instead of sorting every host. Its expression is the host
 * list's (STATE_SEVERITY_SQL in hosts.repository.ts) word for word, or the planner cannot
 * match them.
 */
export class HostSeverityIndex1765500000000 implements MigrationInterface {
  name = 'HostSeverityIndex1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "idx_host_status_severity" ON "host_status" ` +
        `((CASE monitoring_state WHEN 'DOWN' THEN 0 WHEN 'CRITICAL' THEN 1 WHEN 'DEGRADED' THEN 2 ` +
        `WHEN 'UNKNOWN' THEN 3 WHEN 'HEALTHY' THEN 4 ELSE 5 END), "host_id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_host_status_severity"`);
  }
}
