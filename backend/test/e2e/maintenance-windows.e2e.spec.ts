import { createTestApp, type Api, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';
import { expectBadField, UNKNOWN_UUID } from './helpers';

const HOUR = 3_600_000;

/** /api/maintenance-windows: what it accepts, what it refuses, and what it answers. */
describe('maintenance windows over the API', () => {
  let app: TestApp;
  let api: Api;
  const soon = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp();
    api = app.api();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await truncateAll(app.dataSource);
  });

  it('creates a one-off window that started in the past: active at once, its host in MAINTENANCE', async () => {
    const host = (
      await api.post('/api/hosts').send({ hostname: 'db-1', ip_address: '10.0.0.1' }).expect(201)
    ).body;
    const res = await api
      .post('/api/maintenance-windows')
      .send({
        name: 'db upgrade',
        reason: 'postgres 18',
        host_ids: [host.id],
        starts_at: soon(-1),
        ends_at: soon(2),
      })
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'db upgrade',
      reason: 'postgres 18',
      host_ids: [host.id],
      tags: [],
      recurrence: null,
      active: true,
    });
    expect(res.body.next_occurrences).toEqual([
      { starts_at: res.body.starts_at, ends_at: res.body.ends_at },
    ]);
    const after = (await api.get(`/api/hosts/${host.id}`).expect(200)).body;
    expect(after).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_window_id: res.body.id,
      maintenance_ends_at: res.body.ends_at,
      maintenance_reason: 'postgres 18',
      next_check_at: null,
    });
    expect((await api.get(`/api/maintenance-windows/${res.body.id}`).expect(200)).body).toEqual(
      res.body,
    );
  });

  it('lists windows, with ?active=true and ?active=false', async () => {
    await api
      .post('/api/maintenance-windows')
      .send({ name: 'now', tags: ['a'], starts_at: soon(-1), ends_at: soon(1) })
      .expect(201);
    await api
      .post('/api/maintenance-windows')
      .send({ name: 'later', tags: ['a'], starts_at: soon(5), ends_at: soon(6) })
      .expect(201);
    const names = async (q: string) =>
      (await api.get(`/api/maintenance-windows${q}`).expect(200)).body.map(
        (w: { name: string }) => w.name,
      );
    expect(await names('')).toEqual(['later', 'now']);
    expect(await names('?active=true')).toEqual(['now']);
    expect(await names('?active=false')).toEqual(['later']);
    expectBadField(await api.get('/api/maintenance-windows?active=maybe'), 'active');
  });

  it('answers a recurring window with its next five occurrences, the zone defaulting to UTC', async () => {
    const res = await api
      .post('/api/maintenance-windows')
      .send({
        name: 'nightly',
        tags: ['web'],
        recurrence: { cron: '0 3 * * *', duration_minutes: 30 },
      })
      .expect(201);
    expect(res.body.recurrence).toEqual({
      cron: '0 3 * * *',
      duration_minutes: 30,
      time_zone: 'UTC',
    });
    expect(res.body.starts_at).toBeNull();
    const occurrences = res.body.next_occurrences as Array<{ starts_at: string; ends_at: string }>;
    expect(occurrences).toHaveLength(5);
    for (const [i, o] of occurrences.entries()) {
      expect(o.starts_at).toMatch(/T03:00:00\.000Z$/);
      expect(Date.parse(o.ends_at) - Date.parse(o.starts_at)).toBe(30 * 60_000);
      if (i > 0)
        expect(Date.parse(o.starts_at) - Date.parse(occurrences[i - 1].starts_at)).toBe(24 * HOUR);
    }
  });

  it('turns a one-off window into a recurring one and back with PATCH', async () => {
    const { id } = (
      await api
        .post('/api/maintenance-windows')
        .send({ name: 'w', tags: ['x'], starts_at: soon(1), ends_at: soon(2) })
        .expect(201)
    ).body;
    const recurring = await api
      .patch(`/api/maintenance-windows/${id}`)
      .send({
        recurrence: {
          weekdays: ['mon', 'wed'],
          start_time: '01:00',
          duration_minutes: 60,
          time_zone: 'Europe/Berlin',
        },
      })
      .expect(200);
    expect(recurring.body).toMatchObject({ starts_at: null, ends_at: null });
    expect(recurring.body.next_occurrences).toHaveLength(5);
    const once = await api
      .patch(`/api/maintenance-windows/${id}`)
      .send({ starts_at: soon(3), ends_at: soon(4) })
      .expect(200);
    expect(once.body.recurrence).toBeNull();
    await api.delete(`/api/maintenance-windows/${id}`).expect(204);
    await api.get(`/api/maintenance-windows/${id}`).expect(404);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an end before the start', { starts_at: soon(3), ends_at: soon(2) }, 'ends_at'],
    ['an end in the past', { starts_at: soon(-3), ends_at: soon(-2) }, 'ends_at'],
    ['no end', { starts_at: soon(1) }, 'ends_at'],
    ['no times and no recurrence', {}, 'starts_at'],
    ['a time that is not a date', { starts_at: 'tomorrow', ends_at: soon(2) }, 'starts_at'],
    [
      'times and a recurrence',
      { starts_at: soon(1), recurrence: { cron: '0 3 * * *', duration_minutes: 30 } },
      'starts_at',
    ],
    [
      'an unknown time zone',
      { recurrence: { cron: '0 3 * * *', duration_minutes: 30, time_zone: 'Europe/Atlantis' } },
      'recurrence.time_zone',
    ],
    [
      'a bad cron expression',
      { recurrence: { cron: '0 25 * * *', duration_minutes: 30 } },
      'recurrence.cron',
    ],
    [
      'a cron expression of six fields',
      { recurrence: { cron: '0 0 3 * * *', duration_minutes: 30 } },
      'recurrence.cron',
    ],
    [
      'a start time that is no time',
      { recurrence: { weekdays: ['mon'], start_time: '24:00', duration_minutes: 30 } },
      'recurrence.start_time',
    ],
    [
      'an unknown weekday',
      { recurrence: { weekdays: ['funday'], start_time: '01:00', duration_minutes: 30 } },
      'recurrence.weekdays',
    ],
    [
      'no duration',
      { recurrence: { weekdays: ['mon'], start_time: '01:00' } },
      'recurrence.duration_minutes',
    ],
    [
      'neither cron nor weekdays',
      { recurrence: { duration_minutes: 30, time_zone: 'UTC' } },
      'recurrence',
    ],
    [
      'a host id that is no UUID',
      { host_ids: ['db-1'], starts_at: soon(1), ends_at: soon(2) },
      'host_ids',
    ],
  ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
    const res = await api.post('/api/maintenance-windows').send({ name: 'bad', ...body });
    expectBadField(res, field);
  });

  it('refuses a taken name (409), and answers 404 for an unknown window', async () => {
    const body = { name: 'twice', tags: ['x'], starts_at: soon(1), ends_at: soon(2) };
    await api.post('/api/maintenance-windows').send(body).expect(201);
    await api.post('/api/maintenance-windows').send(body).expect(409);
    await api.get(`/api/maintenance-windows/${UNKNOWN_UUID}`).expect(404);
    await api.patch(`/api/maintenance-windows/${UNKNOWN_UUID}`).send({ name: 'x' }).expect(404);
  });

  it('the manual toggle takes an end time and a reason, and refuses them without maintenance', async () => {
    const host = (
      await api.post('/api/hosts').send({ hostname: 'web-1', ip_address: '10.0.0.2' }).expect(201)
    ).body;
    expectBadField(
      await api.patch(`/api/hosts/${host.id}`).send({ maintenance_reason: 'why not' }),
      'maintenance_reason',
    );
    expectBadField(
      await api
        .patch(`/api/hosts/${host.id}`)
        .send({ monitoring_state: 'MAINTENANCE', maintenance_ends_at: soon(-1) }),
      'maintenance_ends_at',
    );
    const ends = soon(2);
    const res = await api
      .patch(`/api/hosts/${host.id}`)
      .send({
        monitoring_state: 'MAINTENANCE',
        maintenance_ends_at: ends,
        maintenance_reason: 'RAM',
      })
      .expect(200);
    expect(res.body).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_ends_at: ends,
      maintenance_reason: 'RAM',
      maintenance_window_id: null,
    });
    const back = await api
      .patch(`/api/hosts/${host.id}`)
      .send({ monitoring_state: 'UNKNOWN' })
      .expect(200);
    expect(back.body).toMatchObject({ maintenance_ends_at: null, maintenance_reason: null });
  });

  it('viewers read windows; operators write them', async () => {
    const viewer = await app.userWithRole('viewer');
    const operator = await app.userWithRole('operator');
    const body = { name: 'op', tags: ['x'], starts_at: soon(1), ends_at: soon(2) };
    await app.api(viewer.access_token).post('/api/maintenance-windows').send(body).expect(403);
    await app.api(operator.access_token).post('/api/maintenance-windows').send(body).expect(201);
    await app.api(viewer.access_token).get('/api/maintenance-windows').expect(200);
  });
});
