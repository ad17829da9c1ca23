import { hostAddress } from '../../../tools/fleet/behaviours';
import { startFleet, type Fleet } from '../../../tools/fleet/fleet';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { createTestApp, TestApp } from '../support/test-app';
import { cleanDatabase, testQueuePrefix } from '../support/test-env';
import { freePort } from '../support/ports';
import { waitUntil } from '../support/wait';
import { insertHosts, updateHost } from '../support/host-rows';

/** Slow hosts answer nothing for this long: their scheduled probes hold their slots throughout. */
const SLOW_MS = 600_000;
const SLOW_HOSTS = 6;
const SCHEDULED_SLOTS = 2;

/**
 * JIT checks have worker slots of their own (the JIT queue, JIT_CONCURRENCY per worker
 * process): with every scheduled slot held by a slow host and more scheduled checks waiting,
 * a JIT check still runs and its result is applied, while the scheduled ones keep waiting.
 */
describe('JIT checks', () => {
  const apps: TestApp[] = [];
  let fleet: Fleet | null = null;

  afterAll(async () => {
    // Stopping the simulator ends the hanging probes, so the worker can stop gracefully; it
    // stops before the API process, which clears the queues.
    await fleet?.stop();
    for (const app of apps.reverse()) await app.close();
  });

  it('run while every scheduled slot is busy with slow hosts and scheduled checks wait', async () => {
    fleet = await startFleet({
      hosts: SLOW_HOSTS + 1,
      mix: `slow=${(100 * SLOW_HOSTS) / (SLOW_HOSTS + 1)},healthy=${100 / (SLOW_HOSTS + 1)}`,
      port: await freePort(hostAddress(50000)),
      firstIndex: 50000,
      controlPort: null,
      processes: 1,
      params: { slowMs: SLOW_MS },
    });
    const slow = fleet.hosts.filter((h) => h.behaviour === 'slow');
    const healthy = fleet.hosts.find((h) => h.behaviour === 'healthy')!;
    expect(slow).toHaveLength(SLOW_HOSTS);

    const env = {
      QUEUE_PREFIX: testQueuePrefix(),
      SCHEDULER_TICK_MS: '3600000',
      PROBE_CONNECT_TIMEOUT_MS: '5000',
      PROBE_TIMEOUT_MS: '300000',
      WORKER_CONCURRENCY: String(SCHEDULED_SLOTS),
      JIT_CONCURRENCY: '1',
      // One host per scheduled job, so that jobs in the queue count hosts.
      SCHEDULER_CHECKS_PER_JOB: '1',
    };
    await cleanDatabase();
    const api = await createTestApp({ roles: 'api,scheduler', env });
    apps.push(api);
    // The slow hosts are due, at the most urgent scheduled priority.
    await insertHosts(
      api.dataSource,
      ['hostname', 'ip_address', 'port', 'monitoring_state', 'check_priority', 'next_check_at'],
      `SELECT unnest($1::text[]), unnest($2::text[]), $3, 'CRITICAL', 9, now() - interval '1 minute'`,
      [slow.map((h) => h.hostname), slow.map((h) => h.address), fleet.port],
    );
    const scheduler = api.app.get(SchedulerService);
    await scheduler.idle();
    expect((await scheduler.tick()).claimed).toBe(SLOW_HOSTS);

    const target = (
      await api
        .api()
        .post('/api/hosts')
        .send({ hostname: 'jit-target', ip_address: healthy.address, port: fleet.port })
        .expect(201)
    ).body;
    // The producer would also queue the new host; take it out of its hands.
    await updateHost(
      api.dataSource,
      target.id,
      { next_check_at: "now() + interval '1 day'" },
      { sql: true },
    );

    const worker = await createTestApp({ roles: 'worker', env });
    apps.push(worker);
    // Every scheduled slot is taken by a slow host; the rest of the backlog waits.
    await waitUntil(async () => (await api.queue.getActiveCount()) === SCHEDULED_SLOTS, 20000);
    expect(await api.queue.getPrioritizedCount()).toBe(SLOW_HOSTS - SCHEDULED_SLOTS);

    const jit = await api
      .api()
      .post(`/api/monitoring/hosts/${target.id}/check-connectivity?wait=true&timeout_ms=60000`)
      .expect(200);
    expect(jit.body).toMatchObject({
      host_id: target.id,
      checked_by: 'jit',
      success: true,
      new_state: 'HEALTHY',
    });

    // The JIT result was applied while no scheduled check finished: they still hold their
    // slots and the backlog still waits behind them.
    const history = await api.dataSource.query(
      'SELECT task_id, checked_by FROM host_check_history ORDER BY check_time',
    );
    expect(history).toEqual([{ task_id: jit.body.task_id, checked_by: 'jit' }]);
    expect(await api.queue.getActiveCount()).toBe(SCHEDULED_SLOTS);
    expect(await api.queue.getPrioritizedCount()).toBe(SLOW_HOSTS - SCHEDULED_SLOTS);

    // The dashboard's queue depth counts both queues: the scheduled backlog at CRITICAL's 9.
    const stats = await api.api().get('/api/monitoring/stats').expect(200);
    expect(stats.body.queue).toMatchObject({
      waiting: SLOW_HOSTS - SCHEDULED_SLOTS,
      active: SCHEDULED_SLOTS,
    });
    expect(stats.body.queue.depth_by_priority).toMatchObject({
      jit: 0,
      '9': SLOW_HOSTS - SCHEDULED_SLOTS,
    });
  });
});
