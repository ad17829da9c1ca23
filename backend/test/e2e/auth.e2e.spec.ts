import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, TEST_ADMIN, truncateAll } from '../support/test-env';
import { expectBadField, expectStatus } from './helpers';

describe('Local accounts, sessions, API tokens and the audit log', () => {
  let app: TestApp;

  const login = (username: string, password: string) =>
    app.api(null).post('/api/auth/login').send({ username, password });
  const audit = async (query: Record<string, string>) => {
    const res = await app.api().get('/api/audit').query(query);
    expectStatus(res, 200);
    return res.body as {
      items: Array<Record<string, unknown>>;
      total: number;
      page: number;
      page_size: number;
    };
  };

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    await truncateAll(app.dataSource);
  });

  describe('login, refresh, logout', () => {
    it('logs in with the first admin from ADMIN_USERNAME/ADMIN_PASSWORD', async () => {
      const res = await login(TEST_ADMIN.username, TEST_ADMIN.password);
      expectStatus(res, 200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: expect.stringMatching(/^hwr_[\w-]{43}$/),
        refresh_expires_in: 1209600,
        user: expect.objectContaining({ username: 'admin', role: 'admin', source: 'local' }),
      });
      expect(res.body.user).not.toHaveProperty('password_hash');
      const me = await app.api(res.body.access_token).get('/api/auth/me');
      expectStatus(me, 200);
      expect(me.body).toEqual({
        kind: 'session',
        user_id: res.body.user.id,
        username: 'admin',
        role: 'admin',
      });
    });

    it('refuses a wrong password and an unknown user alike, and audits both', async () => {
      const wrong = await login(TEST_ADMIN.username, 'not-the-password');
      const unknown = await login('nobody-here', 'whatever-password');
      expectStatus(wrong, 401);
      expectStatus(unknown, 401);
      expect(wrong.body.message).toBe(unknown.body.message);
      const failures = await audit({ action: 'auth.login' });
      expect(failures.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ actor: 'admin', outcome: 'failure', source_ip: '127.0.0.1' }),
          expect.objectContaining({ actor: 'nobody-here', outcome: 'failure' }),
        ]),
      );
      expect(JSON.stringify(failures)).not.toContain('not-the-password');
    });

    it('rotates refresh tokens; a rotated-out one coming back ends the whole session', async () => {
      const user = await app.userWithRole('viewer');
      const first = await app.api(null).post('/api/auth/refresh').send({
        refresh_token: user.refresh_token,
      });
      expectStatus(first, 200);
      expect(first.body.refresh_token).not.toBe(user.refresh_token);
      await app.api(first.body.access_token).get('/api/auth/me').expect(200);

      // The old token again: stolen. The session dies, with every token of it.
      const replay = await app.api(null).post('/api/auth/refresh').send({
        refresh_token: user.refresh_token,
      });
      expectStatus(replay, 401);
      const next = await app.api(null).post('/api/auth/refresh').send({
        refresh_token: first.body.refresh_token,
      });
      expectStatus(next, 401);
      await app.api(first.body.access_token).get('/api/auth/me').expect(401);
      await app.api(user.access_token).get('/api/auth/me').expect(401);
      const reuse = await audit({ action: 'auth.refresh_reuse' });
      expect(reuse.items).toEqual([
        expect.objectContaining({
          actor: user.username,
          outcome: 'failure',
          target_type: 'session',
        }),
      ]);
    });

    it('stores refresh tokens only as hashes', async () => {
      const user = await app.userWithRole('viewer');
      const rows = await app.dataSource.query('SELECT token_hash FROM refresh_tokens');
      expect(JSON.stringify(rows)).not.toContain(user.refresh_token);
      expect(rows.every((r: { token_hash: string }) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(
        true,
      );
    });

    it('logout ends the session: its access and refresh tokens stop working', async () => {
      const user = await app.userWithRole('operator');
      await app.api(user.access_token).post('/api/auth/logout').expect(204);
      await app.api(user.access_token).get('/api/hosts').expect(401);
      await app
        .api(null)
        .post('/api/auth/refresh')
        .send({ refresh_token: user.refresh_token })
        .expect(401);
      const other = await login(user.username, user.password);
      expectStatus(other, 200);
    });

    it('changes one own password with the current one; other sessions end', async () => {
      const user = await app.userWithRole('viewer');
      const second = await login(user.username, user.password);
      const wrong = await app
        .api(user.access_token)
        .post('/api/auth/password')
        .send({ current_password: 'not-it-at-all', new_password: 'a-new-password-123' });
      expectBadField(wrong, 'current_password');
      const short = await app
        .api(user.access_token)
        .post('/api/auth/password')
        .send({ current_password: user.password, new_password: 'short' });
      expectBadField(short, 'new_password');
      await app
        .api(user.access_token)
        .post('/api/auth/password')
        .send({ current_password: user.password, new_password: 'a-new-password-123' })
        .expect(204);
      await app.api(user.access_token).get('/api/auth/me').expect(200);
      await app.api(second.body.access_token).get('/api/auth/me').expect(401);
      expectStatus(await login(user.username, user.password), 401);
      expectStatus(await login(user.username, 'a-new-password-123'), 200);
    });
  });

  describe('users (admin)', () => {
    it('creates, lists, changes the role of, disables and deletes users', async () => {
      const created = await app
        .api()
        .post('/api/users')
        .send({ username: 'carol', password: 'carol-password-1', role: 'viewer' });
      expectStatus(created, 201);
      expect(created.body).toEqual({
        id: expect.any(String),
        username: 'carol',
        role: 'viewer',
        is_active: true,
        is_service_account: false,
        source: 'local',
        has_password: true,
        last_login_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const dup = await app
        .api()
        .post('/api/users')
        .send({ username: 'CAROL', password: 'carol-password-1', role: 'viewer' });
      expectStatus(dup, 409);
      expectBadField(
        await app.api().post('/api/users').send({ username: 'dave', role: 'viewer' }),
        'password',
      );
      expectBadField(
        await app.api().post('/api/users').send({ username: 'dave', password: 'x', role: 'root' }),
        'role',
      );

      const session = await login('carol', 'carol-password-1');
      const carol = session.body.access_token as string;
      await app.api(carol).get('/api/hosts').expect(200);
      await app.api(carol).post('/api/hosts').send({ hostname: 'x' }).expect(403);

      // Promoted: the same token can do more at once (the role is read on every request).
      await app.api().patch(`/api/users/${created.body.id}`).send({ role: 'admin' }).expect(200);
      await app.api(carol).post('/api/hosts').send({ hostname: 'made-by-carol' }).expect(201);

      // Disabled: every session stops, and logging in again fails.
      await app.api().patch(`/api/users/${created.body.id}`).send({ is_active: false }).expect(200);
      await app.api(carol).get('/api/hosts').expect(401);
      expectStatus(await login('carol', 'carol-password-1'), 401);

      await app.api().delete(`/api/users/${created.body.id}`).expect(204);
      await app.api().get(`/api/users/${created.body.id}`).expect(404);
      const actions = (await audit({ target_type: 'user' })).items.map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['user.create', 'user.update', 'user.delete']),
      );
    });

    it('keeps at least one active admin', async () => {
      const users = await app.api().get('/api/users').expect(200);
      const admins = users.body.filter(
        (u: { role: string; is_active: boolean }) => u.role === 'admin' && u.is_active,
      );
      for (const extra of admins.filter((u: { username: string }) => u.username !== 'admin')) {
        await app.api().patch(`/api/users/${extra.id}`).send({ is_active: false }).expect(200);
      }
      const me = users.body.find((u: { username: string }) => u.username === 'admin');
      expectStatus(await app.api().patch(`/api/users/${me.id}`).send({ role: 'viewer' }), 409);
      expectStatus(await app.api().patch(`/api/users/${me.id}`).send({ is_active: false }), 409);
      expectStatus(await app.api().delete(`/api/users/${me.id}`), 409);
    });
  });

  describe('API tokens', () => {
    it('are shown once, hashed at rest, act with their role, list last use, and revoke', async () => {
      const operator = await app.userWithRole('operator');
      const created = await app
        .api(operator.access_token)
        .post('/api/tokens')
        .send({ name: 'ci-script', role: 'viewer' });
      expectStatus(created, 201);
      const secret = created.body.token as string;
      expect(secret).toMatch(/^hwt_[\w-]{43}$/);
      expect(created.body).toMatchObject({
        name: 'ci-script',
        role: 'viewer',
        user_id: operator.id,
        created_by: operator.id,
        token_prefix: secret.slice(0, 8),
        expires_at: null,
        last_used_at: null,
        revoked_at: null,
      });
      const rows = await app.dataSource.query('SELECT * FROM api_tokens');
      expect(JSON.stringify(rows)).not.toContain(secret);

      const me = await app.api(secret).get('/api/auth/me');
      expectStatus(me, 200);
      expect(me.body).toEqual({
        kind: 'api_token',
        user_id: operator.id,
        username: operator.username,
        role: 'viewer',
      });
      await app.api(secret).get('/api/hosts').expect(200);
      await app.api(secret).post(`/api/hosts/${created.body.id}/host-key/reset`).expect(403);

      const list = await app.api(operator.access_token).get('/api/tokens');
      expectStatus(list, 200);
      expect(list.body).toHaveLength(1);
      expect(list.body[0].last_used_at).toEqual(expect.any(String));
      expect(JSON.stringify(list.body)).not.toContain(secret);

      await app.api(operator.access_token).delete(`/api/tokens/${created.body.id}`).expect(204);
      await app.api(secret).get('/api/hosts').expect(401);
      const events = (await audit({ target_type: 'api_token' })).items.map((e) => e.action);
      expect(events.sort()).toEqual(['token.create', 'token.revoke']);
    });

    it("never exceed the creator's role; only admins make them for service accounts", async () => {
      const viewer = await app.userWithRole('viewer');
      expectBadField(
        await app.api(viewer.access_token).post('/api/tokens').send({ name: 'x', role: 'admin' }),
        'role',
      );
      const own = await app.api(viewer.access_token).post('/api/tokens').send({ name: 'mine' });
      expectStatus(own, 201);
      expect(own.body.role).toBe('viewer');

      const robot = await app
        .api()
        .post('/api/users')
        .send({ username: 'report-bot', role: 'operator', is_service_account: true });
      expectStatus(robot, 201);
      expectStatus(
        await login('report-bot', 'anything-at-all'),
        401, // a service account has no password
      );
      const operator = await app.userWithRole('operator');
      expectStatus(
        await app
          .api(operator.access_token)
          .post('/api/tokens')
          .send({ name: 'bot', user_id: robot.body.id }),
        403,
      );
      const forBot = await app
        .api()
        .post('/api/tokens')
        .send({ name: 'bot', user_id: robot.body.id, role: 'admin' });
      expectBadField(forBot, 'role'); // the service account is only an operator
      const ok = await app
        .api()
        .post('/api/tokens')
        .send({ name: 'bot', user_id: robot.body.id, role: 'operator' });
      expectStatus(ok, 201);
      const me = await app.api(ok.body.token).get('/api/auth/me').expect(200);
      expect(me.body).toMatchObject({ username: 'report-bot', role: 'operator' });
      // Demoting the owner demotes its tokens.
      await app.api().patch(`/api/users/${robot.body.id}`).send({ role: 'viewer' }).expect(200);
      const after = await app.api(ok.body.token).get('/api/auth/me').expect(200);
      expect(after.body.role).toBe('viewer');
    });

    it('expire', async () => {
      const viewer = await app.userWithRole('viewer');
      expectBadField(
        await app
          .api(viewer.access_token)
          .post('/api/tokens')
          .send({ name: 'old', expires_at: '2000-01-01T00:00:00Z' }),
        'expires_at',
      );
      const soon = await app
        .api(viewer.access_token)
        .post('/api/tokens')
        .send({ name: 'soon', expires_at: new Date(Date.now() + 3600_000).toISOString() });
      expectStatus(soon, 201);
      await app.api(soon.body.token).get('/api/hosts').expect(200);
      await app.dataSource.query(
        `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [soon.body.id],
      );
      await app.api(soon.body.token).get('/api/hosts').expect(401);
    });
  });

  describe('audit log', () => {
    it('records who changed what, from where, and filters by actor, action, time and page', async () => {
      const before = new Date(Date.now() - 1000).toISOString();
      const host = await app.api().post('/api/hosts').send({ hostname: 'audited-1' }).expect(201);
      await app.api().patch(`/api/hosts/${host.body.id}`).send({ port: 2222 }).expect(200);
      await app.api().post(`/api/hosts/${host.body.id}/host-key/reset`).expect(200);
      await app.api().put('/api/monitoring/scheduler').send({ enabled: false }).expect(200);
      await app.api().put('/api/monitoring/policy').send({ jitter_ratio: 0.05 });
      await app
        .api()
        .post('/api/credentials')
        .send({ name: 'c', username: 'u', auth_method: 'password', password: 'cred-secret-99' })
        .expect(201);
      await app.api().delete(`/api/hosts/${host.body.id}`).expect(204);

      const all = await audit({ actor: 'ADMIN', since: before });
      const actions = all.items.map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'host.create',
          'host.update',
          'host.host_key_reset',
          'settings.scheduler_update',
          'credential.create',
          'host.delete',
        ]),
      );
      // Newest first.
      expect(actions[0]).toBe('host.delete');
      expect(all.items[0]).toEqual({
        id: expect.any(String),
        occurred_at: expect.any(String),
        actor: 'admin',
        actor_type: 'session',
        actor_user_id: expect.any(String),
        action: 'host.delete',
        outcome: 'success',
        target_type: 'host',
        target_id: host.body.id,
        source_ip: '127.0.0.1',
        details: { hostname: 'audited-1', ip_address: null },
      });
      expect(JSON.stringify(all)).not.toContain('cred-secret-99');

      const updates = await audit({ action: 'host.update' });
      expect(updates.items).toHaveLength(1);
      expect(updates.items[0].details).toEqual({ hostname: 'audited-1', changed: { port: 2222 } });

      const page = await audit({ page: '2', page_size: '2', since: before });
      expect(page.page).toBe(2);
      expect(page.items).toHaveLength(2);
      expect(page.items[0].id).toBe(all.items[2].id);

      const none = await audit({ until: before });
      expect(none.items.filter((e) => e.action === 'host.create')).toEqual([]);
      expectBadField(await app.api().get('/api/audit').query({ since: 'yesterday' }), 'since');
    });

    it('is append-only, down to the database', async () => {
      await app.api().post('/api/hosts').send({ hostname: 'audited-2' }).expect(201);
      await expect(
        app.dataSource.query(`UPDATE audit_log SET actor = 'someone-else'`),
      ).rejects.toThrow(/append-only/);
      await expect(app.dataSource.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });
  });
});
