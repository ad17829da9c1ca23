import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { expectBadField, expectStatus } from './helpers';

/** The admin console's token list: every account's tokens, for admins only. */
describe("GET /api/tokens?all=true (every account's tokens)", () => {
  let app: TestApp;

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it("lists every account's tokens for an admin, newest first, never with a secret", async () => {
    const operator = await app.userWithRole('operator');
    const viewer = await app.userWithRole('viewer');
    const first = await app.api(operator.access_token).post('/api/tokens').send({ name: 'op-1' });
    expectStatus(first, 201);
    const second = await app.api(viewer.access_token).post('/api/tokens').send({ name: 'view-1' });
    expectStatus(second, 201);
    const mine = await app.api().post('/api/tokens').send({ name: 'admin-1' });
    expectStatus(mine, 201);

    const all = await app.api().get('/api/tokens').query({ all: 'true' });
    expectStatus(all, 200);
    const names = (all.body as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(['admin-1', 'view-1', 'op-1']);
    const owners = Object.fromEntries(
      (all.body as { name: string; user_id: string }[]).map((t) => [t.name, t.user_id]),
    );
    expect(owners['op-1']).toBe(operator.id);
    expect(owners['view-1']).toBe(viewer.id);
    const text = JSON.stringify(all.body);
    for (const secret of [first.body.token, second.body.token, mine.body.token]) {
      expect(text).not.toContain(secret);
    }
    expect(all.body[0]).not.toHaveProperty('token');

    // Without all, an admin still sees only their own.
    const own = await app.api().get('/api/tokens');
    expectStatus(own, 200);
    expect((own.body as { name: string }[]).map((t) => t.name)).toEqual(['admin-1']);
    // all=false is the same as leaving it out.
    const notAll = await app.api().get('/api/tokens').query({ all: 'false' });
    expect((notAll.body as { name: string }[]).map((t) => t.name)).toEqual(['admin-1']);
  });

  it('refuses it to anyone but an admin', async () => {
    const operator = await app.userWithRole('operator');
    expectStatus(
      await app.api(operator.access_token).get('/api/tokens').query({ all: 'true' }),
      403,
    );
  });

  it('names the field when all is not a boolean or comes with user_id', async () => {
    expectBadField(await app.api().get('/api/tokens').query({ all: 'yes' }), 'all');
    const viewer = await app.userWithRole('viewer');
    expectBadField(
      await app.api().get('/api/tokens').query({ all: 'true', user_id: viewer.id }),
      'all',
    );
  });
});
