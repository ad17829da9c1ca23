import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { closedPort } from '../support/peers';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { waitUntil } from '../support/wait';
import { insertHost } from '../support/host-rows';

const ROOT = join(__dirname, '..', '..', '..');

interface Delivered {
  event_id: string;
  alerts: Array<{ alert_id: string }>;
}

/**
 * A worker killed (SIGKILL) at the worst moments: right after the transaction that opened a
 * problem committed (its notification exists only as an outbox row), and in the middle of
 * sending it. Either way the notification arrives, and a receiver that deduplicates on the
 * event id keeps it once.
 */
describe('a worker killed around a notification', () => {
  let api: TestApp;
  const workers: TestApp[] = [];
  let child: ChildProcess | null = null;
  let receiver: HttpReceiver;
  let port: number;

  beforeAll(async () => {
    // The child runs the built app; build it if the sources are newer.
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-needed.js')], { cwd: ROOT });
    await cleanDatabase();
    receiver = await startHttpReceiver();
    port = await closedPort();
    api = await createTestApp({ roles: 'api' });
    const hook = (
      await api
        .api()
        .post('/api/notifications/channels')
        .send({ name: 'hook', type: 'webhook', config: { url: `${receiver.url}/in` } })
        .expect(201)
    ).body.id;
    await api
      .api()
      .post('/api/notifications/rules')
      .send({
        name: 'all',
        events: ['problem_opened'],
        channel_ids: [hook],
        group_wait_seconds: 0,
        group_interval_seconds: 1,
      })
      .expect(201);
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    for (const w of workers) await w.close();
    await api?.close();
    await receiver?.close();
  });

  /** A host one failure from DOWN (a problem), checked at once by whichever worker runs. */
  const hostAboutToFail = async (name: string): Promise<string> => {
    const id = await insertHost(api.dataSource, {
      hostname: name,
      ip_address: '127.0.0.1',
      port,
      monitoring_state: 'CRITICAL',
      consecutive_failures: 2,
    });
    await api.api().post(`/api/monitoring/hosts/${id}/check-connectivity`).expect(202);
    return id;
  };
  const startChild = (env: Record<string, string>) => {
    child = spawn(process.execPath, [join(ROOT, 'dist/backend/src/main.js')], {
      env: { ...process.env, ...api.env, APP_ROLES: 'worker', ...env },
      stdio: 'ignore',
    });
  };
  const killChild = () => {
    child!.kill('SIGKILL');
    child = null;
  };
  const alertOf = async (hostId: string): Promise<string> =>
    (await api.dataSource.query('SELECT id FROM alerts WHERE host_id = $1', [hostId]))[0]?.id;
  const carrying = (alertId: string, list: typeof receiver.requests) =>
    list.filter((r) => (r.body as Delivered).alerts.some((a) => a.alert_id === alertId));

  it('right after the transition commits: the outbox row is dispatched by the next worker', async () => {
    // This worker would dispatch only a minute from now: it dies long before.
    startChild({ NOTIFY_DISPATCH_INTERVAL_MS: '60000' });
    const host = await hostAboutToFail('killed-after-commit');
    await waitUntil(async () => (await alertOf(host)) !== undefined, 30000, 'problem opened');
    killChild();
    const alert = await alertOf(host);
    const [{ n }] = await api.dataSource.query(
      'SELECT count(*)::int AS n FROM alert_events WHERE alert_id = $1 AND dispatched_at IS NULL',
      [alert],
    );
    expect(n).toBe(1); // nothing but the outbox row had happened

    const worker = await createTestApp({
      roles: 'worker',
      env: { QUEUE_PREFIX: api.env.QUEUE_PREFIX, NOTIFY_DISPATCH_INTERVAL_MS: '50' },
    });
    workers.push(worker);
    await waitUntil(
      async () => carrying(alert, receiver.accepted).length === 1,
      15000,
      'delivered',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(carrying(alert, receiver.requests)).toHaveLength(1);
    await worker.close();
    workers.splice(workers.indexOf(worker), 1);
  });

  it('in the middle of the send: sent again with the same event id, kept once', async () => {
    receiver.mode = 'hang';
    startChild({ NOTIFY_DISPATCH_INTERVAL_MS: '50' });
    const host = await hostAboutToFail('killed-while-sending');
    await waitUntil(async () => (await alertOf(host)) !== undefined, 30000, 'problem opened');
    const alert = await alertOf(host);
    await waitUntil(
      async () => carrying(alert, receiver.requests).length === 1,
      15000,
      'send begun',
    );
    killChild();
    receiver.mode = 'ok';

    // Another worker recovers the job once the dead one's lock has expired.
    const worker = await createTestApp({
      roles: 'worker',
      env: { QUEUE_PREFIX: api.env.QUEUE_PREFIX, NOTIFY_DISPATCH_INTERVAL_MS: '50' },
    });
    workers.push(worker);
    await waitUntil(
      async () => carrying(alert, receiver.accepted).length === 1,
      40000,
      'delivered',
    );
    const sends = carrying(alert, receiver.requests).map((r) => (r.body as Delivered).event_id);
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sends).size).toBe(1);
    // The receiver answered; the worker records the delivery right after.
    const status = async () =>
      (
        await api.dataSource.query(`SELECT status FROM notification_messages WHERE id = $1`, [
          sends[0],
        ])
      )[0].status;
    await waitUntil(async () => (await status()) !== 'pending', 10000, 'delivery recorded');
    expect(await status()).toBe('delivered');
  });
});
