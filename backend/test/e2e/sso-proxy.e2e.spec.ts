import { request as httpRequest } from 'node:http';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One request to the app from a chosen loopback source address (127.0.0.0/8 is all local). */
function from(
  app: TestApp,
  localAddress: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const { port } = new URL(app.url!);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: Number(port), localAddress, method, path, headers },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('SSO-proxy mode', () => {
  let app: TestApp;
  const PROXY = '127.0.0.2';
  const ELSEWHERE = '127.0.0.3';
  const header = (user: string) => ({ 'X-Forwarded-User': user });

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({
      env: { AUTH_PROXY_HEADER: 'X-Forwarded-User', AUTH_TRUSTED_PROXIES: `${PROXY}/32` },
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('trusts the header from the proxy: the user is created as a viewer on first sight', async () => {
    const me = await from(app, PROXY, 'GET', '/api/auth/me', header('alice.sso'));
    expect(me).toEqual({
      status: 200,
      body: { kind: 'proxy', user_id: expect.any(String), username: 'alice.sso', role: 'viewer' },
    });
    const users = await app.api().get('/api/users').expect(200);
    expect(users.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          username: 'alice.sso',
          role: 'viewer',
          source: 'proxy',
          has_password: false,
        }),
      ]),
    );
    expect((await from(app, PROXY, 'GET', '/api/hosts', header('alice.sso'))).status).toBe(200);
    expect(
      (await from(app, PROXY, 'PUT', '/api/monitoring/scheduler', header('alice.sso'))).status,
    ).toBe(403);
    // The same person again is the same user, whatever the case of the name.
    const again = await from(app, PROXY, 'GET', '/api/auth/me', header('ALICE.sso'));
    expect(again.body.user_id).toBe(me.body.user_id);
  });

  it('ignores the header from any other address, X-Forwarded-For or not', async () => {
    expect((await from(app, ELSEWHERE, 'GET', '/api/auth/me', header('alice.sso'))).status).toBe(
      401,
    );
    expect(
      (
        await from(app, ELSEWHERE, 'GET', '/api/auth/me', {
          ...header('admin'),
          'X-Forwarded-For': PROXY,
        })
      ).status,
    ).toBe(401);
    // With a token of its own, the caller is who the token says, not who the header says.
    const viewer = await app.userWithRole('viewer');
    const me = await from(app, ELSEWHERE, 'GET', '/api/auth/me', {
      ...header('admin'),
      Authorization: `Bearer ${viewer.access_token}`,
    });
    expect(me.body).toMatchObject({ kind: 'session', username: viewer.username, role: 'viewer' });
  });

  it('follows role changes and disabling by an admin', async () => {
    await from(app, PROXY, 'GET', '/api/auth/me', header('bob.sso'));
    const users = await app.api().get('/api/users').expect(200);
    const bob = users.body.find((u: { username: string }) => u.username === 'bob.sso');
    await app.api().patch(`/api/users/${bob.id}`).send({ role: 'operator' }).expect(200);
    expect((await from(app, PROXY, 'GET', '/api/auth/me', header('bob.sso'))).body.role).toBe(
      'operator',
    );
    await app.api().patch(`/api/users/${bob.id}`).send({ is_active: false }).expect(200);
    expect((await from(app, PROXY, 'GET', '/api/auth/me', header('bob.sso'))).status).toBe(401);
  });

  it('refuses a header that is not a username', async () => {
    expect((await from(app, PROXY, 'GET', '/api/auth/me', header('a b; drop'))).status).toBe(401);
  });
});
