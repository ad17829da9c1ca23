import { randomUUID } from 'node:crypto';
import { ManualClock } from '../support/manual-clock';
import { HostStatusRepository } from '../../src/hosts/host-status.repository';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { insertHost, insertHosts, queuedHostIds, updateHost } from '../support/host-rows';
import { createTestApp, TestApp } from '../support/test-app';
import { cleanDatabase, testQueuePrefix, truncateAll } from '../support/test-env';

async function insertDueHosts(app: TestApp, count: number, prefix: string): Promise<void> {
  await insertHosts(
    app.dataSource,
    ['hostname', 'ip_address', 'port', 'monitoring_state', 'check_priority', 'next_check_at'],
    `SELECT $1 || g, '127.0.0.1', 9, 'UNKNOWN', 7, now() - (g || ' milliseconds')::interval
       FROM generate_series(1, $2) g`,
    [prefix, count],
  );
}

describe('producer', () => {
  const apps: TestApp[] = [];
  beforeEach(() => cleanDatabase());
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
    await cleanDatabase();
  });

  it('two producers ticking at once over 2,000 due hosts queue each host exactly once', async () => {
    const shared = {
      QUEUE_PREFIX: testQueuePrefix(),
      SCHEDULER_TICK_MS: '3600000',
      SCHEDULER_BATCH_SIZE: '150',
    };
    const first = await createTestApp({ roles: 'scheduler', env: shared });
    apps.push(first);
    await truncateAll(first.dataSource);
    await insertDueHosts(first, 2000, `dup-${randomUUID().slice(0, 6)}-`);
    const second = await createTestApp({ roles: 'scheduler', env: shared });
    apps.push(second);
    const producers = [first, second].map((a) => a.app.get(SchedulerService));

    // A tick never overlaps itself: a second call while one runs answers "busy".
    await Promise.all(producers.map((p) => p.idle()));
    const overlapping = await Promise.all([producers[0].tick(), producers[0].tick()]);
    expect(overlapping.map((r) => r.skipped ?? 'ran')).toEqual(['ran', 'busy']);

    // Both producers tick together until nothing is left to claim.
    let rounds = 0;
    for (;;) {
      const reports = await Promise.all(producers.map((p) => p.tick()));
      rounds += 1;
      const claimed = reports.reduce((n, r) => n + r.claimed, 0);
      const busy = reports.some((r) => r.skipped === 'busy');
      if (claimed === 0 && !busy) break;
      if (rounds > 200) throw new Error('producers never drained the due hosts');
    }

    const jobs = await first.queue.getJobs(['prioritized', 'waiting'], 0, -1);
    const hostIds = queuedHostIds(jobs);
    expect(hostIds).toHaveLength(2000);
    expect(new Set(hostIds).size).toBe(2000);
    // Every host is claimed for the due time it had, which the claim left as it was.
    const [{ claimed, unchanged }] = await first.dataSource.query(
      `SELECT count(*) FILTER (WHERE claimed_at >= next_check_at)::int AS claimed,
              count(*) FILTER (WHERE next_check_at <= now())::int AS unchanged
         FROM host_status`,
    );
    expect({ claimed, unchanged }).toEqual({ claimed: 2000, unchanged: 2000 });
  });

  it('does not queue a host again while its scheduled job is still waiting', async () => {
    // A minute ahead of the database's clock, so the hosts inserted below are due.
    const clock = new ManualClock(Date.now() + 60_000);
    const app = await createTestApp({
      roles: 'scheduler',
      clock,
      env: { SCHEDULER_TICK_MS: '3600000', SCHEDULER_LEASE_SECONDS: '5' },
    });
    apps.push(app);
    const producer = app.app.get(SchedulerService);
    await producer.idle();
    await truncateAll(app.dataSource);
    await insertDueHosts(app, 10, `lease-${randomUUID().slice(0, 6)}-`);
    expect((await producer.tick()).claimed).toBe(10);
    // Within the lease nothing is claimed again.
    clock.advance(4000);
    expect((await producer.tick()).claimed).toBe(0);
    // The lease ran out but the job never ran (no worker): the host is due again.
    clock.advance(1000);
    expect((await producer.tick()).claimed).toBe(10);
    const jobs = await app.queue.getJobs(['prioritized', 'waiting'], 0, -1);
    expect(queuedHostIds(jobs)).toHaveLength(10);
    expect(new Set(queuedHostIds(jobs)).size).toBe(10);
  });

  it('leaves next_check_at as it was and claims a host again as soon as a result moves it', async () => {
    const clock = new ManualClock(Date.now());
    const app = await createTestApp({
      roles: 'api,scheduler',
      clock,
      env: { SCHEDULER_TICK_MS: '3600000', SCHEDULER_LEASE_SECONDS: '300' },
    });
    apps.push(app);
    await app.app.get(SchedulerService).idle();
    await truncateAll(app.dataSource);
    const hosts = app.app.get(HostStatusRepository);
    const dueAt = new Date(clock.now().getTime() - 120_000);
    const id = await insertHost(app.dataSource, {
      hostname: 'claim-me',
      monitoring_state: 'DEGRADED',
      check_priority: 6,
      next_check_at: dueAt,
    });

    const [first] = await hosts.claimDue(clock.now(), 300, 10);
    expect(first).toMatchObject({ hostId: id, priority: 6, state: 'DEGRADED' });
    expect(first.dueAt.getTime()).toBe(dueAt.getTime());
    // The API still says when the check was due; the queued host counts as overdue (2 min late).
    const state = await app.api().get(`/api/monitoring/hosts/${id}/state`).expect(200);
    expect(state.body.next_check_time).toBe(dueAt.toISOString());
    const stats = await app.api().get('/api/monitoring/stats').expect(200);
    expect(stats.body.overdue_hosts).toBe(1);
    expect(await hosts.claimDue(clock.now(), 300, 10)).toEqual([]);

    // A result was applied (next check in 30 s); once that comes due, the host is claimable
    // at once, long before the old claim's lease would run out.
    const next = new Date(clock.now().getTime() + 30_000);
    await updateHost(app.dataSource, id, { next_check_at: next });
    clock.advance(29_000);
    expect(await hosts.claimDue(clock.now(), 300, 10)).toEqual([]);
    clock.advance(1_000);
    const [second] = await hosts.claimDue(clock.now(), 300, 10);
    expect(second.dueAt.getTime()).toBe(next.getTime());

    // Never checked: after the lease it is claimed again under a new due time (a new job id).
    const claimedAt = clock.now().getTime();
    clock.advance(300_000);
    const [third] = await hosts.claimDue(clock.now(), 300, 10);
    expect(third.dueAt.getTime()).toBe(claimedAt + 300_000);
  });

  it('claims the most urgent hosts first and skips maintenance and inactive hosts', async () => {
    const app = await createTestApp({
      roles: 'scheduler',
      env: { SCHEDULER_TICK_MS: '3600000', SCHEDULER_BATCH_SIZE: '2' },
    });
    apps.push(app);
    await truncateAll(app.dataSource);
    await insertHosts(
      app.dataSource,
      ['hostname', 'monitoring_state', 'check_priority', 'next_check_at', 'is_active'],
      `VALUES
         ('u-healthy', 'HEALTHY', 3, now() - interval '1 hour', true),
         ('u-critical', 'CRITICAL', 9, now() - interval '1 second', true),
         ('u-degraded', 'DEGRADED', 6, now() - interval '1 second', true),
         ('u-maint', 'MAINTENANCE', 0, now() - interval '1 hour', true),
         ('u-inactive', 'CRITICAL', 9, now() - interval '1 hour', false)`,
    );
    const producer = app.app.get(SchedulerService);
    const claimedNames = async () => {
      const jobs = await app.queue.getJobs(['prioritized', 'waiting'], 0, -1);
      const ids = queuedHostIds(jobs);
      if (ids.length === 0) return [];
      const rows = await app.dataSource.query(`SELECT hostname FROM hosts WHERE id = ANY($1)`, [
        ids,
      ]);
      return rows.map((r: { hostname: string }) => r.hostname).sort();
    };
    await producer.tick();
    expect(await claimedNames()).toEqual(['u-critical', 'u-degraded']);
    await producer.tick();
    await producer.tick();
    expect(await claimedNames()).toEqual(['u-critical', 'u-degraded', 'u-healthy']);
  });

  it('does nothing while the scheduler is disabled, and the flag survives a restart', async () => {
    const env = { SCHEDULER_TICK_MS: '3600000', QUEUE_PREFIX: testQueuePrefix() };
    const app = await createTestApp({ roles: 'api,scheduler', env });
    apps.push(app);
    await truncateAll(app.dataSource);
    await insertDueHosts(app, 3, `off-${randomUUID().slice(0, 6)}-`);
    await app.dataSource.query(
      `INSERT INTO monitoring_settings (key, value) VALUES ('scheduler', '{"enabled": false}')`,
    );
    await app.close();
    apps.pop();
    const restarted = await createTestApp({ roles: 'scheduler', env });
    apps.push(restarted);
    const producer = restarted.app.get(SchedulerService);
    await producer.idle();
    expect(await producer.tick()).toEqual({ skipped: 'disabled', claimed: 0 });
    expect(await restarted.queue.count()).toBe(0);
  });
});
