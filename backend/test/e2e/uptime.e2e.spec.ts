import { ManualClock } from '../support/manual-clock';
import { createTestApp, type Api, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { expectBadField, expectStatus, UNKNOWN_UUID } from './helpers';

/** Uptime and SLA over the API, from state changes the app itself makes. */
describe('uptime and SLA', () => {
  let app: TestApp;
  let api: Api;
  const MIN = 60_000;
  const t0 = Math.ceil(Date.now() / MIN) * MIN + MIN;
  const clock = new ManualClock(t0);
  const at = (minutes: number) => new Date(t0 + minutes * MIN).toISOString();

  beforeAll(async () => {
    await cleanDatabase();
    // Tokens outlive the hours the clock is moved by.
    app = await createTestApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '86400' } });
    api = app.api();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shares each host’s time between its states, per host and per tag', async () => {
    const a = (
      await api
        .post('/api/hosts')
        .send({ hostname: 'sla-a', tags: ['sla'] })
        .expect(201)
    ).body.id;
    const b = (
      await api
        .post('/api/hosts')
        .send({ hostname: 'sla-b', tags: ['sla'] })
        .expect(201)
    ).body.id;
    // What applying check results writes: a HEALTHY and b DOWN from minute 1.
    await app.dataSource.query(
      `UPDATE host_status SET monitoring_state = CASE WHEN host_id = $1 THEN 'HEALTHY' ELSE 'DOWN' END,
              last_state_change_at = $3 WHERE host_id IN ($1, $2)`,
      [a, b, at(1)],
    );
    clock.advance(31 * MIN);
    await api
      .post('/api/hosts/bulk')
      .send({ action: 'maintenance_on', ids: [a] })
      .expect(200);
    clock.advance(30 * MIN);
    await api
      .post('/api/hosts/bulk')
      .send({ action: 'maintenance_off', ids: [a] })
      .expect(200);
    clock.advance(60 * MIN);

    const one = await api.get(`/api/monitoring/hosts/${a}/uptime?from=${at(1)}&to=${at(61)}`);
    expectStatus(one, 200);
    expect(one.body).toEqual({
      from: at(1),
      to: at(61),
      shares: { HEALTHY: 0.5, DEGRADED: 0, CRITICAL: 0, DOWN: 0, MAINTENANCE: 0.5 },
      availability: 1,
    });
    const tag = await api.get(`/api/monitoring/uptime?tag=sla&from=${at(1)}&to=${at(61)}`);
    expect(tag.body.shares).toEqual({
      HEALTHY: 0.25,
      DEGRADED: 0,
      CRITICAL: 0,
      DOWN: 0.5,
      MAINTENANCE: 0.25,
    });
    expect(tag.body.availability).toBeCloseTo(1 / 3, 9);
    // A window reaching into the future ends now; UNKNOWN time (after maintenance) counts in none.
    const later = await api.get(`/api/monitoring/hosts/${a}/uptime?from=${at(1)}&to=${at(600)}`);
    expect(later.body.to).toBe(new Date(clock.now()).toISOString());
    expect(later.body.shares.HEALTHY).toBe(0.5);
    // Each host apart, in the order asked for; an unknown id is left out.
    const each = await api.get(
      `/api/monitoring/uptime/hosts?ids=${b},${UNKNOWN_UUID},${a}&from=${at(1)}&to=${at(61)}`,
    );
    expectStatus(each, 200);
    expect(each.body.hosts.map((h: { host_id: string }) => h.host_id)).toEqual([b, a]);
    expect(each.body.hosts[0]).toMatchObject({ availability: 0, shares: { DOWN: 1 } });
    expect(each.body.hosts[1]).toMatchObject({ availability: 1, shares: { HEALTHY: 0.5 } });
    // The default window is the last 30 days.
    const recent = (await api.get(`/api/monitoring/uptime`).expect(200)).body;
    expect(Date.parse(recent.to) - Date.parse(recent.from)).toBe(30 * 24 * 60 * MIN);
  });

  it('refuses a window backwards or too long, and an unknown host', async () => {
    expectBadField(await api.get(`/api/monitoring/uptime?from=${at(10)}&to=${at(5)}`), 'from');
    expectBadField(
      await api.get(`/api/monitoring/uptime?from=2020-01-01T00:00:00Z&to=${at(5)}`),
      'from',
    );
    expectBadField(await api.get('/api/monitoring/uptime?to=tomorrow'), 'to');
    expectBadField(await api.get('/api/monitoring/uptime?tag=a,b'), 'tag');
    expectStatus(await api.get(`/api/monitoring/hosts/${UNKNOWN_UUID}/uptime`), 404);
    expectBadField(await api.get('/api/monitoring/uptime/hosts?ids=nope'), 'ids');
    expectBadField(await api.get('/api/monitoring/uptime/hosts'), 'ids');
    const many = Array.from({ length: 251 }, () => UNKNOWN_UUID).join(',');
    expectBadField(await api.get(`/api/monitoring/uptime/hosts?ids=${many}`), 'ids');
  });
});
