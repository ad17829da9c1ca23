import { randomUUID } from 'node:crypto';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { HostEventsBus } from '../../src/hosts/host-events.bus';
import { insertHosts } from '../support/host-rows';
import { openEventStream, type SseMessage } from '../support/sse-client';
import { ManualClock } from '../support/manual-clock';
import { createTestApp, type Api, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';
import { expectBadField, expectStatus } from './helpers';

/**
 * POST /api/hosts/bulk against the real app: every action, by ids and by filter, the audit
 * row, the role rules, the JIT limit and the end of a maintenance window.
 */
describe('bulk host actions', () => {
  let app: TestApp;
  let api: Api;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({
      roles: 'api,scheduler',
      clock,
      // The producer is ticked by hand; two bulk checks a minute at most.
      env: { SCHEDULER_TICK_MS: '3600000', JIT_RATE_LIMIT_PER_MINUTE: '2' },
    });
    api = app.api();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await truncateAll(app.dataSource);
  });

  /** `n` hosts named `<prefix>-<i>` carrying `tags`, in `state`. */
  const fleet = async (prefix: string, n: number, tags: string[], state = 'HEALTHY') =>
    (
      await insertHosts(
        app.dataSource,
        ['hostname', 'ip_address', 'tags', 'monitoring_state', 'next_check_at'],
        `SELECT $1 || '-' || i, '10.9.0.1', $2::text[], $3, now() + interval '1 hour'
           FROM generate_series(1, $4::int) i`,
        [prefix, tags, state, n],
      )
    ).map((h) => h.id);
  const bulk = (body: Record<string, unknown>, token?: string) =>
    app.api(token).post('/api/hosts/bulk').send(body);
  const host = async (id: string) => (await api.get(`/api/hosts/${id}`).expect(200)).body;

  it('puts every host a filter matches in maintenance, with its window, in one audited action', async () => {
    const rack = await fleet('rack7', 1200, ['rack7']);
    const other = await fleet('rack8', 5, ['rack8']);
    const until = new Date(clock.now().getTime() + 3600_000).toISOString();
    const res = await bulk({
      action: 'maintenance_on',
      filter: { tag: 'rack7' },
      until,
      reason: 'firmware upgrade',
    });
    expectStatus(res, 200);
    expect(res.body).toEqual({ matched: 1200, changed: 1200, skipped: [] });
    const states = await app.dataSource.query(
      `SELECT monitoring_state AS state, maintenance_ends_at AS until, maintenance_reason AS reason,
              next_check_at, count(*)::int AS n
         FROM host_status GROUP BY 1, 2, 3, 4 ORDER BY n DESC`,
    );
    expect(states).toEqual([
      {
        state: 'MAINTENANCE',
        until: new Date(until),
        reason: 'firmware upgrade',
        next_check_at: null,
        n: 1200,
      },
      expect.objectContaining({ state: 'HEALTHY', until: null, n: 5 }),
    ]);
    const shown = await host(rack[0]);
    expect(shown).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_ends_at: until,
      maintenance_window_id: null,
      maintenance_reason: 'firmware upgrade',
    });
    expect((await host(other[0])).monitoring_state).toBe('HEALTHY');
    const audit = (await api.get('/api/audit?action=host.bulk').expect(200)).body;
    expect(audit.total).toBe(1);
    expect(audit.items[0].details).toMatchObject({
      action: 'maintenance_on',
      filter: { tag: 'rack7' },
      matched: 1200,
      changed: 1200,
      reason: 'firmware upgrade',
    });
  });

  it('ends a maintenance window when its time comes, and the host is checked at once', async () => {
    const [id] = await fleet('window', 1, []);
    const until = new Date(clock.now().getTime() + 600_000).toISOString();
    expectStatus(await bulk({ action: 'maintenance_on', ids: [id], until }), 200);
    const scheduler = app.app.get(SchedulerService);
    await scheduler.idle();
    await scheduler.tick();
    expect((await host(id)).monitoring_state).toBe('MAINTENANCE');
    clock.advance(601_000);
    await scheduler.tick();
    const after = await host(id);
    expect(after).toMatchObject({
      monitoring_state: 'UNKNOWN',
      maintenance_ends_at: null,
      maintenance_reason: null,
      consecutive_failures: 0,
    });
  });

  it("makes a host a window holds the person's: it outlives the window and ends at `until`", async () => {
    const [id] = await fleet('held', 1, []);
    const at = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000);
    const window = (
      await api
        .post('/api/maintenance-windows')
        .send({
          name: 'rack swap',
          reason: 'rack swap',
          host_ids: [id],
          starts_at: at(-1).toISOString(),
          ends_at: at(1).toISOString(),
        })
        .expect(201)
    ).body;
    const scheduler = app.app.get(SchedulerService);
    await scheduler.idle();
    await scheduler.tick();
    expect(await host(id)).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_window_id: window.id,
    });
    const until = at(2).toISOString();
    const res = await bulk({ action: 'maintenance_on', ids: [id], until, reason: 'disk swap' });
    expect(res.body).toEqual({ matched: 1, changed: 1, skipped: [] });
    expect(await host(id)).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_window_id: null,
      maintenance_ends_at: until,
      maintenance_reason: 'disk swap',
    });
    // The window's end does not end it: the host is the person's now. (Minutes, not hours:
    // the spec's sign-in lives on the same clock.)
    clock.advance(61_000);
    await scheduler.tick();
    expect(await host(id)).toMatchObject({
      monitoring_state: 'MAINTENANCE',
      maintenance_ends_at: until,
    });
    // `until` does, at the scheduler's next tick: UNKNOWN, due at once, nothing left of it.
    clock.advance(60_000);
    await scheduler.tick();
    expect(await host(id)).toMatchObject({
      monitoring_state: 'UNKNOWN',
      maintenance_window_id: null,
      maintenance_ends_at: null,
      maintenance_reason: null,
    });
  });

  it('takes hosts out of maintenance and resets state, skipping hosts the action does not fit', async () => {
    const down = await fleet('down', 3, ['x'], 'DOWN');
    await app.dataSource.query(
      `UPDATE host_status SET consecutive_failures = 7 WHERE host_id = ANY($1::uuid[])`,
      [down],
    );
    const maint = await fleet('maint', 2, ['x'], 'MAINTENANCE');
    const off = await bulk({ action: 'maintenance_off', ids: [...maint, down[0]] });
    expectStatus(off, 200);
    expect(off.body).toEqual({
      matched: 3,
      changed: 2,
      skipped: [{ id: down[0], reason: 'not in maintenance' }],
    });
    expect((await host(maint[0])).monitoring_state).toBe('UNKNOWN');

    const reset = await bulk({ action: 'reset_state', filter: { state: 'DOWN' } });
    expect(reset.body).toEqual({ matched: 3, changed: 3, skipped: [] });
    const after = await host(down[1]);
    expect(after).toMatchObject({ monitoring_state: 'UNKNOWN', consecutive_failures: 0 });
    expect(Date.parse(after.next_check_at)).toBeLessThanOrEqual(clock.now().getTime());
  });

  it('sets, adds and removes tags, and reports hosts that need no change and unknown ids', async () => {
    const ids = await fleet('tagged', 4, ['web']);
    const missing = randomUUID();
    const added = await bulk({ action: 'add_tags', ids: [...ids, missing], tags: ['eu', 'web'] });
    expect(added.body).toEqual({
      matched: 5,
      changed: 4,
      skipped: [{ id: missing, reason: 'no such host' }],
    });
    expect((await host(ids[0])).tags).toEqual(['web', 'eu']);
    const again = await bulk({ action: 'add_tags', ids: [ids[0]], tags: ['eu'] });
    expect(again.body).toEqual({
      matched: 1,
      changed: 0,
      skipped: [{ id: ids[0], reason: 'tags already as asked' }],
    });
    const removed = await bulk({ action: 'remove_tags', filter: { tag: 'eu' }, tags: ['web'] });
    expect(removed.body).toMatchObject({ matched: 4, changed: 4 });
    expect((await host(ids[1])).tags).toEqual(['eu']);
    const set = await bulk({ action: 'set_tags', filter: { q: 'tagged-' }, tags: [] });
    expect(set.body).toMatchObject({ matched: 4, changed: 4 });
    expect((await host(ids[2])).tags).toEqual([]);
  });

  it('sets a credential, refusing one that does not exist', async () => {
    const ids = await fleet('cred', 3, []);
    const credential = (
      await api
        .post('/api/credentials')
        .send({ name: 'ops', username: 'ops', auth_method: 'password', password: 'pw-12345678' })
        .expect(201)
    ).body.id;
    const res = await bulk({ action: 'set_credential', ids, credential_id: credential });
    expect(res.body).toEqual({ matched: 3, changed: 3, skipped: [] });
    expect((await host(ids[0])).credential_id).toBe(credential);
    expectBadField(
      await bulk({ action: 'set_credential', ids, credential_id: randomUUID() }),
      'credential_id',
    );
    const back = await bulk({ action: 'set_credential', ids: [ids[0]], credential_id: null });
    expect(back.body).toMatchObject({ changed: 1 });
    expect((await host(ids[0])).credential_id).toBeNull();
  });

  it('deletes hosts, but not a jump host that hosts left behind still go through', async () => {
    const [bastion, lonelyBastion] = await fleet('bastion', 2, ['edge']);
    const behind = await fleet('behind', 2, ['inner']);
    const stays = await fleet('stays', 1, ['keep']);
    await app.dataSource.query(`UPDATE hosts SET jump_host_id = $1 WHERE id = ANY($2::uuid[])`, [
      bastion,
      behind,
    ]);
    await app.dataSource.query(`UPDATE hosts SET jump_host_id = $1 WHERE id = $2`, [
      lonelyBastion,
      stays[0],
    ]);
    // The edge tag selects both bastions; only one has every host behind it deleted too.
    const edge = await bulk({ action: 'delete', filter: { tag: 'edge' } });
    expect(edge.body.matched).toBe(2);
    expect(edge.body.changed).toBe(0);
    expect(edge.body.skipped.map((s: { id: string }) => s.id).sort()).toEqual(
      [bastion, lonelyBastion].sort(),
    );
    expect(edge.body.skipped[0].reason).toMatch(/^jump host of \d host\(s\) not deleted/);
    const both = await bulk({ action: 'delete', ids: [bastion, ...behind] });
    expect(both.body).toEqual({ matched: 3, changed: 3, skipped: [] });
    await api.get(`/api/hosts/${bastion}`).expect(404);
    await api.get(`/api/hosts/${lonelyBastion}`).expect(200);
  });

  it('queues a JIT check per host that can be checked, and a bulk check counts once against the JIT limit', async () => {
    const ids = await fleet('check', 30, ['chk']);
    const [maint] = await fleet('check-maint', 1, ['chk'], 'MAINTENANCE');
    const operator = await app.userWithRole('operator');
    const jitQueue = app.jitQueue;
    await jitQueue.obliterate({ force: true });
    const first = await bulk({ action: 'check', filter: { tag: 'chk' } }, operator.access_token);
    expectStatus(first, 200);
    expect(first.body).toEqual({
      matched: 31,
      changed: 30,
      skipped: [{ id: maint, reason: 'in maintenance: not checked' }],
    });
    const queued = await jitQueue.getJobs(['prioritized', 'waiting'], 0, -1);
    expect(queued.map((j) => j.data.host_id).sort()).toEqual([...ids].sort());
    // Other bulk actions do not count; the second check does, and the third is refused.
    expectStatus(await bulk({ action: 'reset_state', ids: [ids[0]] }), 200);
    expectStatus(await bulk({ action: 'reset_state', ids: [ids[0]] }), 200);
    expectStatus(await bulk({ action: 'check', ids }, operator.access_token), 200);
    const third = await bulk({ action: 'check', ids }, operator.access_token);
    expectStatus(third, 429);
    expect(third.headers['retry-after']).toBeDefined();
  });

  it('tells open host lists about each host it changes or deletes', async () => {
    const [one, two] = await fleet('live', 2, ['live']);
    const stream = await openEventStream(app.url!, app.adminToken);
    await app.app.get(HostEventsBus).ready();
    try {
      const about = (id: string, type: string) => (m: SseMessage) =>
        m.event === type && (m.data.host as { id?: string } | undefined)?.id === id;
      expectStatus(await bulk({ action: 'maintenance_on', filter: { tag: 'live' } }), 200);
      for (const id of [one, two]) {
        const event = await stream.next(about(id, 'host_updated'));
        expect(event.data).toMatchObject({
          host: { id, monitoring_state: 'MAINTENANCE' },
          previous: { id, monitoring_state: 'HEALTHY' },
        });
      }
      expectStatus(await bulk({ action: 'delete', ids: [two] }), 200);
      const gone = await stream.next(about(two, 'host_deleted'));
      expect(gone.data).toMatchObject({ host: { id: two, hostname: 'live-2' } });
    } finally {
      stream.close();
    }
  });

  it('applies the single-host role rules', async () => {
    const ids = await fleet('roles', 2, []);
    const viewer = await app.userWithRole('viewer');
    const operator = await app.userWithRole('operator');
    expectStatus(await bulk({ action: 'check', ids }, viewer.access_token), 403);
    for (const action of ['maintenance_on', 'maintenance_off', 'reset_state', 'delete']) {
      expectStatus(await bulk({ action, ids }, operator.access_token), 403);
    }
    expectStatus(await bulk({ action: 'set_tags', ids, tags: ['a'] }, operator.access_token), 403);
    expect((await host(ids[0])).tags).toEqual([]);
  });

  it('refuses bad requests with a 400 naming the field', async () => {
    const [id] = await fleet('bad', 1, []);
    const past = new Date(clock.now().getTime() - 1000).toISOString();
    expectBadField(await bulk({ action: 'explode', ids: [id] }), 'action');
    expectBadField(await bulk({ action: 'reset_state' }), 'ids');
    expectBadField(await bulk({ action: 'reset_state', ids: [id], filter: {} }), 'filter');
    expectBadField(await bulk({ action: 'reset_state', ids: ['nope'] }), 'ids');
    expectBadField(await bulk({ action: 'reset_state', ids: [] }), 'ids');
    expectBadField(await bulk({ action: 'maintenance_on', ids: [id], until: past }), 'until');
    expectBadField(await bulk({ action: 'maintenance_on', ids: [id], until: 'soon' }), 'until');
    expectBadField(await bulk({ action: 'reset_state', ids: [id], reason: 'x' }), 'reason');
    expectBadField(await bulk({ action: 'add_tags', ids: [id] }), 'tags');
    expectBadField(await bulk({ action: 'add_tags', ids: [id], tags: [] }), 'tags');
    expectBadField(await bulk({ action: 'add_tags', ids: [id], tags: ['a,b'] }), 'tags');
    expectBadField(await bulk({ action: 'set_credential', ids: [id] }), 'credential_id');
    expectBadField(
      await bulk({ action: 'reset_state', filter: { state: 'ASLEEP' } }),
      'filter.state',
    );
    expectBadField(
      await bulk({ action: 'reset_state', filter: { colour: 'red' } }),
      'filter.colour',
    );
    expect((await host(id)).monitoring_state).toBe('HEALTHY');
  });
});
