import { createTestApp, TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';

/**
 * A system fault (here: the history insert fails twice, as during a database outage) fails
 * the job, which BullMQ retries with backoff; the retry saves the probe result it already
 * has instead of probing again, and the result is applied exactly once.
 */
describe('system faults', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api,worker' });
    await truncateAll(app.dataSource);
    await app.dataSource.query(`
      CREATE SEQUENCE IF NOT EXISTS hw_test_fail_seq;
      CREATE OR REPLACE FUNCTION hw_test_fail_twice() RETURNS trigger AS $$
      BEGIN
        -- nextval survives the rollback of the failing transaction.
        IF nextval('hw_test_fail_seq') <= 2 THEN
          RAISE EXCEPTION 'simulated database outage';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER hw_test_fail_twice BEFORE INSERT ON host_check_history
        FOR EACH ROW EXECUTE FUNCTION hw_test_fail_twice();
    `);
  });

  afterAll(async () => {
    await app.dataSource.query(`
      DROP TRIGGER IF EXISTS hw_test_fail_twice ON host_check_history;
      DROP FUNCTION IF EXISTS hw_test_fail_twice();
      DROP SEQUENCE IF EXISTS hw_test_fail_seq;
    `);
    await app.close();
  });

  it('retries with backoff and applies the first probe result once', async () => {
    const api = app.api();
    const host = (
      await api
        .post('/api/hosts')
        .send({ hostname: 'retry-host', ip_address: '127.0.0.1', port: 9 })
        .expect(201)
    ).body;
    const started = Date.now();
    const res = await api
      .post(`/api/monitoring/hosts/${host.id}/check-connectivity?wait=true&timeout_ms=20000`)
      .expect(200);
    expect(res.body.error_type).toBe('connection_refused');

    const job = await app.jitQueue.getJob(res.body.task_id);
    expect(job?.attemptsMade).toBe(3); // two failures, then success
    // Backoff 1 s then 2 s: at least 3 s from the first attempt to the last.
    expect(job!.finishedOn! - started).toBeGreaterThanOrEqual(3000);

    const rows = await app.dataSource.query(
      'SELECT check_time FROM host_check_history WHERE host_id = $1',
      [host.id],
    );
    expect(rows).toHaveLength(1);
    // The saved result is the first attempt's probe, not a new one.
    expect(rows[0].check_time.getTime()).toBeLessThan(started + 1000);
    const [saved] = await app.dataSource.query(
      'SELECT consecutive_failures, monitoring_state FROM host_status WHERE host_id = $1',
      [host.id],
    );
    expect(saved).toEqual({ consecutive_failures: 1, monitoring_state: 'DEGRADED' });
  });

  it('answers a waited-for check whose faults outlive every retry with 202 and the reason', async () => {
    // Every insert fails from now on: four attempts (1 s, 2 s, 4 s apart), then the job fails.
    await app.dataSource.query(
      'ALTER SEQUENCE hw_test_fail_seq MINVALUE -1000000 RESTART WITH -1000000',
    );
    const api = app.api();
    const host = (
      await api
        .post('/api/hosts')
        .send({ hostname: 'retry-fails', ip_address: '127.0.0.1', port: 9 })
        .expect(201)
    ).body;
    const res = await api
      .post(`/api/monitoring/hosts/${host.id}/check-connectivity?wait=true&timeout_ms=30000`)
      .expect(202);
    expect(res.body).toMatchObject({ check_queued: true, status: 'failed' });
    expect(res.body.message).toMatch(
      /^The check could not be completed: .*simulated database outage/,
    );
    const job = await app.jitQueue.getJob(res.body.task_id);
    expect(job?.attemptsMade).toBe(4);
    const status = await api.get(`/api/monitoring/checks/${res.body.task_id}`).expect(200);
    expect(status.body).toMatchObject({ status: 'failed', result: null });
  });
});
