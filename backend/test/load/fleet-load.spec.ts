import { ManualClock } from '../support/manual-clock';
import {
  assignBehaviours,
  DEFAULT_PARAMS,
  expectedSuccesses,
  hostAddress,
  parseMix,
  type Behaviour,
  type BehaviourParams,
} from '../../../tools/fleet/behaviours';
import { startFleet, type Fleet } from '../../../tools/fleet/fleet';
import { api, registerInHostwatch } from '../../../tools/fleet/register';
import { createTestApp, type TestApp } from '../support/test-app';
import { TEST_ADMIN, truncateAll } from '../support/test-env';
import { freePort } from '../support/ports';

/**
 * The load test: 1,000 simulated SSH hosts with a known mix (a real simulator in its own
 * processes), the real app (API, producer, BullMQ worker, probes, Postgres), two full cycles.
 * Time is a manual clock: cycle 1 is every new host checked at once; then the clock jumps past
 * every interval and cycle 2 checks every host once more. Nothing is timed here: speed is the
 * bench's business.
 */
const HOSTS = 1000;
const MIX =
  'healthy=30,slow=10,refused=10,silent=5,not_ssh=10,drop=5,auth_fail=10,flapping=10,rotate_key=5,dies_after=5';
const PARAMS: BehaviourParams = {
  ...DEFAULT_PARAMS,
  slowMs: 150,
  flapEvery: 1,
  rotateEvery: 1,
  diesAfter: 1,
};

/** The error each behaviour's failing check must report. */
const FAILURE_TYPES: Partial<Record<Behaviour, string[]>> = {
  refused: ['connection_refused'],
  silent: ['timeout'],
  not_ssh: ['not_ssh'],
  drop: ['protocol_error'],
  auth_fail: ['auth_failed'],
  rotate_key: ['host_key_mismatch'],
  dies_after: ['connection_refused'],
  // The down phase resets the connection before the banner.
  flapping: ['protocol_error', 'connection_refused'],
};

function stateAfter(successes: boolean[]): string {
  // UNKNOWN → first result; default thresholds (1/2/3 failures, 3 successes to recover).
  let state = 'UNKNOWN';
  let fails = 0;
  let oks = 0;
  for (const ok of successes) {
    if (ok) {
      oks++;
      fails = 0;
      if (state === 'UNKNOWN' || state === 'HEALTHY' || oks >= 3) state = 'HEALTHY';
      else state = 'DEGRADED';
    } else {
      fails++;
      oks = 0;
      state = fails >= 3 ? 'DOWN' : fails >= 2 ? 'CRITICAL' : 'DEGRADED';
    }
  }
  return state;
}

describe(`load: ${HOSTS} simulated hosts through two full cycles`, () => {
  let fleet: Fleet;
  let app: TestApp;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    fleet = await startFleet({
      hosts: HOSTS,
      mix: MIX,
      port: await freePort(hostAddress(0)),
      params: PARAMS,
      controlPort: null,
      processes: 1,
    });
    app = await createTestApp({
      roles: 'api,scheduler,worker',
      clock,
      env: {
        SCHEDULER_TICK_MS: '200',
        WORKER_CONCURRENCY: '128',
        // Room for 128 probes at once on two loaded cores: a host that answers must never
        // time out; only the silent ones do, after these.
        PROBE_CONNECT_TIMEOUT_MS: '3000',
        PROBE_TIMEOUT_MS: '6000',
      },
    });
    await truncateAll(app.dataSource);
  });

  afterAll(async () => {
    await app?.close();
    await fleet?.stop();
  });

  async function waitForChecks(total: number): Promise<void> {
    const deadline = Date.now() + 60000;
    for (;;) {
      const [{ n }] = await app.dataSource.query(
        'SELECT count(*)::int AS n FROM host_check_history',
      );
      if (n >= total) return;
      if (Date.now() > deadline) throw new Error(`only ${n} of ${total} checks were saved`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('checks every host exactly twice, never twice at once, and ends each in the state its behaviour dictates', async () => {
    const registered = await registerInHostwatch(fleet, {
      api: app.url!,
      token: app.adminToken,
      auth: 'both',
      concurrency: 32,
    });
    expect(registered.created).toBe(HOSTS);

    // Cycle 1: every new host is due at once.
    await waitForChecks(HOSTS);
    // Cycle 2: past every interval (the longest is 30 min, + 10 % jitter).
    clock.advance(2 * 3600 * 1000);
    await waitForChecks(2 * HOSTS);
    // Let the producer run a few more ticks: nothing else may come due or be queued.
    await new Promise((r) => setTimeout(r, 1000));

    const behaviours = assignBehaviours(HOSTS, parseMix(MIX));
    const hosts: Array<{
      hostname: string;
      ip_address: string;
      monitoring_state: string;
      checks: number;
      tasks: number;
      results: boolean[];
      errors: Array<string | null>;
    }> = await app.dataSource.query(
      `SELECT h.hostname, h.ip_address, s.monitoring_state,
              count(c.id)::int AS checks, count(DISTINCT c.task_id)::int AS tasks,
              array_agg(c.success ORDER BY c.check_time) AS results,
              array_agg(c.error_type ORDER BY c.check_time) AS errors
         FROM hosts h JOIN host_status s ON s.host_id = h.id
         LEFT JOIN host_check_history c ON c.host_id = h.id
        GROUP BY h.id, s.monitoring_state`,
    );
    expect(hosts).toHaveLength(HOSTS);
    const byAddress = new Map(hosts.map((h) => [h.ip_address, h]));
    const seen = new Map((await fleet.list()).map((s) => [s.address, s]));

    const wrong: string[] = [];
    fleet.hosts.forEach((sim, i) => {
      const behaviour = behaviours[i];
      const host = byAddress.get(sim.address)!;
      const expected = expectedSuccesses(behaviour, 2, PARAMS);
      const problems: string[] = [];
      if (host.checks !== 2) problems.push(`${host.checks} checks`);
      if (host.tasks !== host.checks) problems.push('a task saved twice');
      if (JSON.stringify(host.results) !== JSON.stringify(expected)) {
        problems.push(`results ${host.results} (errors ${host.errors})`);
      }
      const state = stateAfter(expected);
      if (host.monitoring_state !== state) problems.push(`state ${host.monitoring_state}`);
      const allowed = FAILURE_TYPES[behaviour] ?? [];
      host.errors.forEach((e, k) => {
        if (!expected[k] && !allowed.includes(e ?? '')) problems.push(`error ${e}`);
      });
      // The simulator's own count: a duplicated job would be one more connection.
      const connections = seen.get(sim.address)?.connections ?? 0;
      const expectedConnections =
        behaviour === 'refused' ? 0 : behaviour === 'dies_after' ? PARAMS.diesAfter : 2;
      if (connections !== expectedConnections) problems.push(`${connections} connections`);
      if (problems.length > 0) {
        wrong.push(`${sim.hostname} (${behaviour}, expected ${state}): ${problems.join('; ')}`);
      }
    });
    expect(wrong.slice(0, 10)).toEqual([]);

    // Healthy hosts logged in with both kinds of credential.
    const healthy = (await fleet.list()).filter((s) => s.behaviour === 'healthy');
    expect(healthy.every((s) => s.authenticated === 2)).toBe(true);
    expect(registered.passwordCredentialId).not.toBeNull();

    // What the API says agrees with the database. The clock moved past the first access
    // token's lifetime, so log in again.
    const login = await api<{ access_token: string }>(
      app.url!,
      'POST',
      '/api/auth/login',
      TEST_ADMIN,
    );
    const stats = await api<{ hosts_by_state: Record<string, number> }>(
      app.url!,
      'GET',
      '/api/monitoring/stats',
      undefined,
      login.access_token,
    );
    const counts: Record<string, number> = {};
    behaviours.forEach((b) => {
      const state = stateAfter(expectedSuccesses(b, 2, PARAMS));
      counts[state] = (counts[state] ?? 0) + 1;
    });
    for (const [state, n] of Object.entries(counts)) {
      expect([state, stats.hosts_by_state[state]]).toEqual([state, n]);
    }
    expect(await app.queue.getWaitingCount()).toBe(0);
    expect(await app.queue.getActiveCount()).toBe(0);
  });
});
