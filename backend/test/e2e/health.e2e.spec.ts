import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../support/ports';
import { createTestApp, type TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/** Whether something accepts TCP connections on a loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Liveness and readiness, without a token, against the real database and Redis. */
describe('health probes', () => {
  describe('an api process', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp();
    });
    afterAll(() => app?.close());

    it('is live and ready, without a token', async () => {
      const live = await app.api(null).get('/health/live').expect(200);
      expect(live.body.status).toBe('ok');
      expect(live.body.details.event_loop.status).toBe('up');
      const ready = await app.api(null).get('/health/ready').expect(200);
      expect(ready.body.status).toBe('ok');
      expect(Object.keys(ready.body.details).sort()).toEqual([
        'api',
        'database',
        'migrations',
        'redis',
        'shutdown',
      ]);
      // The old endpoint answers as it did.
      expect((await app.api(null).get('/health').expect(200)).body).toEqual({
        status: 'ok',
        database: 'up',
        redis: 'up',
      });
    });

    it('is not ready while a migration is not applied, and names it', async () => {
      const [last] = await app.dataSource.query(
        'SELECT id, timestamp, name FROM migrations ORDER BY timestamp DESC LIMIT 1',
      );
      await app.dataSource.query('DELETE FROM migrations WHERE id = $1', [last.id]);
      try {
        const res = await app.api(null).get('/health/ready').expect(503);
        expect(res.body.status).toBe('error');
        expect(Object.keys(res.body.error)).toEqual(['migrations']);
        expect(res.body.error.migrations.message).toContain(last.name);
        // Liveness does not depend on it: restarting would not help.
        await app.api(null).get('/health/live').expect(200);
      } finally {
        await app.dataSource.query(
          'INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)',
          [last.id, last.timestamp, last.name],
        );
      }
      await app.api(null).get('/health/ready').expect(200);
    });
  });

  it('reports the roles a process runs', async () => {
    const app = await createTestApp({ roles: 'api,scheduler,worker' });
    try {
      const res = await app.api(null).get('/health/ready').expect(200);
      for (const role of ['api', 'scheduler', 'worker']) {
        expect(res.body.details[role]).toEqual({ status: 'up' });
      }
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming Redis when its Redis goes away', async () => {
    const port = await freePort();
    const startRedis = async (): Promise<ChildProcess> => {
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      await waitUntil(() => listening(port), 10000, 'redis-server listening');
      return child;
    };
    let redis = await startRedis();
    const app = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    try {
      await app.api(null).get('/health/ready').expect(200);
      redis.kill('SIGKILL');
      await waitUntil(async () => !(await listening(port)), 5000, 'redis-server gone');
      const res = await app.api(null).get('/health/ready').expect(503);
      expect(Object.keys(res.body.error)).toEqual(['redis']);
      expect(res.body.error.redis.message).toMatch(/^Redis: /);
      expect(res.body.details.database.status).toBe('up');
      // Back once Redis is.
      redis = await startRedis();
      await waitUntil(
        async () => (await app.api(null).get('/health/ready')).status === 200,
        15000,
        'ready again',
      );
    } finally {
      await app.close();
      redis.kill('SIGKILL');
    }
  });
});
