import request from 'supertest';
import { MetricsListener } from '../../src/metrics/metrics.listener';
import { createTestApp, type TestApp } from '../support/test-app';

const METRICS_TOKEN = 'e2e-metrics-token-8c1d0f3a9b';

/** GET /metrics: protected by METRICS_TOKEN on the main port, or on a listener of its own. */
describe('metrics endpoint', () => {
  describe('with METRICS_TOKEN', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp({ env: { METRICS_TOKEN } });
    });
    afterAll(() => app?.close());

    it('answers only the metrics token, not a user session', async () => {
      const anonymous = await app.api(null).get('/metrics').expect(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(anonymous.body.message).toContain('METRICS_TOKEN');
      await app.api('wrong-token-of-some-length').get('/metrics').expect(401);
      // An admin's access token opens the API, not the metrics.
      await app.api().get('/metrics').expect(401);
      const res = await app.api(METRICS_TOKEN).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const name of [
        'hostwatch_hosts{state="DOWN"}',
        'hostwatch_hosts_unreachable',
        'hostwatch_hosts_flapping',
        'hostwatch_queue_jobs{queue="monitoring",priority="all",status="active"}',
        'hostwatch_sse_clients',
        'hostwatch_dependency_up{dependency="database"} 1',
        'hostwatch_dependency_up{dependency="redis"} 1',
        '# TYPE hostwatch_checks_total counter',
        '# TYPE hostwatch_probe_duration_seconds histogram',
        '# TYPE hostwatch_schedule_lateness_seconds histogram',
        '# TYPE hostwatch_apply_duration_seconds histogram',
        '# TYPE hostwatch_jobs_retried_total counter',
        '# TYPE hostwatch_jobs_stalled_total counter',
        '# TYPE hostwatch_notification_deliveries_total counter',
        'process_cpu_seconds_total',
        'nodejs_eventloop_lag_seconds',
      ]) {
        expect(res.text).toContain(name);
      }
    });

    it('counts HTTP requests by route pattern and status, and echoes X-Request-Id', async () => {
      const host = (
        await app
          .api()
          .post('/api/hosts')
          .send({ hostname: `metrics-${Date.now()}`, ip_address: '127.0.0.1', port: 22 })
          .expect(201)
      ).body;
      const read = await app
        .api()
        .get(`/api/hosts/${host.id}`)
        .set('X-Request-Id', 'trace-abc-123')
        .expect(200);
      expect(read.headers['x-request-id']).toBe('trace-abc-123');
      // One made up when none (or a malformed one) is sent.
      const made = await app
        .api()
        .get('/api/hosts')
        .set('X-Request-Id', 'x'.repeat(200))
        .expect(200);
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      await app.api().get('/api/hosts/not-a-uuid').expect(400);

      const text = (await app.api(METRICS_TOKEN).get('/metrics').expect(200)).text;
      const count = (labels: string) =>
        Number(
          new RegExp(`^hostwatch_http_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(
            text,
          )?.[1] ?? 0,
        );
      expect(count('method="GET",route="/api/hosts/:id",status="200"')).toBeGreaterThanOrEqual(1);
      expect(count('method="GET",route="/api/hosts/:id",status="400"')).toBeGreaterThanOrEqual(1);
      expect(count('method="POST",route="/api/hosts",status="201"')).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain(host.id);
    });
  });

  it('is not served on the main port without METRICS_TOKEN, and is on METRICS_PORT', async () => {
    const app = await createTestApp({ env: { METRICS_PORT: '0' } });
    try {
      const off = await app.api(null).get('/metrics').expect(404);
      expect(off.body.message).toMatch(/METRICS_TOKEN.*METRICS_PORT/);
      const address = app.app.get(MetricsListener).address!;
      expect(address.address).toBe('127.0.0.1');
      const res = await request(`http://127.0.0.1:${address.port}`).get('/metrics').expect(200);
      expect(res.text).toContain('# TYPE hostwatch_checks_total counter');
      await request(`http://127.0.0.1:${address.port}`).get('/api/hosts').expect(404);
    } finally {
      await app.close();
    }
  });

  it('asks the listener for the token too when METRICS_TOKEN is set', async () => {
    const app = await createTestApp({ env: { METRICS_PORT: '0', METRICS_TOKEN } });
    try {
      const { port } = app.app.get(MetricsListener).address!;
      await request(`http://127.0.0.1:${port}`).get('/metrics').expect(401);
      await request(`http://127.0.0.1:${port}`)
        .get('/metrics')
        .set('Authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200);
    } finally {
      await app.close();
    }
  });
});
