import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, testQueuePrefix, truncateAll } from '../support/test-env';
import { expectBadField, expectStatus } from './helpers';

describe('Hardening', () => {
  describe('rate limits, CORS, security headers, probe networks', () => {
    let app: TestApp;

    beforeAll(async () => {
      await cleanDatabase();
      app = await createTestApp({
        env: {
          LOGIN_RATE_LIMIT_PER_MINUTE: '3',
          JIT_RATE_LIMIT_PER_MINUTE: '2',
          CORS_ORIGINS: 'https://console.example.com',
          PROBE_ALLOWED_CIDRS: '10.0.0.0/8,fd00::/8',
        },
      });
    });

    afterAll(async () => {
      await app?.close();
    });

    beforeEach(async () => {
      await truncateAll(app.dataSource);
    });

    it('limits login attempts per username, with Retry-After, and not other usernames', async () => {
      const victim = await app.userWithRole('viewer');
      for (let i = 0; i < 3; i++) {
        const res = await app
          .api(null)
          .post('/api/auth/login')
          .send({ username: victim.username, password: `guess-${i}` });
        expectStatus(res, 401);
      }
      const blocked = await app
        .api(null)
        .post('/api/auth/login')
        .send({ username: victim.username.toUpperCase(), password: victim.password });
      expectStatus(blocked, 429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
      // Someone else logs in as usual.
      const other = await app.userWithRole('viewer');
      const ok = await app
        .api(null)
        .post('/api/auth/login')
        .send({ username: other.username, password: other.password });
      expectStatus(ok, 200);
    });

    it('limits JIT checks per identity, with Retry-After', async () => {
      const host = await app
        .api()
        .post('/api/hosts')
        .send({ hostname: 'jit-limited', ip_address: '10.0.0.9' })
        .expect(201);
      const operator = await app.userWithRole('operator');
      const jit = (token: string) =>
        app.api(token).post(`/api/monitoring/hosts/${host.body.id}/check-connectivity`);
      await jit(operator.access_token).expect(202);
      await jit(operator.access_token).expect(202);
      const blocked = await jit(operator.access_token);
      expectStatus(blocked, 429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // The limit is the identity's, not the host's: another operator still gets through.
      const colleague = await app.userWithRole('operator');
      await jit(colleague.access_token).expect(202);
    });

    it('sets security headers', async () => {
      const res = await app.api().get('/api/hosts').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('answers CORS for the configured origin only', async () => {
      const allowed = await app
        .api(null)
        .options('/api/hosts')
        .set('Origin', 'https://console.example.com')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example.com');
      expect(allowed.headers['access-control-allow-headers']).toMatch(/authorization/i);
      const other = await app
        .api(null)
        .options('/api/hosts')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('refuses hosts outside PROBE_ALLOWED_CIDRS, naming ip_address', async () => {
      expectBadField(
        await app.api().post('/api/hosts').send({ hostname: 'outside', ip_address: '192.168.1.5' }),
        'ip_address',
      );
      expectBadField(
        await app
          .api()
          .post('/api/hosts')
          .send({ hostname: 'mapped', ip_address: '::ffff:8.8.8.8' }),
        'ip_address',
      );
      // A bare hostname could resolve anywhere: it needs an address while the limit is on.
      expectBadField(
        await app.api().post('/api/hosts').send({ hostname: 'by-name' }),
        'ip_address',
      );
      const inside = await app
        .api()
        .post('/api/hosts')
        .send({ hostname: 'inside', ip_address: '10.20.30.40' });
      expectStatus(inside, 201);
      await app
        .api()
        .post('/api/hosts')
        .send({ hostname: 'inside-v6', ip_address: 'fd00::1' })
        .expect(201);
      expectBadField(
        await app.api().patch(`/api/hosts/${inside.body.id}`).send({ ip_address: '172.16.0.1' }),
        'ip_address',
      );
      expectBadField(
        await app.api().patch(`/api/hosts/${inside.body.id}`).send({ ip_address: null }),
        'ip_address',
      );
      const rows = await app.dataSource.query('SELECT hostname, ip_address FROM hosts ORDER BY 1');
      expect(rows).toEqual([
        { hostname: 'inside', ip_address: '10.20.30.40' },
        { hostname: 'inside-v6', ip_address: 'fd00::1' },
      ]);
    });
  });

  describe('two API processes', () => {
    const apps: TestApp[] = [];

    afterAll(async () => {
      for (const app of apps) await app.close();
    });

    it('share one login limit per username (counted in Redis)', async () => {
      const env = { QUEUE_PREFIX: testQueuePrefix(), LOGIN_RATE_LIMIT_PER_MINUTE: '5' };
      // Each app logs its admin in once at start: 2 of the 5 attempts for "admin".
      apps.push(await createTestApp({ env }), await createTestApp({ env }));
      const [a, b] = apps;
      const attempt = (app: TestApp) =>
        app.api(null).post('/api/auth/login').send({ username: 'admin', password: 'wrong-guess' });
      expectStatus(await attempt(a), 401);
      expectStatus(await attempt(b), 401);
      expectStatus(await attempt(a), 401);
      const blocked = await attempt(b);
      expectStatus(blocked, 429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('defaults', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await createTestApp();
    });

    afterAll(async () => {
      await app?.close();
    });

    it('keeps CORS closed without CORS_ORIGINS, and allows any probe address', async () => {
      const res = await app
        .api(null)
        .options('/api/hosts')
        .set('Origin', 'https://console.example.com')
        .set('Access-Control-Request-Method', 'GET');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      await app
        .api()
        .post('/api/hosts')
        .send({ hostname: `anywhere-${Date.now()}`, ip_address: '192.168.1.5' })
        .expect(201);
      await app
        .api()
        .post('/api/hosts')
        .send({ hostname: `by-name-${Date.now()}` })
        .expect(201);
    });

    it('still answers /health without identity, and documents the bearer scheme', async () => {
      await app.api(null).get('/health').expect(200);
      const doc = await app.api(null).get('/api/docs-json').expect(200);
      expect(doc.body.components.securitySchemes.bearer).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      );
      expect(doc.body.paths['/api/hosts'].get.security).toEqual([{ bearer: [] }]);
      // Public operations say so, so that no client sends a token there.
      expect(doc.body.paths['/health'].get.security).toEqual([]);
      expect(doc.body.paths['/api/auth/login'].post.security).toEqual([]);
    });
  });
});
