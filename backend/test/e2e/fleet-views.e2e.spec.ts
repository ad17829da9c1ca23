/**
 * What the console's "problems first" views read: the host list sorted by severity, a bulk
 * JIT check that the rate limit counts once, heartbeats with the start of a failing run, and
 * the fleet's latest transitions.
 */
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';
import { expectBadField, expectStatus, UNKNOWN_UUID } from './helpers';
import { updateHost } from '../support/host-rows';

describe('Fleet views API', () => {
  let app: TestApp;
  const api = () => app.api();

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({ env: { JIT_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await truncateAll(app.dataSource);
    await app.jitQueue.obliterate({ force: true });
  });

  const createHost = async (hostname: string): Promise<string> => {
    const res = await api().post('/api/hosts').send({ hostname, ip_address: '10.9.1.1' });
    expectStatus(res, 201);
    return res.body.id as string;
  };
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  const record = async (
    hostId: string,
    at: Date,
    success: boolean,
    state: string,
    previous: string,
  ): Promise<void> => {
    await app.dataSource.query(
      `INSERT INTO host_check_history
         (host_id, check_time, monitoring_state, previous_state, response_time_ms, success,
          error_message, error_type, checked_by, task_id, stage)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scheduler', $9, $10)`,
      [
        hostId,
        at,
        state,
        previous,
        success ? 40 : 3,
        success,
        success ? null : 'connect ECONNREFUSED',
        success ? null : 'refused',
        `sched-${randomUUID()}`,
        success ? 'auth' : 'connect',
      ],
    );
  };

  it('sorts by state in order of severity, worst first ascending', async () => {
    const states = ['HEALTHY', 'MAINTENANCE', 'DEGRADED', 'UNKNOWN', 'DOWN', 'CRITICAL'];
    for (const [i, state] of states.entries()) {
      const id = await createHost(`sev-${i}`);
      await updateHost(app.dataSource, id, { monitoring_state: state });
    }
    const asc = await api().get('/api/hosts?sort=monitoring_state&order=asc').expect(200);
    expect(asc.body.items.map((h: { monitoring_state: string }) => h.monitoring_state)).toEqual([
      'DOWN',
      'CRITICAL',
      'DEGRADED',
      'UNKNOWN',
      'HEALTHY',
      'MAINTENANCE',
    ]);
    const desc = await api().get('/api/hosts?sort=monitoring_state&order=desc').expect(200);
    expect(desc.body.items[0].monitoring_state).toBe('MAINTENANCE');
    // Reading the last page from the far end keeps the same order.
    const page = await api()
      .get('/api/hosts?sort=monitoring_state&order=asc&page=3&page_size=2')
      .expect(200);
    expect(page.body.items.map((h: { monitoring_state: string }) => h.monitoring_state)).toEqual([
      'HEALTHY',
      'MAINTENANCE',
    ]);
  });

  it('queues a check of every host in one request, which the rate limit counts once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createHost(`bulk-${i}`));
    const res = await api()
      .post('/api/monitoring/check-connectivity')
      .send({ host_ids: [...ids, ids[0], UNKNOWN_UUID] });
    expectStatus(res, 202);
    expect(res.body.queued).toHaveLength(5);
    expect(res.body.queued.map((q: { host_id: string }) => q.host_id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(res.body.not_found).toEqual([UNKNOWN_UUID]);
    expect(res.body.priority).toBe(9);
    expect(await app.jitQueue.count()).toBe(5);
    const status = await api()
      .get(`/api/monitoring/checks/${res.body.queued[0].task_id}`)
      .expect(200);
    expect(status.body).toMatchObject({ status: 'queued', host_id: res.body.queued[0].host_id });

    // A limit of 2 per minute: the second request passes, the third is refused with Retry-After.
    await api().post('/api/monitoring/check-connectivity').send({ host_ids: ids }).expect(202);
    const refused = await api().post('/api/monitoring/check-connectivity').send({ host_ids: ids });
    expectStatus(refused, 429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a bulk check without hosts or with something that is not a host id', async () => {
    // An operator of its own: the admin's JIT limit is spent by the spec above.
    const operator = await app.userWithRole('operator');
    const bulk = () => app.api(operator.access_token).post('/api/monitoring/check-connectivity');
    expectBadField(await bulk().send({ host_ids: [] }), 'host_ids');
    expectBadField(await bulk().send({ host_ids: ['db-7'] }), 'host_ids');
    const viewer = await app.userWithRole('viewer');
    expectStatus(
      await app
        .api(viewer.access_token)
        .post('/api/monitoring/check-connectivity')
        .send({ host_ids: [UNKNOWN_UUID] }),
      403,
    );
  });

  it('gives the latest results of each host, newest first, and when its failing run began', async () => {
    const failing = await createHost('hb-failing');
    const fine = await createHost('hb-fine');
    const never = await createHost('hb-never');
    await record(failing, minutesAgo(50), true, 'HEALTHY', 'UNKNOWN');
    await record(failing, minutesAgo(40), false, 'DEGRADED', 'HEALTHY');
    await record(failing, minutesAgo(30), true, 'DEGRADED', 'DEGRADED');
    await record(failing, minutesAgo(20), false, 'DEGRADED', 'DEGRADED');
    await record(failing, minutesAgo(10), false, 'CRITICAL', 'DEGRADED');
    await record(fine, minutesAgo(5), true, 'HEALTHY', 'UNKNOWN');

    const res = await api()
      .get(
        `/api/monitoring/heartbeats?host_ids=${failing},${fine},${never},${UNKNOWN_UUID}&limit=3`,
      )
      .expect(200);
    expect(res.body.items.map((i: { host_id: string }) => i.host_id)).toEqual([
      failing,
      fine,
      never,
    ]);
    const [f, ok, none] = res.body.items;
    expect(Date.parse(f.failing_since)).toBeGreaterThan(minutesAgo(21).getTime());
    expect(Date.parse(f.failing_since)).toBeLessThan(minutesAgo(19).getTime());
    expect(f.results.map((r: { success: boolean }) => r.success)).toEqual([false, false, true]);
    expect(f.results[0]).toMatchObject({ state: 'CRITICAL', error_type: 'refused' });
    expect(ok.failing_since).toBeNull();
    expect(ok.results).toHaveLength(1);
    expect(none).toEqual({ host_id: never, failing_since: null, results: [] });

    expectBadField(await api().get('/api/monitoring/heartbeats?host_ids=nope'), 'host_ids');
  });

  it('lists the fleet’s latest transitions, newest first, with the host name and reason', async () => {
    const a = await createHost('tr-a');
    const b = await createHost('tr-b');
    await record(a, minutesAgo(30), true, 'HEALTHY', 'UNKNOWN');
    await record(a, minutesAgo(20), false, 'DEGRADED', 'HEALTHY');
    await record(a, minutesAgo(15), false, 'DEGRADED', 'DEGRADED');
    await record(b, minutesAgo(10), false, 'CRITICAL', 'DEGRADED');
    await record(b, minutesAgo(60 * 24 * 8), false, 'DOWN', 'CRITICAL');

    const res = await api().get('/api/monitoring/transitions?limit=10').expect(200);
    expect(
      res.body.items.map((t: { hostname: string; from: string; to: string }) => [
        t.hostname,
        t.from,
        t.to,
      ]),
    ).toEqual([
      ['tr-b', 'DEGRADED', 'CRITICAL'],
      ['tr-a', 'HEALTHY', 'DEGRADED'],
      ['tr-a', 'UNKNOWN', 'HEALTHY'],
    ]);
    expect(res.body.items[0]).toMatchObject({ host_id: b, error_type: 'refused' });
    expectBadField(await api().get('/api/monitoring/transitions?limit=0'), 'limit');
  });
});
