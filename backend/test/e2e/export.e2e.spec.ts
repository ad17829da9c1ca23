import { parse } from 'csv-parse/sync';
import { createTestApp, type Api, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';
import { expectBadField, expectStatus } from './helpers';

/** GET /api/hosts/export and GET /api/monitoring/history/export against the real app. */
describe('exports', () => {
  let app: TestApp;
  let api: Api;

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
    await app.dataSource.query('DELETE FROM credentials');
  });

  /** GET as text, whatever the Content-Type. */
  const text = async (path: string) => {
    const res = await api
      .get(path)
      .buffer(true)
      .parse((r, done) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (body += c));
        r.on('end', () => done(null, body));
      });
    expectStatus(res, 200);
    return { body: res.body as string, type: res.headers['content-type'] as string };
  };
  const host = async (body: Record<string, unknown>) =>
    (await api.post('/api/hosts').send(body).expect(201)).body as { id: string };

  const fleet = async () => {
    const cred = (
      await api
        .post('/api/credentials')
        .send({ name: 'ops', username: 'root', auth_method: 'password', password: 'pw-12345678' })
        .expect(201)
    ).body.id;
    const bastion = await host({ hostname: 'bastion', ip_address: '10.0.0.1', tags: ['edge'] });
    await host({
      hostname: 'web-1',
      ip_address: '10.0.0.2',
      port: 2222,
      credential_id: cred,
      tags: ['web', '-eu'],
      description: '=HYPERLINK("http://evil")',
      jump_host_id: bastion.id,
    });
    await host({
      hostname: 'db-1',
      is_active: false,
      description: 'a, "quoted" note',
      tags: ['-db'],
    });
  };

  it('exports hosts as CSV that imports back unchanged, formulas escaped', async () => {
    await fleet();
    const { body, type } = await text('/api/hosts/export?format=csv');
    expect(type).toMatch(/^text\/csv/);
    const rows: string[][] = parse(body);
    expect(rows[0].slice(0, 8)).toEqual([
      'hostname',
      'ip_address',
      'port',
      'username',
      'credential',
      'tags',
      'description',
      'is_active',
    ]);
    expect(rows[0]).toEqual(
      expect.arrayContaining(['parent_host', 'jump_host', 'monitoring_state']),
    );
    const web = Object.fromEntries(rows[0].map((c, i) => [c, rows[3][i]]));
    expect(web).toMatchObject({
      hostname: 'web-1',
      port: '2222',
      username: 'root',
      credential: 'ops',
      tags: 'web;-eu',
      description: `'=HYPERLINK("http://evil")`,
      jump_host: 'bastion',
      is_active: 'true',
    });
    expect(rows.map((r) => r[0])).toEqual(['hostname', 'bastion', 'db-1', 'web-1']);
    expect(rows[2][5]).toBe("'-db");

    const before = (await api.get('/api/hosts?sort=hostname').expect(200)).body.items;
    const back = await api.post('/api/hosts/import').set('Content-Type', 'text/csv').send(body);
    expect(back.body).toMatchObject({ created: 0, updated: 3, refused: 0 });
    const after = (await api.get('/api/hosts?sort=hostname').expect(200)).body.items;
    expect(after).toEqual(before);
    expect(after[2]).toMatchObject({
      description: '=HYPERLINK("http://evil")',
      tags: ['web', '-eu'],
    });
  });

  it('exports hosts as NDJSON and as an Ansible inventory that imports elsewhere', async () => {
    await fleet();
    const nd = await text('/api/hosts/export?format=ndjson');
    const objects = nd.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objects.map((o) => o.hostname)).toEqual(['bastion', 'db-1', 'web-1']);
    expect(objects[2]).toMatchObject({ tags: ['web', '-eu'], jump_host: 'bastion', port: 2222 });

    const ini = await text('/api/hosts/export?format=ansible-ini');
    expect(ini.body).toContain('web-1 ansible_host=10.0.0.2 ansible_port=2222 ansible_user=root\n');
    expect(ini.body).toContain('\n[_eu]\nweb-1\n');
    // Another hostwatch, with its own credential for the same login.
    await truncateAll(app.dataSource);
    await app.dataSource.query('DELETE FROM credentials');
    const login = (
      await api
        .post('/api/credentials')
        .send({
          name: 'root-login',
          username: 'root',
          auth_method: 'password',
          password: 'pw-87654321',
        })
        .expect(201)
    ).body.id;
    const imported = await api
      .post('/api/hosts/import?format=ansible-ini')
      .set('Content-Type', 'text/plain')
      .send(ini.body);
    expect(imported.body).toMatchObject({ created: 3, refused: 0 });
    const web = (await api.get('/api/hosts?q=web-1').expect(200)).body.items[0];
    expect(web).toMatchObject({
      ip_address: '10.0.0.2',
      port: 2222,
      credential_id: login,
    });
    expect([...web.tags].sort()).toEqual(['_eu', 'web']);
    expectBadField(await api.get('/api/hosts/export?format=xlsx'), 'format');
  });

  it('streams check history through a cursor, filtered, oldest first', async () => {
    const a = await host({ hostname: 'hist-a', tags: ['blue'] });
    const b = await host({ hostname: 'hist-b' });
    // 2,500 checks of a (more than one cursor batch), 10 of b; every 5th of a fails.
    await app.dataSource.query(
      `INSERT INTO host_check_history (host_id, check_time, monitoring_state, previous_state,
         response_time_ms, success, error_message, error_type, checked_by, task_id, stage)
       SELECT $1::uuid, timestamptz '2026-01-01' + i * interval '1 minute',
              CASE WHEN i % 5 = 0 THEN 'DEGRADED' ELSE 'HEALTHY' END, 'HEALTHY', 12, i % 5 <> 0,
              CASE WHEN i % 5 = 0 THEN '@evil, "refused"' END,
              CASE WHEN i % 5 = 0 THEN 'refused' END, 'system', 'a-' || i,
              CASE WHEN i % 5 = 0 THEN 'connect' ELSE 'auth' END
         FROM generate_series(1, 2500) i
       UNION ALL
       SELECT $2::uuid, timestamptz '2026-01-01' + i * interval '1 minute', 'HEALTHY', 'HEALTHY', 5,
              true, NULL, NULL, 'jit', 'b-' || i, 'auth'
         FROM generate_series(1, 10) i`,
      [a.id, b.id],
    );
    const all = parse((await text('/api/monitoring/history/export')).body) as string[][];
    expect(all[0]).toEqual([
      'check_time',
      'host_id',
      'hostname',
      'monitoring_state',
      'previous_state',
      'success',
      'response_time_ms',
      'stage',
      'error_type',
      'error_message',
      'unreachable',
      'checked_by',
      'task_id',
    ]);
    expect(all).toHaveLength(2511);
    const times = all.slice(1).map((r) => Date.parse(r[0]));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const failed = all.find((r) => r[12] === 'a-5') as string[];
    expect(failed[9]).toBe(`'@evil, "refused"`);

    const down = await text(
      `/api/monitoring/history/export?format=ndjson&tag=blue&state=degraded&from=2026-01-01T01:00:00Z&to=2026-01-01T02:00:00Z`,
    );
    const lines = down.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Minutes 60..119 of host a, every 5th: 12 checks.
    expect(lines).toHaveLength(12);
    expect(lines.every((l) => l.hostname === 'hist-a' && l.success === false)).toBe(true);
    const onlyB = parse((await text(`/api/monitoring/history/export?host_id=${b.id}`)).body);
    expect(onlyB).toHaveLength(11);

    expectBadField(
      await api.get(
        '/api/monitoring/history/export?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      ),
      'from',
    );
    expectBadField(await api.get('/api/monitoring/history/export?state=ASLEEP'), 'state');
    expectBadField(await api.get('/api/monitoring/history/export?from=yesterday'), 'from');
    expectBadField(await api.get('/api/monitoring/history/export?host_id=42'), 'host_id');
  });
});
