import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { freePort, type OidcProviderProcess, signingKey, startOidcProvider } from '../support/oidc';

const RESOURCE = 'https://hostwatch.test/api';

/** A browser's cookie jar, just enough for the IdP's interaction and session cookies. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Follows redirects like a browser until the answer is not a redirect (or leaves `stopAt`). */
async function browse(
  start: string,
  jar: Jar,
  stopAt?: string,
): Promise<{ res: Response; url: string }> {
  let url = start;
  for (let hop = 0; hop < 15; hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return { res, url };
    url = new URL(location, url).href;
    if (stopAt && url.startsWith(stopAt)) return { res, url };
  }
  throw new Error(`too many redirects from ${start}`);
}

describe('OIDC single sign-on against a real OpenID Provider', () => {
  let app: TestApp;
  let idp: OidcProviderProcess;
  let otherIdp: OidcProviderProcess;
  let redirectUri: string;

  const me = (token: string) => app.api(token).get('/api/auth/me');

  beforeAll(async () => {
    await cleanDatabase();
    const [idpPort, otherPort, appPort] = [await freePort(), await freePort(), await freePort()];
    redirectUri = `http://127.0.0.1:${appPort}/api/auth/oidc/callback`;
    idp = await startOidcProvider({
      port: idpPort,
      jwk: await signingKey('key-a'),
      redirectUri,
      resource: RESOURCE,
    });
    otherIdp = await startOidcProvider({
      port: otherPort,
      jwk: await signingKey('key-other'),
      redirectUri,
      resource: RESOURCE,
    });
    app = await createTestApp({
      env: {
        PORT: String(appPort),
        OIDC_ISSUER: idp.issuer,
        OIDC_AUDIENCE: RESOURCE,
        OIDC_ROLE_MAP: 'ops-admins:admin,ops:operator,staff:viewer',
        OIDC_CLIENT_ID: 'hostwatch-console',
        OIDC_CLIENT_SECRET: 'console-secret',
        OIDC_REDIRECT_URI: redirectUri,
        OIDC_SCOPES: 'openid profile',
        OIDC_JWKS_CACHE_SECONDS: '1',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await idp?.stop();
    await otherIdp?.stop();
  });

  describe('bearer tokens from the IdP', () => {
    it.each([
      ['admin-bot', 'admin'],
      ['operator-bot', 'operator'],
      ['viewer-bot', 'viewer'],
    ])('accepts a token of %s and maps its groups to %s', async (client, role) => {
      const token = await idp.clientToken(client, RESOURCE);
      const res = await me(token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ kind: 'oidc', user_id: null, username: client, role });
    });

    it('enforces the mapped role on routes', async () => {
      const viewer = await idp.clientToken('viewer-bot', RESOURCE);
      const operator = await idp.clientToken('operator-bot', RESOURCE);
      await app.api(viewer).get('/api/hosts').expect(200);
      await app.api(viewer).put('/api/monitoring/scheduler').send({ enabled: true }).expect(403);
      await app.api(operator).put('/api/monitoring/scheduler').send({ enabled: true }).expect(403);
      const admin = await idp.clientToken('admin-bot', RESOURCE);
      await app.api(admin).put('/api/monitoring/scheduler').send({ enabled: true }).expect(200);
      const audit = await app
        .api()
        .get('/api/audit')
        .query({ action: 'settings.scheduler_update' });
      expect(audit.body.items[0]).toMatchObject({ actor: 'admin-bot', actor_type: 'oidc' });
    });

    it('refuses a valid token whose groups map to no role, saying why', async () => {
      const token = await idp.clientToken('nobody-bot', RESOURCE);
      const res = await app.api(token).get('/api/hosts');
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/OIDC_ROLE_MAP/);
    });

    it('refuses a token from another issuer', async () => {
      const token = await otherIdp.clientToken('admin-bot', RESOURCE);
      await me(token).expect(401);
    });

    it('refuses a token for another audience', async () => {
      const token = await idp.clientToken('admin-bot', 'https://other-service.test/api');
      await me(token).expect(401);
    });

    it('refuses an expired token', async () => {
      const token = await idp.clientToken('short-bot', RESOURCE); // lives 1 second
      await new Promise((r) => setTimeout(r, 2100));
      await me(token).expect(401);
    });

    it('refuses a token whose signature was tampered with', async () => {
      const token = await idp.clientToken('viewer-bot', RESOURCE);
      const [h, p, s] = token.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      claims.groups = ['ops-admins'];
      await me(`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`).expect(
        401,
      );
    });
  });

  describe('the console login: authorization code + PKCE', () => {
    it('logs in end to end and opens a hostwatch session with the role from the IdP', async () => {
      await idp.loginAs('oidc-olga');
      const jar = new Jar();
      const start = await fetch(`${app.url}/api/auth/oidc/login`, { redirect: 'manual' });
      expect(start.status).toBe(302);
      jar.take(start);
      const authorize = new URL(start.headers.get('location')!);
      expect(authorize.origin).toBe(idp.issuer);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(authorize.searchParams.get('redirect_uri')).toBe(redirectUri);

      const { res, url } = await browse(authorize.href, jar);
      expect(url.startsWith(redirectUri)).toBe(true);
      const body = (await res.json()) as { access_token: string; refresh_token: string };
      expect(res.status).toBe(200);
      expect(body).toMatchObject({
        token_type: 'Bearer',
        user: { username: 'oidc-olga', role: 'operator', source: 'oidc', has_password: false },
      });
      const who = await me(body.access_token).expect(200);
      expect(who.body).toMatchObject({ kind: 'session', username: 'oidc-olga', role: 'operator' });
      // The session refreshes like a local one.
      await app
        .api(null)
        .post('/api/auth/refresh')
        .send({ refresh_token: body.refresh_token })
        .expect(200);
      const audit = await app.api().get('/api/audit').query({ action: 'auth.oidc_login' });
      expect(audit.body.items[0]).toMatchObject({ actor: 'oidc-olga', outcome: 'success' });
    });

    it('refuses a person whose groups map to no role', async () => {
      await idp.loginAs('oidc-nobody');
      const jar = new Jar();
      const start = await fetch(`${app.url}/api/auth/oidc/login`, { redirect: 'manual' });
      jar.take(start);
      const { res } = await browse(start.headers.get('location')!, jar);
      expect(res.status).toBe(403);
    });

    it('never takes over a local account that has the same name', async () => {
      await app
        .api()
        .post('/api/users')
        .send({ username: 'oidc-alice', password: 'local-alice-password', role: 'viewer' })
        .expect(201);
      await idp.loginAs('oidc-alice');
      const jar = new Jar();
      const start = await fetch(`${app.url}/api/auth/oidc/login`, { redirect: 'manual' });
      jar.take(start);
      const { res } = await browse(start.headers.get('location')!, jar);
      expect(res.status).toBe(409);
      const users = await app.api().get('/api/users').expect(200);
      expect(
        users.body.find((u: { username: string }) => u.username === 'oidc-alice'),
      ).toMatchObject({ role: 'viewer', source: 'local' });
    });

    it('refuses a callback without the browser that started the login, or with another state', async () => {
      await idp.loginAs('oidc-vera');
      const jar = new Jar();
      const start = await fetch(`${app.url}/api/auth/oidc/login`, { redirect: 'manual' });
      jar.take(start);
      const { url } = await browse(start.headers.get('location')!, jar, redirectUri);
      // Another browser (no hw_oidc cookie) presents the code: refused.
      const stranger = await fetch(url);
      expect(stranger.status).toBe(400);
      // The same browser with a forged state: refused.
      const forged = new URL(url);
      forged.searchParams.set('state', 'forged-state');
      const res = await fetch(forged, { headers: { cookie: jar.header() } });
      expect(res.status).toBe(401);
    });
  });

  describe("the console's sign-in: back into the console, tokens never in a URL", () => {
    /** Starts a console login and follows it until hostwatch sends the browser back. */
    async function consoleLogin(
      returnTo: string,
      jar = new Jar(),
    ): Promise<{ location: URL; callback: Response; jar: Jar }> {
      const start = await fetch(
        `${app.url}/api/auth/oidc/login?return_to=${encodeURIComponent(returnTo)}`,
        { redirect: 'manual' },
      );
      expect(start.status).toBe(302);
      jar.take(start);
      const { res } = await browse(start.headers.get('location')!, jar, `${app.url}/login`);
      expect(res.status).toBe(302);
      return { location: new URL(res.headers.get('location')!, app.url!), callback: res, jar };
    }

    const collect = (jar: Jar) =>
      fetch(`${app.url}/api/auth/oidc/session`, {
        method: 'POST',
        headers: { cookie: jar.header() },
      });

    it('tells the console that single sign-on is configured, without an identity', async () => {
      const res = await app.api(null).get('/api/auth/providers').expect(200);
      expect(res.body).toEqual({
        password: true,
        oidc: true,
        oidc_login_url: '/api/auth/oidc/login',
      });
    });

    it('lands on the login page with the path asked for, and hands the session over once through an HttpOnly cookie', async () => {
      await idp.loginAs('oidc-vera');
      const { location, callback, jar } = await consoleLogin('/hosts?state=DOWN');
      expect(location.origin).toBe(app.url);
      expect(location.pathname).toBe('/login');
      expect(Object.fromEntries(location.searchParams)).toEqual({
        sso: 'done',
        next: '/hosts?state=DOWN',
      });
      // Nothing in the URL a log could keep: no token, no code.
      expect(location.href).not.toMatch(/hw[rt]_|eyJ|code=/);
      const handoff = callback.headers.getSetCookie().find((c) => c.startsWith('hw_sso='))!;
      expect(handoff).toMatch(/HttpOnly/i);
      expect(handoff).toMatch(/SameSite=Strict/i);
      expect(handoff).toMatch(/Path=\/api\/auth\/oidc/);
      expect(handoff).toMatch(/Max-Age=60/);
      expect(handoff).not.toMatch(/hwr_/);

      const first = await collect(jar);
      expect(first.status).toBe(200);
      const pair = (await first.json()) as { access_token: string; refresh_token: string };
      expect(pair).toMatchObject({ user: { username: 'oidc-vera', role: 'viewer' } });
      const who = await me(pair.access_token).expect(200);
      expect(who.body).toMatchObject({ kind: 'session', username: 'oidc-vera' });
      // The cookie is cleared, and a copy of it presented again is a stolen one: refused, and
      // the session it belongs to ends.
      expect(first.headers.getSetCookie().some((c) => /^hw_sso=;/.test(c))).toBe(true);
      const replay = await collect(jar);
      expect(replay.status).toBe(401);
      await me(pair.access_token).expect(401);
    });

    it('refuses to hand over a session to a browser without the cookie', async () => {
      const res = await app.api(null).post('/api/auth/oidc/session').expect(400);
      expect(res.body.message).toMatch(/No single sign-on to complete/);
    });

    it.each([
      ['another host', '//evil.example/'],
      ['a backslash host', '/\\evil.example'],
      ['an absolute URL', 'https://evil.example/dashboard'],
      ['a script URL', 'javascript:alert(1)'],
      ['the API', '/api/auth/me'],
      ['a relative path', 'dashboard'],
    ])('refuses a return_to that is %s, naming the field', async (_what, returnTo) => {
      const res = await app
        .api(null)
        .get('/api/auth/oidc/login')
        .query({ return_to: returnTo })
        .expect(400);
      expect(res.body.errors).toEqual([
        {
          field: 'return_to',
          problem: 'return_to must be a path inside the console, such as /dashboard',
        },
      ]);
    });

    it('sends a person who declined at the IdP back to the login page, saying so', async () => {
      await idp.denyNext();
      const { location, callback } = await consoleLogin('/dashboard');
      expect(location.pathname).toBe('/login');
      expect(Object.fromEntries(location.searchParams)).toEqual({
        sso_error: 'denied',
        next: '/dashboard',
      });
      expect(callback.headers.getSetCookie().some((c) => c.startsWith('hw_sso=hw'))).toBe(false);
    });

    it('sends a person whose groups map to no role back to the login page, saying so', async () => {
      await idp.loginAs('oidc-nobody');
      const { location } = await consoleLogin('/settings');
      expect(location.searchParams.get('sso_error')).toBe('no_role');
      expect(location.searchParams.get('next')).toBe('/settings');
    });

    it('refuses a forged state or a callback from another browser, back on the login page', async () => {
      await idp.loginAs('oidc-vera');
      const jar = new Jar();
      const start = await fetch(`${app.url}/api/auth/oidc/login?return_to=%2Fhosts`, {
        redirect: 'manual',
      });
      jar.take(start);
      const { url } = await browse(start.headers.get('location')!, jar, redirectUri);
      const forged = new URL(url);
      forged.searchParams.set('state', `c.${'x'.repeat(43)}`);
      const res = await fetch(forged, { redirect: 'manual', headers: { cookie: jar.header() } });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!, app.url!);
      expect(location.searchParams.get('sso_error')).toBe('state_mismatch');
      expect(location.searchParams.get('next')).toBe('/hosts');
      // Without the cookie of the browser that started it: the sign-on is unknown here.
      const stranger = await fetch(url, { redirect: 'manual' });
      expect(stranger.status).toBe(302);
      expect(new URL(stranger.headers.get('location')!, app.url!).search).toBe(
        '?sso_error=expired&next=%2Fdashboard',
      );
      const audit = await app.api().get('/api/audit').query({ action: 'auth.oidc_login' });
      expect(audit.body.items[0]).toMatchObject({
        outcome: 'failure',
        details: { reason: 'state_mismatch' },
      });
    });
  });

  describe('key rotation at the IdP', () => {
    it('refuses tokens signed by a rotated-out key and accepts the new key', async () => {
      const old = await idp.clientToken('admin-bot', RESOURCE);
      await me(old).expect(200);
      await idp.stop();
      idp = await startOidcProvider({
        port: idp.port,
        jwk: await signingKey('key-b'),
        redirectUri,
        resource: RESOURCE,
      });
      // The app trusts the keys it fetched for OIDC_JWKS_CACHE_SECONDS (1 s here).
      await new Promise((r) => setTimeout(r, 1200));
      await me(old).expect(401);
      const fresh = await idp.clientToken('admin-bot', RESOURCE);
      await me(fresh).expect(200);
    });
  });
});
