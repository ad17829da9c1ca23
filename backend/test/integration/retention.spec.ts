import { HistoryRetentionService } from '../../src/monitoring/history-retention.service';
import { startSshd, type Sshd } from '../support/sshd';
import { createTestApp, type Api, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';

const DAY = 86_400_000;

/**
 * Retention against the real database and a real sshd: old checks go in batches, recent ones
 * and the state changes uptime reports need stay, the policy's override wins, and JIT checks
 * are applied while the deletion runs.
 */
describe('history retention', () => {
  let app: TestApp;
  let api: Api;
  let sshd: Sshd;
  let retention: HistoryRetentionService;

  beforeAll(async () => {
    await cleanDatabase();
    sshd = await startSshd({ listenAddress: '127.0.0.1' });
    app = await createTestApp({
      roles: 'api,worker',
      env: { PROBE_CONNECT_TIMEOUT_MS: '2000', PROBE_TIMEOUT_MS: '4000' },
    });
    api = app.api();
    retention = app.app.get(HistoryRetentionService);
  });
  afterAll(async () => {
    await app?.close();
    await sshd?.stop();
  });

  const historyAges = async (hostId: string): Promise<Record<string, number>> => {
    const rows: { age: string; n: number }[] = await app.dataSource.query(
      `SELECT CASE WHEN task_id LIKE 'old-%' THEN 'old' WHEN task_id LIKE 'mid-%' THEN 'mid'
                   WHEN task_id LIKE 'new-%' THEN 'new' ELSE 'live' END AS age, count(*)::int AS n
         FROM host_check_history WHERE host_id = $1 GROUP BY 1`,
      [hostId],
    );
    return Object.fromEntries(rows.map((r) => [r.age, r.n]));
  };

  it('deletes what is past its retention in batches while checks keep being applied', async () => {
    const host = (
      await api
        .post('/api/hosts')
        .send({ hostname: 'kept', ip_address: sshd.host, port: sshd.port })
        .expect(201)
    ).body.id;
    const now = Date.now();
    // 12,000 checks 100 days old, 300 40 days old, 50 10 days old.
    await app.dataSource.query(
      `INSERT INTO host_check_history (host_id, check_time, monitoring_state, previous_state,
         response_time_ms, success, checked_by, task_id, stage)
       SELECT $1::uuid, $2::timestamptz - i * interval '1 second', 'HEALTHY', 'HEALTHY', 5, true,
              'system', $3 || i, 'auth'
         FROM generate_series(1, $4::int) i`,
      [host, new Date(now - 100 * DAY), 'old-', 12_000],
    );
    for (const [prefix, days, n] of [
      ['mid-', 40, 300],
      ['new-', 10, 50],
    ] as const) {
      await app.dataSource.query(
        `INSERT INTO host_check_history (host_id, check_time, monitoring_state, previous_state,
           response_time_ms, success, checked_by, task_id, stage)
         SELECT $1::uuid, $2::timestamptz - i * interval '1 second', 'HEALTHY', 'HEALTHY', 5,
                true, 'system', $3 || i, 'auth'
           FROM generate_series(1, $4::int) i`,
        [host, new Date(now - days * DAY), prefix, n],
      );
    }
    // State changes: 500 and 450 days old (past ROLLUP_RETENTION_DAYS, 400), and 200 days old.
    await app.dataSource.query('DELETE FROM host_state_changes WHERE host_id = $1', [host]);
    for (const [days, state] of [
      [500, 'UNKNOWN'],
      [450, 'HEALTHY'],
      [200, 'DOWN'],
    ] as const) {
      await app.dataSource.query(
        'INSERT INTO host_state_changes (host_id, changed_at, state) VALUES ($1, $2, $3)',
        [host, new Date(now - days * DAY), state],
      );
    }

    // Small batches, so the run takes many statements; JIT checks go on meanwhile.
    const running = retention.run(500, 1000);
    const checks = await Promise.all(
      [0, 1, 2].map(() =>
        api
          .post(`/api/monitoring/hosts/${host}/check-connectivity?wait=true&timeout_ms=15000`)
          .expect(200),
      ),
    );
    const report = await running;
    expect(checks.map((c) => c.body.success)).toEqual([true, true, true]);
    expect(report).toEqual({ history: 12_000, stateChanges: 1, stateDays: 0, more: false });
    expect(await historyAges(host)).toEqual({ mid: 300, new: 50, live: 3 });
    const kept = await app.dataSource.query(
      `SELECT state FROM host_state_changes WHERE host_id = $1 ORDER BY changed_at`,
      [host],
    );
    // The change at 450 days stays: it is the state the oldest report (400 days) opens in.
    expect(kept.map((r: { state: string }) => r.state)).toEqual(
      expect.arrayContaining(['HEALTHY', 'DOWN']),
    );
    expect(kept.map((r: { state: string }) => r.state)).not.toContain('UNKNOWN');
    const uptime = await api
      .get(`/api/monitoring/hosts/${host}/uptime?from=${new Date(now - 399 * DAY).toISOString()}`)
      .expect(200);
    expect(uptime.body.shares.HEALTHY).toBeGreaterThan(0.4);

    // The policy's retention wins over HISTORY_RETENTION_DAYS.
    await api.put('/api/monitoring/policy').send({ history_retention_days: 30 }).expect(200);
    expect((await retention.run()).history).toBe(300);
    expect(await historyAges(host)).toEqual({ new: 50, live: 3 });
    const bad = await api.put('/api/monitoring/policy').send({ history_retention_days: 0 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('history_retention_days');
  });
});
