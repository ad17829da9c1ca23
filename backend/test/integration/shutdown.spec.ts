import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../support/ports';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, testQueuePrefix } from '../support/test-env';
import { waitUntil } from '../support/wait';

const ROOT = join(__dirname, '../../..');

/** The real built app in a process of its own, its JSON log lines, and how it ended. */
interface Child {
  process: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: string | null; at: number }>;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [join(ROOT, 'dist/backend/src/main.js')], {
    env: { ...process.env, ...env, LOG_FORMAT: 'json', LOG_LEVEL: 'log' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) if (part.startsWith('{')) lines.push(JSON.parse(part));
  });
  child.stderr!.resume();
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { process: child, lines, exited };
}

const messages = (child: Child) =>
  child.lines.filter((l) => l.context === 'Shutdown').map((l) => String(l.msg));

/**
 * SIGTERM to a real hostwatch process (the built dist/, as `npm start` runs it) while it probes
 * a peer that never answers: it stops taking jobs, lets the probe finish within
 * SHUTDOWN_GRACE_MS or cuts it off for another worker to take up, ends live-event streams with
 * a retry field, logs each step and exits with 0.
 */
describe('graceful shutdown', () => {
  let silent: Server;
  let silentPort = 0;
  const sockets = new Set<Socket>();
  let api: TestApp;
  let prefix: string;
  const children: Child[] = [];

  beforeAll(async () => {
    // Accepts connections and never sends an SSH banner: a probe hangs until its deadline.
    silent = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    await cleanDatabase();
    prefix = testQueuePrefix();
    api = await createTestApp({ roles: 'api', env: { QUEUE_PREFIX: prefix } });
  });

  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await api?.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  const queueCheck = async (hostname: string): Promise<string> => {
    const host = (
      await api
        .api()
        .post('/api/hosts')
        .send({ hostname, ip_address: '127.0.0.1', port: silentPort })
        .expect(201)
    ).body;
    return (await api.api().post(`/api/monitoring/hosts/${host.id}/check-connectivity`).expect(202))
      .body.task_id;
  };

  const historyOf = (taskId: string) =>
    api.dataSource.query('SELECT error_type, stage FROM host_check_history WHERE task_id = $1', [
      taskId,
    ]);

  it('lets an in-flight probe finish within the grace period, ends SSE streams with a retry field, and exits 0', async () => {
    const port = await freePort();
    const child = startChild({
      ...api.env,
      APP_ROLES: 'api,worker',
      PORT: String(port),
      PROBE_CONNECT_TIMEOUT_MS: '1000',
      PROBE_TIMEOUT_MS: '2500',
      SHUTDOWN_GRACE_MS: '10000',
    });
    children.push(child);
    const base = `http://127.0.0.1:${port}`;
    await waitUntil(
      async () => (await fetch(`${base}/health/ready`).catch(() => null))?.status === 200,
      30000,
      'the child is ready',
    );
    // A live-event stream open on the child, its raw text kept.
    let streamText = '';
    let connected!: () => void;
    const streamOpen = new Promise<void>((resolve) => (connected = resolve));
    const streamEnded = new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${base}/api/events`, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${api.adminToken}` },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        expect(res.statusCode).toBe(200);
        connected();
        res.on('data', (d: Buffer) => (streamText += d.toString()));
        res.on('end', () => resolve());
      });
      req.end();
    });
    await streamOpen;

    const taskId = await queueCheck('finishes-in-grace');
    await waitUntil(async () => (await api.jitQueue.getActiveCount()) === 1, 20000, 'job active');
    const signalled = Date.now();
    child.process.kill('SIGTERM');
    // Not ready any more while it drains.
    const during = await fetch(`${base}/health/ready`).catch(() => null);
    if (during) expect(during.status).toBe(503);

    const exit = await child.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalled).toBeLessThan(10000 + 5000);
    await streamEnded;
    // The last message before the end carries the retry field.
    const last = streamText.trim().split('\n\n').pop()!;
    expect(last).toMatch(/^retry: \d+$/m);
    expect(last).toMatch(/^event: ping$/m);

    // The probe ran to its own deadline and its result was saved.
    expect(await historyOf(taskId)).toEqual([{ error_type: 'timeout', stage: 'banner' }]);
    const job = await api.jitQueue.getJob(taskId);
    expect(await job?.getState()).toBe('completed');
    const steps = messages(child);
    expect(steps[0]).toMatch(/^SIGTERM: stopping; work in flight has 10000 ms/);
    expect(steps).toContain('Workers take no more jobs; waiting for 1 check job(s) in flight');
    expect(steps).toContain('Jobs in flight finished');
    expect(steps.some((m) => /^Closed 1 live-event stream/.test(m))).toBe(true);
    expect(steps[steps.length - 1]).toMatch(
      /^Closed the HTTP server, queues, Redis and database connections/,
    );
  });

  it('cuts off a probe that outlasts the grace period; another worker takes it up, and it is applied once', async () => {
    const child = startChild({
      ...api.env,
      APP_ROLES: 'worker',
      PROBE_CONNECT_TIMEOUT_MS: '1000',
      PROBE_TIMEOUT_MS: '120000',
      SHUTDOWN_GRACE_MS: '1000',
    });
    children.push(child);
    const taskId = await queueCheck('outlasts-grace');
    await waitUntil(async () => (await api.jitQueue.getActiveCount()) === 1, 30000, 'job active');
    const signalled = Date.now();
    child.process.kill('SIGTERM');
    const exit = await child.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalled).toBeLessThan(1000 + 5000);
    expect(messages(child)).toContain(
      'Grace period over: 1 check job(s) cut off; another worker takes them up once their lock lapses',
    );
    expect(await historyOf(taskId)).toEqual([]);

    // Another worker, with a short deadline, finds the job stalled and completes it.
    const worker = await createTestApp({
      roles: 'worker',
      env: { QUEUE_PREFIX: prefix, PROBE_CONNECT_TIMEOUT_MS: '500', PROBE_TIMEOUT_MS: '1000' },
    });
    try {
      await waitUntil(
        async () => (await (await api.jitQueue.getJob(taskId))?.getState()) === 'completed',
        60000,
        'the cut-off job completed elsewhere',
      );
    } finally {
      await worker.close();
    }
    expect(await historyOf(taskId)).toEqual([{ error_type: 'timeout', stage: 'banner' }]);
  });
});
