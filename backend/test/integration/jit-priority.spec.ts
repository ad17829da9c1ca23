import { createServer, Server, Socket } from 'node:net';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { createTestApp, TestApp } from '../support/test-app';
import { cleanDatabase, testQueuePrefix } from '../support/test-env';

/** Accepts TCP and never answers: every scheduled probe runs to its deadline. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, sockets };
}

describe('JIT checks', () => {
  const apps: TestApp[] = [];
  let silent: Awaited<ReturnType<typeof silentServer>>;

  beforeAll(async () => {
    silent = await silentServer();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    for (const s of silent.sockets) s.destroy();
    await new Promise((resolve) => silent.server.close(resolve));
  });

  it('with 500 scheduled jobs waiting and one worker slot, a JIT check runs next', async () => {
    const env = {
      QUEUE_PREFIX: testQueuePrefix(),
      SCHEDULER_TICK_MS: '3600000',
      PROBE_CONNECT_TIMEOUT_MS: '200',
      PROBE_TIMEOUT_MS: '250',
      WORKER_CONCURRENCY: '1',
    };
    await cleanDatabase();
    const api = await createTestApp({ roles: 'api,scheduler', env });
    apps.push(api);
    await api.dataSource.query(
      `INSERT INTO hosts (hostname, ip_address, port, monitoring_state, check_priority, next_check_at)
       SELECT 'busy-' || g, '127.0.0.1', $1, 'CRITICAL', 9, now() - interval '1 minute'
         FROM generate_series(1, 500) g`,
      [silent.port],
    );
    const scheduler = api.app.get(SchedulerService);
    await scheduler.idle();
    await scheduler.tick();
    expect(await api.queue.getPrioritizedCount()).toBe(500);

    const created = await api
      .api()
      .post('/api/hosts')
      .send({ hostname: 'jit-target', ip_address: '127.0.0.1', port: 9 })
      .expect(201);
    // The producer would also queue the new host; take it out of its hands.
    await api.dataSource.query(
      `UPDATE hosts SET next_check_at = now() + interval '1 day' WHERE id = $1`,
      [created.body.id],
    );

    // The worker starts on the scheduled backlog (CRITICAL, the most urgent scheduled priority).
    const worker = await createTestApp({ roles: 'worker', env });
    apps.push(worker);
    await waitFor(async () => (await countHistory(api)) >= 2, 10000);

    const jit = await api
      .api()
      .post(
        `/api/monitoring/hosts/${created.body.id}/check-connectivity?wait=true&timeout_ms=10000`,
      )
      .expect(200);
    expect(jit.body.success).toBe(false);
    expect(jit.body.error_type).toBe('connection_refused');

    // Rows applied before the JIT one: the backlog grew by at most the check in flight when it
    // arrived (plus one the worker had already fetched), never by hundreds.
    const [{ before, total }] = await api.dataSource.query(
      `SELECT count(*) FILTER (WHERE check_time < (SELECT check_time FROM host_check_history WHERE task_id = $1))::int AS before,
              count(*)::int AS total
         FROM host_check_history`,
      [jit.body.task_id],
    );
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(10);
    expect(total).toBeLessThan(500);
    await worker.close();
    apps.splice(apps.indexOf(worker), 1);
  });
});

async function countHistory(app: TestApp): Promise<number> {
  const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM host_check_history');
  return n;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
