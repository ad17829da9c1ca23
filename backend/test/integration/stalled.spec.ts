import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../support/test-app';
import { cleanDatabase, testQueuePrefix } from '../support/test-env';
import { waitUntil } from '../support/wait';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * A worker process dies (SIGKILL) in the middle of a check: BullMQ sees the job's lock
 * expire, puts it back, and another worker runs it to completion.
 */
describe('a worker that dies mid-check', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let silentPort = 0;
  let child: ChildProcess | null = null;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    // The child runs the built app; build it if the sources are newer.
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-needed.js')], { cwd: ROOT });
    silent = createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await Promise.all(apps.map((a) => a.close()));
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('has its check picked up again and completed by another worker', async () => {
    await cleanDatabase();
    const prefix = testQueuePrefix();
    const api = await createTestApp({ roles: 'api', env: { QUEUE_PREFIX: prefix } });
    apps.push(api);
    const host = (
      await api
        .api()
        .post('/api/hosts')
        .send({ hostname: 'stall-me', ip_address: '127.0.0.1', port: silentPort })
        .expect(201)
    ).body;
    const queued = await api
      .api()
      .post(`/api/monitoring/hosts/${host.id}/check-connectivity`)
      .expect(202);

    // A worker in its own process takes the job; the silent peer keeps its probe hanging.
    child = spawn(process.execPath, [join(ROOT, 'dist/backend/src/main.js')], {
      env: {
        ...process.env,
        ...api.env,
        APP_ROLES: 'worker',
        PROBE_CONNECT_TIMEOUT_MS: '5000',
        PROBE_TIMEOUT_MS: '120000',
      },
      stdio: 'ignore',
    });
    await waitUntil(async () => (await api.jitQueue.getActiveCount()) === 1, 20000);
    child.kill('SIGKILL');
    child = null;

    // A healthy worker with a short deadline finishes the recovered job.
    const worker = await createTestApp({
      roles: 'worker',
      env: { QUEUE_PREFIX: prefix, PROBE_CONNECT_TIMEOUT_MS: '500', PROBE_TIMEOUT_MS: '1000' },
    });
    apps.push(worker);
    await waitUntil(async () => {
      const job = await api.jitQueue.getJob(queued.body.task_id);
      return (await job?.getState()) === 'completed';
    }, 60000);

    const [row] = await api.dataSource.query(
      'SELECT error_type, stage FROM host_check_history WHERE task_id = $1',
      [queued.body.task_id],
    );
    expect(row).toEqual({ error_type: 'timeout', stage: 'banner' });
  });
});
