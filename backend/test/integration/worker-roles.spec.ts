import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { hostAddress } from '../../../tools/fleet/behaviours';
import { startFleet, type Fleet } from '../../../tools/fleet/fleet';
import { createTestApp, TestApp } from '../support/test-app';
import { cleanDatabase, testEnv, testQueuePrefix } from '../support/test-env';
import { freePort } from '../support/ports';
import { waitUntil } from '../support/wait';

const FIRST_INDEX = 52000;
const ROOT = join(__dirname, '..', '..', '..');

/**
 * The worker roles split: a `worker` with JIT_CONCURRENCY=0 runs scheduled checks only, and a
 * `jit-worker` runs JIT checks only, so JIT checks can have a process of their own.
 */
describe('worker roles', () => {
  const apps: TestApp[] = [];
  let fleet: Fleet | null = null;

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await fleet?.stop();
  });

  it('a worker with JIT_CONCURRENCY=0 leaves JIT checks to a jit-worker, which runs only those', async () => {
    fleet = await startFleet({
      hosts: 2,
      mix: 'healthy=100',
      port: await freePort(hostAddress(FIRST_INDEX)),
      firstIndex: FIRST_INDEX,
      controlPort: null,
      processes: 1,
    });
    const env = { QUEUE_PREFIX: testQueuePrefix(), SCHEDULER_TICK_MS: '200' };
    await cleanDatabase();
    const api = await createTestApp({ roles: 'api,scheduler', env });
    apps.push(api);
    const scheduledOnly = await createTestApp({
      roles: 'worker',
      env: { ...env, JIT_CONCURRENCY: '0' },
    });
    apps.push(scheduledOnly);

    const add = async (i: number) =>
      (
        await api
          .api()
          .post('/api/hosts')
          .send({
            hostname: `role-${i}`,
            ip_address: fleet!.hosts[i].address,
            port: fleet!.port,
          })
          .expect(201)
      ).body as { id: string };
    const checks = (hostId: string) =>
      api.dataSource.query<{ task_id: string; checked_by: string }[]>(
        'SELECT task_id, checked_by FROM host_check_history WHERE host_id = $1',
        [hostId],
      );

    const workers = async () =>
      (await api.api().get('/api/monitoring/stats').expect(200)).body.queue.workers;
    expect(await workers()).toEqual({ scheduled: 1, jit: 0 });

    // A new host is due at once: the scheduled-only worker checks it.
    const first = await add(0);
    await waitUntil(async () => (await checks(first.id)).length > 0, 20000, 'scheduled check');
    expect(await checks(first.id)).toEqual([expect.objectContaining({ checked_by: 'scheduler' })]);

    // No process takes JIT checks yet: the request answers 202, its check still queued.
    const queued = await api
      .api()
      .post(`/api/monitoring/hosts/${first.id}/check-connectivity?wait=true&timeout_ms=1500`)
      .expect(202);
    expect(queued.body).toMatchObject({ check_queued: true, status: 'queued' });

    // A waited-for check whose job leaves the queue without a result (the queue cleared under
    // it) answers at once that it failed, instead of waiting out its time.
    const lost = api
      .api()
      .post(`/api/monitoring/hosts/${first.id}/check-connectivity?wait=true&timeout_ms=60000`);
    const answered = lost.then((r) => r);
    let removed = '';
    await waitUntil(
      async () => {
        const jobs = await api.jitQueue.getJobs(['waiting', 'prioritized']);
        const other = jobs.find((j) => j.id !== queued.body.task_id);
        if (!other) return false;
        await other.remove();
        removed = other.id!;
        return true;
      },
      20000,
      'second JIT job queued',
    );
    const lostAnswer = await answered;
    expect(lostAnswer.status).toBe(202);
    expect(lostAnswer.body).toMatchObject({ task_id: removed, status: 'failed' });

    // A jit-worker arrives and runs it.
    const jitOnly = await createTestApp({ roles: 'jit-worker', env });
    apps.push(jitOnly);
    expect(await workers()).toEqual({ scheduled: 1, jit: 1 });
    await waitUntil(
      async () =>
        (await api.api().get(`/api/monitoring/checks/${queued.body.task_id}`)).body.status ===
        'completed',
      20000,
      'queued JIT check completed',
    );
    expect(await checks(first.id)).toContainEqual({
      task_id: queued.body.task_id,
      checked_by: 'jit',
    });

    // Without the scheduled-only worker, a due host waits: the jit-worker never takes it,
    // while JIT checks still run at once.
    await scheduledOnly.close();
    apps.splice(apps.indexOf(scheduledOnly), 1);
    expect(await workers()).toEqual({ scheduled: 0, jit: 1 });
    const second = await add(1);
    await waitUntil(
      async () => (await api.queue.getWaitingCount()) + (await api.queue.getPrioritizedCount()) > 0,
      20000,
      'scheduled job queued',
    );
    const jit = await api
      .api()
      .post(`/api/monitoring/hosts/${second.id}/check-connectivity?wait=true&timeout_ms=20000`)
      .expect(200);
    expect(jit.body).toMatchObject({ host_id: second.id, checked_by: 'jit', success: true });
    expect(await checks(second.id)).toEqual([{ task_id: jit.body.task_id, checked_by: 'jit' }]);
    expect(await api.queue.getActiveCount()).toBe(0);
    expect((await api.queue.getWaitingCount()) + (await api.queue.getPrioritizedCount())).toBe(1);
  });

  it('WORKER_NICE lowers the CPU priority of a worker-only process, and of no other', async () => {
    // The children run the built app; build it if the sources are newer.
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-needed.js')], { cwd: ROOT });
    const children: ChildProcess[] = [];
    const start = async (roles: string): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [join(ROOT, 'dist/backend/src/main.js')], {
        env: {
          ...process.env,
          ...testEnv({ APP_ROLES: roles, WORKER_NICE: '7' }),
          LOG_LEVEL: 'log',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let log = '';
      child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      await waitUntil(
        async () => /hostwatch \([a-z,-]+\) (started|listening)/.test(log),
        30000,
        `${roles} start`,
      );
      return child;
    };
    try {
      const [worker, mixed] = await Promise.all([start('worker'), start('scheduler,worker')]);
      expect(getPriority(worker.pid)).toBe(7);
      expect(getPriority(mixed.pid)).toBe(getPriority());
    } finally {
      for (const child of children) child.kill('SIGKILL');
    }
  });
});
