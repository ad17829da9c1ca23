import { request } from 'node:http';
import { createTestApp, type Api, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';
import { expectBadField, expectStatus } from './helpers';

/** POST /api/hosts/import against the real app and database: every format, every refusal. */
describe('host import', () => {
  let app: TestApp;
  let api: Api;
  const MAX = 64 * 1024;

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({ env: { IMPORT_MAX_BYTES: String(MAX) } });
    api = app.api();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await truncateAll(app.dataSource);
    await app.dataSource.query('DELETE FROM credentials');
  });

  const raw = (body: string | Buffer, type: string, query = '') =>
    api.post(`/api/hosts/import${query}`).set('Content-Type', type).send(body);
  /** A CSV upload in chunks (no Content-Length); resolves with the answer's status. */
  const chunked = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        `${app.url}/api/hosts/import`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${app.adminToken}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 8192) req.write(body.slice(i, i + 8192));
      req.end();
    });
  const hosts = async () =>
    (await api.get('/api/hosts?page_size=200&sort=hostname').expect(200)).body.items as Array<
      Record<string, unknown>
    >;
  const credential = async (name: string, username: string) =>
    (
      await api
        .post('/api/credentials')
        .send({ name, username, auth_method: 'password', password: 'pw-12345678' })
        .expect(201)
    ).body.id as string;

  const CSV = [
    'hostname,ip_address,port,username,credential,tags,description,is_active',
    'web-1,10.0.0.1,22,,ops,web;eu,front door,true',
    'web-2,10.0.0.2,2222,deploy,,web,,false',
    'bad host,10.0.0.3,22,,,,,',
    'web-3,10.0.0.300,70000,,nobody,,,maybe',
    'WEB-1,10.0.0.9,22,,,,,',
    '',
    'db-1,,,,,db,,',
  ].join('\n');

  it('reports line by line on a dry run and changes nothing', async () => {
    await credential('ops', 'root');
    await credential('deployer', 'deploy');
    const res = await raw(CSV, 'text/csv', '?dry_run=true');
    expectStatus(res, 200);
    expect(res.body).toEqual({
      dry_run: true,
      created: 3,
      updated: 0,
      refused: 3,
      rows: [
        { line: 2, hostname: 'web-1', action: 'create', errors: [] },
        { line: 3, hostname: 'web-2', action: 'create', errors: [] },
        {
          line: 4,
          hostname: 'bad host',
          action: 'refuse',
          errors: [expect.stringMatching(/^hostname: /)],
        },
        {
          line: 5,
          hostname: 'web-3',
          action: 'refuse',
          errors: expect.arrayContaining([
            'is_active: must be true or false',
            "credential: no credential named 'nobody'",
            expect.stringMatching(/^ip_address: /),
            expect.stringMatching(/^port: /),
          ]),
        },
        {
          line: 6,
          hostname: 'WEB-1',
          action: 'refuse',
          errors: ["hostname: 'WEB-1' is already on line 2 of this file"],
        },
        { line: 8, hostname: 'db-1', action: 'create', errors: [] },
      ],
    });
    expect(await hosts()).toEqual([]);
  });

  it('applies the good rows in one go, then updates by hostname; one audit row per import', async () => {
    const ops = await credential('ops', 'root');
    const deployer = await credential('deployer', 'deploy');
    const res = await raw(CSV, 'text/csv');
    expect(res.body).toMatchObject({ dry_run: false, created: 3, updated: 0, refused: 3 });
    const [db, web1, web2] = await hosts();
    expect(web1).toMatchObject({
      hostname: 'web-1',
      ip_address: '10.0.0.1',
      port: 22,
      credential_id: ops,
      tags: ['web', 'eu'],
      description: 'front door',
      is_active: true,
      monitoring_state: 'UNKNOWN',
    });
    expect(web2).toMatchObject({
      port: 2222,
      credential_id: deployer,
      is_active: false,
      tags: ['web'],
    });
    expect(db).toMatchObject({ ip_address: null, port: 22, credential_id: null, tags: ['db'] });

    // Only the columns the file has change; the name matches without case.
    const update = await raw('hostname,tags\nWEB-1,moved\nnew-1,\n', 'text/csv');
    expect(update.body).toMatchObject({ created: 1, updated: 1, refused: 0 });
    const after = (await hosts()).find((h) => h.id === web1.id);
    expect(after).toMatchObject({
      hostname: 'web-1',
      tags: ['moved'],
      ip_address: '10.0.0.1',
      credential_id: ops,
    });
    const audit = (await api.get('/api/audit?action=host.import').expect(200)).body;
    expect(audit.total).toBe(2);
    expect(audit.items.map((i: { details: unknown }) => i.details)).toContainEqual(
      expect.objectContaining({ format: 'csv', created: 3, updated: 0, refused: 3 }),
    );
  });

  it('with atomic=true applies nothing when a row is refused, naming each refused line', async () => {
    await credential('ops', 'root');
    const res = await raw(CSV, 'text/csv', '?atomic=true');
    for (const line of ['line 4', 'line 5', 'line 6']) expectBadField(res, line);
    expect(await hosts()).toEqual([]);
    const good = await raw('hostname\nok-1\nok-2\n', 'text/csv', '?atomic=true');
    expect(good.body).toMatchObject({ created: 2, refused: 0 });
  });

  it('reads Ansible INI from a multipart form and YAML and text/plain from the raw body', async () => {
    await credential('deployer', 'deploy');
    const ini = '[web]\nweb[1:2] ansible_host=10.1.0.1 ansible_user=deploy\n[prod:children]\nweb\n';
    const form = await api.post('/api/hosts/import').attach('file', Buffer.from(ini), {
      filename: 'hosts.ini',
      contentType: 'application/octet-stream',
    });
    expectStatus(form, 200);
    expect(form.body.rows).toEqual([
      { line: 2, hostname: 'web1', action: 'create', errors: [] },
      { line: 2, hostname: 'web2', action: 'create', errors: [] },
    ]);
    expect((await hosts())[0]).toMatchObject({ tags: ['prod', 'web'], ip_address: '10.1.0.1' });

    const yaml =
      'all:\n  children:\n    db:\n      hosts:\n        db-1:\n          ansible_port: 2200\n';
    const fromYaml = await raw(yaml, 'application/yaml');
    expect(fromYaml.body.rows).toEqual([
      { line: 5, hostname: 'db-1', action: 'create', errors: [] },
    ]);
    const plain = await raw('[edge]\nedge-1\n', 'text/plain', '?format=ansible-ini');
    expect(plain.body).toMatchObject({ created: 1 });
    // ?format= wins over the Content-Type.
    const overridden = await raw('hostname\ncsv-1\n', 'application/yaml', '?format=csv');
    expect(overridden.body).toMatchObject({ created: 1 });
    expect((await hosts()).map((h) => h.hostname)).toEqual([
      'csv-1',
      'db-1',
      'edge-1',
      'web1',
      'web2',
    ]);
  });

  it('refuses a bad upload with the status and field that say why', async () => {
    const big = 'hostname\n' + 'h\n'.repeat(MAX);
    const tooLarge = await raw(big, 'text/csv');
    expectStatus(tooLarge, 413);
    expect(tooLarge.body.message).toMatch(/IMPORT_MAX_BYTES/);
    const tooLargeForm = await api
      .post('/api/hosts/import')
      .attach('file', Buffer.from(big), { filename: 'big.csv' });
    expectStatus(tooLargeForm, 413);
    // Sent in chunks, with no Content-Length: refused as the bytes pass the limit.
    expect(await chunked(big)).toBe(413);
    expectStatus(await raw('{"hostname":"x"}', 'application/json'), 415);
    expectBadField(await raw('[web]\nx\n', 'text/plain'), 'format');
    expectBadField(await raw('web-1,10.0.0.1\n', 'text/csv'), 'line 1');
    expectBadField(
      await raw('[a:children]\nb\n[b:children]\na\n', 'text/plain', '?format=ansible-ini'),
      'line 4',
    );
    expectBadField(await raw('hostname\nx\n', 'text/csv', '?format=excel'), 'format');
    expectBadField(await raw('hostname\nx\n', 'text/csv', '?dry_run=maybe'), 'dry_run');
    const noFile = await api.post('/api/hosts/import').field('other', 'x');
    expectBadField(noFile, 'file');
    const operator = await app.userWithRole('operator');
    const refused = await app
      .api(operator.access_token)
      .post('/api/hosts/import')
      .set('Content-Type', 'text/csv')
      .send('hostname\nx\n');
    expectStatus(refused, 403);
    expect(await hosts()).toEqual([]);
  });
});
