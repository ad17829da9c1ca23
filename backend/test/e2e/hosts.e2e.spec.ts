import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';
import { expectBadField, expectStatus, msFromNow, UNKNOWN_UUID } from './helpers';
import { updateHost } from '../support/host-rows';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Hosts API', () => {
  let app: TestApp;

  const api = () => app.api();
  const createHost = async (body: Record<string, unknown>) => {
    const res = await api().post('/api/hosts').send(body);
    expectStatus(res, 201);
    return res.body as Record<string, unknown> & { id: string };
  };
  const createCredential = async (name = 'fleet') => {
    const res = await api()
      .post('/api/credentials')
      .send({ name, username: 'monitor', auth_method: 'password', password: 's3cret-pw' });
    expectStatus(res, 201);
    return res.body as { id: string };
  };

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    await truncateAll(app.dataSource);
  });

  describe('create, read, update, delete', () => {
    it('creates a host with the documented defaults, due at once', async () => {
      const res = await api().post('/api/hosts').send({ hostname: 'web-1.example.internal' });
      expectStatus(res, 201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        hostname: 'web-1.example.internal',
        ip_address: null,
        port: 22,
        credential_id: null,
        parent_host_id: null,
        jump_host_id: null,
        tags: [],
        is_active: true,
        monitoring_state: 'UNKNOWN',
        current_status: 'unknown',
        consecutive_failures: 0,
        consecutive_successes: 0,
        next_check_at: expect.any(String),
        last_check_at: null,
        last_state_change_at: null,
        check_priority: 7,
        response_time_ms: null,
        last_check_stage: null,
        last_error_type: null,
        last_error_message: null,
        unreachable: false,
        flapping: false,
        flap_percent: 0,
        maintenance_window_id: null,
        maintenance_ends_at: null,
        maintenance_reason: null,
        host_key_policy: 'tofu',
        host_key_fingerprint: null,
        host_key_type: null,
        host_key_first_seen_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(msFromNow(res.body.next_check_at)).toBeLessThan(10_000);
      expect(msFromNow(res.body.created_at)).toBeLessThan(10_000);
      // The same host comes back from GET, and the row is really there.
      const got = await api().get(`/api/hosts/${res.body.id}`);
      expectStatus(got, 200);
      expect(got.body).toEqual(res.body);
      const rows = await app.dataSource.query('SELECT hostname, port FROM hosts WHERE id = $1', [
        res.body.id,
      ]);
      expect(rows).toEqual([{ hostname: 'web-1.example.internal', port: 22 }]);
    });

    it('stores every field given on create', async () => {
      const credential = await createCredential();
      const body = await createHost({
        hostname: 'db-7',
        ip_address: '10.0.0.7',
        port: 2222,
        credential_id: credential.id,
        tags: ['prod', 'db'],
        is_active: false,
        host_key_policy: 'strict',
      });
      expect(body).toMatchObject({
        hostname: 'db-7',
        ip_address: '10.0.0.7',
        port: 2222,
        credential_id: credential.id,
        tags: ['prod', 'db'],
        is_active: false,
        host_key_policy: 'strict',
        monitoring_state: 'UNKNOWN',
      });
      const got = await api().get(`/api/hosts/${body.id}`);
      expect(got.body).toEqual(body);
    });

    it('accepts an IPv6 address', async () => {
      const body = await createHost({ hostname: 'v6', ip_address: '2001:db8::7' });
      expect(body.ip_address).toBe('2001:db8::7');
    });

    it('creates a host directly in maintenance: never scheduled', async () => {
      const body = await createHost({ hostname: 'parked', monitoring_state: 'MAINTENANCE' });
      expect(body.monitoring_state).toBe('MAINTENANCE');
      expect(body.current_status).toBe('maintenance');
      expect(body.next_check_at).toBeNull();
    });

    it('updates only the fields given', async () => {
      const created = await createHost({ hostname: 'app-1', ip_address: '10.0.0.1', tags: ['a'] });
      const res = await api()
        .patch(`/api/hosts/${created.id}`)
        .send({ port: 2200, tags: ['b', 'c'], host_key_policy: 'off' });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        id: created.id,
        hostname: 'app-1',
        ip_address: '10.0.0.1',
        port: 2200,
        tags: ['b', 'c'],
        host_key_policy: 'off',
        is_active: true,
        monitoring_state: 'UNKNOWN',
      });
      expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(
        Date.parse(created.updated_at as string),
      );
      const got = await api().get(`/api/hosts/${created.id}`);
      expect(got.body).toEqual(res.body);
    });

    it('renames a host, clears its address, and keeps its own name without a conflict', async () => {
      const created = await createHost({ hostname: 'old-name', ip_address: '10.0.0.2' });
      const renamed = await api()
        .patch(`/api/hosts/${created.id}`)
        .send({ hostname: 'new-name', ip_address: null });
      expectStatus(renamed, 200);
      expect(renamed.body).toMatchObject({ hostname: 'new-name', ip_address: null });
      const same = await api().patch(`/api/hosts/${created.id}`).send({ hostname: 'new-name' });
      expectStatus(same, 200);
      const freed = await api().post('/api/hosts').send({ hostname: 'old-name' });
      expectStatus(freed, 201);
    });

    it('attaches and detaches a credential', async () => {
      const credential = await createCredential();
      const host = await createHost({ hostname: 'with-cred' });
      const attached = await api()
        .patch(`/api/hosts/${host.id}`)
        .send({ credential_id: credential.id });
      expectStatus(attached, 200);
      expect(attached.body.credential_id).toBe(credential.id);
      const detached = await api().patch(`/api/hosts/${host.id}`).send({ credential_id: null });
      expectStatus(detached, 200);
      expect(detached.body.credential_id).toBeNull();
    });

    it('deletes a host and its history; a second delete is 404', async () => {
      const host = await createHost({ hostname: 'doomed' });
      await app.dataSource.query(
        `INSERT INTO host_check_history (host_id, check_time, monitoring_state, success, task_id, stage)
         VALUES ($1, now(), 'HEALTHY', true, 'doomed-task', 'auth')`,
        [host.id],
      );
      const res = await api().delete(`/api/hosts/${host.id}`);
      expectStatus(res, 204);
      expect(res.text).toBe('');
      expectStatus(await api().get(`/api/hosts/${host.id}`), 404);
      expectStatus(await api().delete(`/api/hosts/${host.id}`), 404);
      const [{ n }] = await app.dataSource.query(
        'SELECT count(*)::int AS n FROM host_check_history WHERE host_id = $1',
        [host.id],
      );
      expect(n).toBe(0);
    });
  });

  describe('maintenance and host keys', () => {
    it('MAINTENANCE stops checks; back to UNKNOWN is due at once with counters cleared', async () => {
      const host = await createHost({ hostname: 'maint-1' });
      await updateHost(
        app.dataSource,
        host.id,
        {
          monitoring_state: "'DEGRADED'",
          consecutive_failures: '2',
          check_priority: '6',
          next_check_at: "now() + interval '5 minutes'",
        },
        { sql: true },
      );
      const paused = await api()
        .patch(`/api/hosts/${host.id}`)
        .send({ monitoring_state: 'MAINTENANCE' });
      expectStatus(paused, 200);
      expect(paused.body).toMatchObject({
        monitoring_state: 'MAINTENANCE',
        current_status: 'maintenance',
        next_check_at: null,
      });
      expect(msFromNow(paused.body.last_state_change_at)).toBeLessThan(10_000);

      const resumed = await api()
        .patch(`/api/hosts/${host.id}`)
        .send({ monitoring_state: 'UNKNOWN' });
      expectStatus(resumed, 200);
      expect(resumed.body).toMatchObject({
        monitoring_state: 'UNKNOWN',
        current_status: 'unknown',
        consecutive_failures: 0,
        consecutive_successes: 0,
        check_priority: 7,
      });
      expect(msFromNow(resumed.body.next_check_at)).toBeLessThan(10_000);
    });

    it('only MAINTENANCE and UNKNOWN can be set by hand', async () => {
      const host = await createHost({ hostname: 'no-forcing' });
      const res = await api().patch(`/api/hosts/${host.id}`).send({ monitoring_state: 'HEALTHY' });
      expectBadField(res, 'monitoring_state');
      expect((await api().get(`/api/hosts/${host.id}`)).body.monitoring_state).toBe('UNKNOWN');
    });

    it('re-activating an inactive host makes it due at once', async () => {
      const host = await createHost({ hostname: 'sleepy', is_active: false });
      await updateHost(
        app.dataSource,
        host.id,
        { next_check_at: "now() + interval '1 day'" },
        { sql: true },
      );
      const res = await api().patch(`/api/hosts/${host.id}`).send({ is_active: true });
      expectStatus(res, 200);
      expect(res.body.is_active).toBe(true);
      expect(msFromNow(res.body.next_check_at)).toBeLessThan(10_000);
    });

    it('resetting the host key clears the pin, in the answer and in the database', async () => {
      const host = await createHost({ hostname: 'pinned' });
      await updateHost(
        app.dataSource,
        host.id,
        {
          host_key_fingerprint: "'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8'",
          host_key_type: "'ssh-ed25519'",
          host_key_first_seen_at: "now() - interval '1 day'",
          monitoring_state: "'HEALTHY'",
          next_check_at: "now() + interval '30 minutes'",
        },
        { sql: true },
      );
      const before = await api().get(`/api/hosts/${host.id}`);
      expect(before.body.host_key_fingerprint).toMatch(/^SHA256:/);

      const res = await api().post(`/api/hosts/${host.id}/host-key/reset`);
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        id: host.id,
        host_key_fingerprint: null,
        host_key_type: null,
        host_key_first_seen_at: null,
        monitoring_state: 'HEALTHY',
      });
      expect(msFromNow(res.body.next_check_at)).toBeLessThan(10_000);
      const rows = await app.dataSource.query(
        'SELECT host_key_fingerprint, host_key_type, host_key_first_seen_at FROM hosts WHERE id = $1',
        [host.id],
      );
      expect(rows).toEqual([
        { host_key_fingerprint: null, host_key_type: null, host_key_first_seen_at: null },
      ]);
    });
  });

  describe('list', () => {
    /** Five hosts in different states, tags, activity and addresses. */
    const seed = async () => {
      const hosts = {
        alpha: await createHost({
          hostname: 'alpha',
          ip_address: '10.1.0.1',
          tags: ['prod', 'web'],
        }),
        bravo: await createHost({
          hostname: 'bravo',
          ip_address: '10.1.0.2',
          tags: ['prod', 'db'],
        }),
        charlie: await createHost({
          hostname: 'charlie',
          ip_address: '192.168.9.3',
          tags: ['dev'],
        }),
        delta: await createHost({ hostname: 'delta', tags: ['prod'], is_active: false }),
        echo: await createHost({ hostname: 'echo', ip_address: '10.1.0.5', tags: [] }),
      };
      const set = (id: string, state: string, priority: number) =>
        updateHost(app.dataSource, id, { monitoring_state: state, check_priority: priority });
      await set(hosts.alpha.id, 'HEALTHY', 3);
      await set(hosts.bravo.id, 'DEGRADED', 6);
      await set(hosts.charlie.id, 'CRITICAL', 9);
      await set(hosts.delta.id, 'DOWN', 4);
      // echo stays UNKNOWN (priority 7)
      return hosts;
    };
    const names = (res: Response) =>
      (res.body.items as { hostname: string }[]).map((h) => h.hostname);

    it('lists by hostname ascending by default, with page, page_size and total', async () => {
      await seed();
      const res = await api().get('/api/hosts');
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ total: 5, page: 1, page_size: 50 });
      expect(names(res)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
      expect(res.body.items[0]).toHaveProperty('monitoring_state', 'HEALTHY');
    });

    it('pages through without gaps or repeats', async () => {
      await seed();
      const seen: string[] = [];
      for (const page of [1, 2, 3]) {
        const res = await api().get('/api/hosts').query({ page, page_size: 2 });
        expectStatus(res, 200);
        expect(res.body).toMatchObject({ total: 5, page, page_size: 2 });
        seen.push(...names(res));
      }
      expect(seen).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
      const beyond = await api().get('/api/hosts').query({ page: 4, page_size: 2 });
      expectStatus(beyond, 200);
      expect(beyond.body).toMatchObject({ items: [], total: 5, page: 4 });
    });

    it('sorts by a field in either order', async () => {
      await seed();
      const desc = await api().get('/api/hosts').query({ sort: 'hostname', order: 'desc' });
      expect(names(desc)).toEqual(['echo', 'delta', 'charlie', 'bravo', 'alpha']);
      const urgent = await api().get('/api/hosts').query({ sort: 'check_priority', order: 'desc' });
      expect(names(urgent)).toEqual(['charlie', 'echo', 'bravo', 'delta', 'alpha']);
      // States by severity, worst first: DOWN, CRITICAL, DEGRADED, UNKNOWN, HEALTHY, MAINTENANCE.
      const states = await api().get('/api/hosts').query({ sort: 'monitoring_state' });
      expect(names(states)).toEqual(['delta', 'charlie', 'bravo', 'echo', 'alpha']);
      const created = await api().get('/api/hosts').query({ sort: 'created_at', order: 'desc' });
      expect(names(created)).toEqual(['echo', 'delta', 'charlie', 'bravo', 'alpha']);
    });

    it('puts hosts without an address last when sorting by ip_address', async () => {
      await seed();
      const res = await api().get('/api/hosts').query({ sort: 'ip_address', order: 'asc' });
      expectStatus(res, 200);
      expect(names(res)).toEqual(['alpha', 'bravo', 'echo', 'charlie', 'delta']);
    });

    it('filters by one state or a comma list of states (case-insensitive)', async () => {
      await seed();
      const one = await api().get('/api/hosts').query({ state: 'CRITICAL' });
      expect(names(one)).toEqual(['charlie']);
      expect(one.body.total).toBe(1);
      const several = await api().get('/api/hosts').query({ state: 'DEGRADED,CRITICAL,DOWN' });
      expect(names(several)).toEqual(['bravo', 'charlie', 'delta']);
      expect(several.body.total).toBe(3);
      const lower = await api().get('/api/hosts').query({ state: 'healthy, unknown' });
      expectStatus(lower, 200);
      expect(names(lower)).toEqual(['alpha', 'echo']);
    });

    it('filters by tag', async () => {
      await seed();
      const prod = await api().get('/api/hosts').query({ tag: 'prod' });
      expect(names(prod)).toEqual(['alpha', 'bravo', 'delta']);
      const none = await api().get('/api/hosts').query({ tag: 'pro' });
      expect(none.body).toMatchObject({ items: [], total: 0 });
    });

    it('searches text in hostname and ip_address, case-insensitively', async () => {
      await seed();
      expect(names(await api().get('/api/hosts').query({ q: 'LPH' }))).toEqual(['alpha']);
      expect(names(await api().get('/api/hosts').query({ q: '10.1.0.' }))).toEqual([
        'alpha',
        'bravo',
        'echo',
      ]);
      expect(names(await api().get('/api/hosts').query({ q: '192.168' }))).toEqual(['charlie']);
    });

    it('treats LIKE wildcards in q as plain text', async () => {
      await seed();
      await createHost({ hostname: 'under_score' });
      expect(names(await api().get('/api/hosts').query({ q: '%' }))).toEqual([]);
      expect(names(await api().get('/api/hosts').query({ q: '_' }))).toEqual(['under_score']);
    });

    it('combines a tag filter with a text search', async () => {
      await seed();
      const res = await api().get('/api/hosts').query({ tag: 'prod', q: 'a' });
      expectStatus(res, 200);
      expect(names(res)).toEqual(['alpha', 'bravo', 'delta']);
    });

    it('filters by is_active, and combines filters', async () => {
      await seed();
      const inactive = await api().get('/api/hosts').query({ is_active: 'false' });
      expect(names(inactive)).toEqual(['delta']);
      const active = await api().get('/api/hosts').query({ is_active: 'true' });
      expect(active.body.total).toBe(4);
      const combined = await api()
        .get('/api/hosts')
        .query({ tag: 'prod', is_active: 'true', state: 'HEALTHY,DEGRADED,DOWN', q: 'a' });
      expect(names(combined)).toEqual(['alpha', 'bravo']);
      expect(combined.body.total).toBe(2);
    });
  });

  describe('bad input is a 400 naming the field', () => {
    let hostId: string;
    beforeEach(async () => {
      hostId = (await createHost({ hostname: 'target' })).id;
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['missing hostname', { ip_address: '10.0.0.1' }, 'hostname'],
      ['hostname with spaces', { hostname: 'my host' }, 'hostname'],
      ['empty hostname', { hostname: '' }, 'hostname'],
      ['hostname of 254 characters', { hostname: 'a'.repeat(254) }, 'hostname'],
      ['hostname that is a number', { hostname: 42 }, 'hostname'],
      ['port 0', { hostname: 'p', port: 0 }, 'port'],
      ['port 70000', { hostname: 'p', port: 70000 }, 'port'],
      ['port as a string', { hostname: 'p', port: '22' }, 'port'],
      ['fractional port', { hostname: 'p', port: 22.5 }, 'port'],
      ['bad IPv4 address', { hostname: 'p', ip_address: '999.1.1.1' }, 'ip_address'],
      ['ip_address that is a name', { hostname: 'p', ip_address: 'example.com' }, 'ip_address'],
      ['unknown property', { hostname: 'p', colour: 'blue' }, 'colour'],
      ['tags not an array', { hostname: 'p', tags: 'prod' }, 'tags'],
      ['duplicate tags', { hostname: 'p', tags: ['prod', 'prod'] }, 'tags'],
      ['a tag with a comma', { hostname: 'p', tags: ['a,b'] }, 'tags'],
      ['an empty tag', { hostname: 'p', tags: [''] }, 'tags'],
      ['a tag that is a number', { hostname: 'p', tags: [7] }, 'tags'],
      ['is_active as a string', { hostname: 'p', is_active: 'yes' }, 'is_active'],
      ['unknown host_key_policy', { hostname: 'p', host_key_policy: 'yolo' }, 'host_key_policy'],
      ['credential_id not a uuid', { hostname: 'p', credential_id: 'abc' }, 'credential_id'],
      [
        'monitoring_state HEALTHY',
        { hostname: 'p', monitoring_state: 'HEALTHY' },
        'monitoring_state',
      ],
    ])('POST with %s', async (_name, body, field) => {
      expectBadField(await api().post('/api/hosts').send(body), field);
      // Nothing was created by the rejected request.
      expect((await api().get('/api/hosts')).body.total).toBe(1);
    });

    it('names every bad field of one request', async () => {
      const res = await api()
        .post('/api/hosts')
        .send({ hostname: 'bad host', port: 0, ip_address: 'x' });
      expectBadField(res, 'hostname');
      expectBadField(res, 'port');
      expectBadField(res, 'ip_address');
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['hostname with spaces', { hostname: 'a b' }, 'hostname'],
      ['port 70000', { port: 70000 }, 'port'],
      ['tags with duplicates', { tags: ['x', 'x'] }, 'tags'],
      ['unknown property', { id: UNKNOWN_UUID }, 'id'],
      ['null hostname', { hostname: null }, 'hostname'],
      ['null port', { port: null }, 'port'],
      ['null tags', { tags: null }, 'tags'],
      ['null is_active', { is_active: null }, 'is_active'],
      ['null host_key_policy', { host_key_policy: null }, 'host_key_policy'],
      ['null monitoring_state', { monitoring_state: null }, 'monitoring_state'],
    ])('PATCH with %s', async (_name, body, field) => {
      expectBadField(await api().patch(`/api/hosts/${hostId}`).send(body), field);
      const got = await api().get(`/api/hosts/${hostId}`);
      expect(got.body).toMatchObject({ id: hostId, hostname: 'target', port: 22, tags: [] });
    });

    it.each<[string, Record<string, string>, string]>([
      ['bad state', { state: 'BROKEN' }, 'state'],
      ['a bad state in a list', { state: 'HEALTHY,NOPE' }, 'state'],
      ['page_size 0', { page_size: '0' }, 'page_size'],
      ['page_size 501', { page_size: '501' }, 'page_size'],
      ['page 0', { page: '0' }, 'page'],
      ['page not a number', { page: 'two' }, 'page'],
      ['sort by an unknown field', { sort: 'password' }, 'sort'],
      ['order sideways', { order: 'sideways' }, 'order'],
      ['is_active maybe', { is_active: 'maybe' }, 'is_active'],
      ['q too long', { q: 'x'.repeat(254) }, 'q'],
      ['unknown parameter', { colour: 'blue' }, 'colour'],
    ])('list with %s', async (_name, query, field) => {
      expectBadField(await api().get('/api/hosts').query(query), field);
    });

    it.each([
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/host-key/reset'],
    ])('%s with a non-UUID id names id', async (method, suffix) => {
      const path = `/api/hosts/not-a-uuid${suffix}`;
      const res =
        method === 'GET'
          ? await api().get(path)
          : method === 'PATCH'
            ? await api().patch(path).send({ port: 23 })
            : method === 'DELETE'
              ? await api().delete(path)
              : await api().post(path);
      expectBadField(res, 'id');
    });

    it('a credential_id that points nowhere is a 400 naming credential_id', async () => {
      expectBadField(
        await api().post('/api/hosts').send({ hostname: 'p', credential_id: UNKNOWN_UUID }),
        'credential_id',
      );
      expectBadField(
        await api().patch(`/api/hosts/${hostId}`).send({ credential_id: UNKNOWN_UUID }),
        'credential_id',
      );
      expect((await api().get(`/api/hosts/${hostId}`)).body.credential_id).toBeNull();
    });
  });

  describe('unknown ids and conflicts', () => {
    it('answers 404 for an unknown id on GET, PATCH, DELETE and host-key reset', async () => {
      const path = `/api/hosts/${UNKNOWN_UUID}`;
      for (const res of [
        await api().get(path),
        await api().patch(path).send({ port: 23 }),
        await api().delete(path),
        await api().post(`${path}/host-key/reset`),
      ]) {
        expectStatus(res, 404);
        expect(res.body.message).toContain(UNKNOWN_UUID);
      }
    });

    it('answers 409 for a duplicate hostname, on create and on rename', async () => {
      await createHost({ hostname: 'taken' });
      const other = await createHost({ hostname: 'other' });
      const dup = await api().post('/api/hosts').send({ hostname: 'taken' });
      expectStatus(dup, 409);
      expect(dup.body.message).toContain('taken');
      const rename = await api().patch(`/api/hosts/${other.id}`).send({ hostname: 'taken' });
      expectStatus(rename, 409);
      expect((await api().get(`/api/hosts/${other.id}`)).body.hostname).toBe('other');
      expect((await api().get('/api/hosts')).body.total).toBe(2);
    });

    it('answers exactly one 201 when the same hostname is created concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () => api().post('/api/hosts').send({ hostname: 'race' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    });
  });

  describe('hostile input never produces a 500', () => {
    it.each<[string, Record<string, unknown>]>([
      ['a 10,000-character hostname', { hostname: 'h'.repeat(10_000) }],
      ['a NUL byte in the hostname', { hostname: 'a\u0000b' }],
      ['a NUL byte in a tag', { hostname: 'nul-tag', tags: ['a\u0000b'] }],
      ['a NUL byte in ip_address', { hostname: 'nul-ip', ip_address: '10.0.0.1\u0000' }],
      ['a unicode hostname', { hostname: 'hôst-ü' }],
      ['an emoji hostname', { hostname: '\u{1F600}' }],
      ['a lone surrogate', { hostname: '\ud800' }],
      ['an object for hostname', { hostname: { $ne: null } }],
      ['an array for hostname', { hostname: ['a', 'b'] }],
      ['an object for port', { hostname: 'p', port: { value: 22 } }],
      ['an object for ip_address', { hostname: 'p', ip_address: { v4: '10.0.0.1' } }],
      ['an object for credential_id', { hostname: 'p', credential_id: { id: UNKNOWN_UUID } }],
      ['objects in tags', { hostname: 'p', tags: [{ name: 'x' }] }],
      ['a tag of 65 characters', { hostname: 'p', tags: ['t'.repeat(65)] }],
      ['51 tags', { hostname: 'p', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
      ['a huge port', { hostname: 'p', port: 1e308 }],
    ])('POST with %s is a 400', async (_name, body) => {
      const res = await api().post('/api/hosts').send(body);
      expectStatus(res, 400);
    });

    it('a __proto__ or constructor key pollutes nothing', async () => {
      const bodies = [
        '{"hostname":"proto-1","__proto__":{"polluted":true}}',
        '{"hostname":"proto-2","constructor":{"prototype":{"polluted":true}}}',
      ];
      for (const text of bodies) {
        const res = await api()
          .post('/api/hosts')
          .set('Content-Type', 'application/json')
          .send(text);
        expect(res.status).toBeLessThan(500);
        expect(res.body).not.toHaveProperty('polluted');
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const list = await api().get('/api/hosts');
      for (const host of list.body.items) expect(host).not.toHaveProperty('polluted');
    });

    it('keeps a unicode tag intact', async () => {
      const body = await createHost({
        hostname: 'intl',
        tags: ['équipe-réseau', '運用', '\u{1F680}'],
      });
      expect(body.tags).toEqual(['équipe-réseau', '運用', '\u{1F680}']);
      const listed = await api().get('/api/hosts').query({ tag: '運用' });
      expect(listed.body.total).toBe(1);
    });

    it.each<[string, string]>([
      ['an array', '[{"hostname":"arr"}]'],
      ['a number', '42'],
      ['a string', '"hostname"'],
      ['null', 'null'],
      ['invalid JSON', '{"hostname": "x",'],
      ['an empty body', ''],
    ])('a JSON body that is %s is a 400', async (_name, text) => {
      const res = await api().post('/api/hosts').set('Content-Type', 'application/json').send(text);
      expectStatus(res, 400);
      expect((await api().get('/api/hosts')).body.total).toBe(0);
    });

    it.each<[string, string]>([
      [
        'a 5,000-level nested object for hostname',
        `{"hostname":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      ],
      [
        'a 5,000-level nested array in tags',
        `{"hostname":"deep","tags":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      ],
    ])('a body with %s (under 256 kB) is a 400', async (_name, text) => {
      const res = await api().post('/api/hosts').set('Content-Type', 'application/json').send(text);
      expectStatus(res, 400);
    });

    it('a PATCH body that is an array is a 400 and changes nothing', async () => {
      const host = await createHost({ hostname: 'stable' });
      const res = await api()
        .patch(`/api/hosts/${host.id}`)
        .set('Content-Type', 'application/json')
        .send('[{"hostname":"changed"}]');
      expectStatus(res, 400);
      expect((await api().get(`/api/hosts/${host.id}`)).body.hostname).toBe('stable');
    });

    it('a body that is not JSON is a 400, not a 500', async () => {
      const res = await api()
        .post('/api/hosts')
        .set('Content-Type', 'text/plain')
        .send('hostname=plain');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });

    it('a body over 256 kB is a 413', async () => {
      const res = await api()
        .post('/api/hosts')
        .send({ hostname: 'big', tags: ['x'], padding: 'y'.repeat(300 * 1024) });
      expectStatus(res, 413);
      expect((await api().get('/api/hosts')).body.total).toBe(0);
    });

    it.each<[string, string]>([
      ['a NUL byte in q', '/api/hosts?q=a%00b'],
      ['a NUL byte in tag', '/api/hosts?tag=a%00b'],
      ['a NUL byte in state', '/api/hosts?state=HEALTHY%00'],
      ['a repeated page parameter', '/api/hosts?page=1&page=2'],
      ['bracketed state', '/api/hosts?state[]=HEALTHY'],
      ['a 5,000-character q', `/api/hosts?q=${'q'.repeat(5000)}`],
      ['a negative page', '/api/hosts?page=-1'],
    ])('list with %s is a 400', async (_name, url) => {
      expectStatus(await api().get(url), 400);
    });

    it('a malformed percent escape in q is searched as text, not a 500', async () => {
      await createHost({ hostname: 'escapee' });
      const res = await api().get('/api/hosts?q=%E0%A4%A');
      expectStatus(res, 200);
      expect(res.body.total).toBe(0);
    });

    it('an id with a NUL byte or of 300 characters is a 400', async () => {
      expectStatus(await api().get('/api/hosts/abc%00def'), 400);
      expectStatus(await api().get(`/api/hosts/${'a'.repeat(300)}`), 400);
    });

    it('survives the hostile requests: the API still answers', async () => {
      expectStatus(await api().get('/health'), 200);
      expectStatus(await api().get('/api/hosts'), 200);
    });
  });
});
