import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Fleet } from '../../../tools/fleet/fleet';
import { startRedis, type RedisServer } from '../../../tools/peers/redis';
import { startAppProcess, type AppProcess } from '../support/app-process';
import {
  CHAOS_APP_ENV,
  CHAOS_HOSTS,
  CHAOS_LEASE_SECONDS,
  fleetConnections,
  fleetIn,
  settle,
} from '../support/chaos-fleet';
import { recordFigures } from '../support/chaos-figures';
import {
  historyRows,
  secondsUntilEveryHostChecked,
  tasksSavedTwice,
  withDatabase,
} from '../support/check-counts';
import { cleanDatabase, testDatabaseUrl, testEnv } from '../support/test-env';
import { waitUntil } from '../support/wait';

const ROOT = join(__dirname, '..', '..', '..');
/** How long Redis stays away. */
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 8000);
/** What a log line about Redis being away says. */
const REDIS_AWAY = /ECONNREFUSED|Connection is closed|Stream isn't writeable|MaxRetriesPerRequest/;
/** What the issue allows: every host checked again within the lease + 60 s. */
const RECOVERY_BOUND_MS = (CHAOS_LEASE_SECONDS + 60) * 1000;
/** The scrape token of the app under test (its /metrics counts the outage). */
const METRICS_TOKEN = 'chaos-metrics-scrape-token';

/**
 * Redis dies under a running hostwatch (api, scheduler and worker in one process) and a fleet
 * of simulated SSH hosts, then comes back empty; later every key is flushed. A private
 * redis-server, never the machine's.
 */
describe(`chaos: Redis restarted and flushed under ${CHAOS_HOSTS} hosts`, () => {
  let redis: RedisServer;
  let app: AppProcess;
  let fleet: Fleet;
  let hostId = '';
  const db = testDatabaseUrl();

  const call = (method: string, path: string, timeoutMs = 2000) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${app.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-needed.js'), '--api'], {
      cwd: ROOT,
    });
    await cleanDatabase();
    redis = await startRedis();
    app = await startAppProcess(testEnv({ ...CHAOS_APP_ENV, REDIS_URL: redis.url, METRICS_TOKEN }));
    const start = new Date();
    fleet = await fleetIn(app);
    await secondsUntilEveryHostChecked(db, start, 120_000).catch((error: Error) => {
      throw new Error(`${error.message}; the app said:\n${app.lines().slice(-30).join('\n')}`);
    });
    hostId = await withDatabase(
      db,
      async (c) => (await c.query('SELECT id FROM hosts LIMIT 1')).rows[0].id,
    );
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    await fleet?.stop();
    await redis?.stop();
  }, 60_000);

  it('answers JIT checks with 503 within 2 s, keeps serving reads, logs the outage once, and checks every host again', async () => {
    const mark = app.lines().length;
    await fleet.resetCounters();
    const rowsBefore = await historyRows(db);

    await redis.crash();
    const downAt = Date.now();

    // A JIT check needs the queue: a clear 503, not a hanging request (the fetch gives up at 2 s).
    const jit = await call('POST', `/api/monitoring/hosts/${hostId}/check-connectivity`);
    const jitMs = Date.now() - downAt;
    expect(jit.status).toBe(503);
    expect(((await jit.json()) as { message: string }).message).toMatch(
      /Queue unavailable: Redis has not answered since/,
    );

    // Reads keep working, and the stats say since when the queue is unavailable.
    expect((await call('GET', '/api/hosts?page_size=5')).status).toBe(200);
    await waitUntil(
      async () => {
        const stats = (await (await call('GET', '/api/monitoring/stats')).json()) as {
          queue: { available: boolean; unavailable_since: string | null };
        };
        return stats.queue.available === false && stats.queue.unavailable_since !== null;
      },
      5000,
      'stats saying the queue is unavailable',
    );
    expect((await call('GET', `/api/monitoring/hosts/${hostId}/history?limit=5`)).status).toBe(200);
    // Readiness names what is down.
    const ready = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(5000) });
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toMatch(/redis/i);

    const left = OUTAGE_MS - (Date.now() - downAt);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    const again = await call('POST', `/api/monitoring/hosts/${hostId}/check-connectivity`);
    expect(again.status).toBe(503);

    await redis.start();
    const backAt = new Date();
    const recoverySeconds = await secondsUntilEveryHostChecked(db, backAt, RECOVERY_BOUND_MS);

    // JIT checks run again.
    const after = await call(
      'POST',
      `/api/monitoring/hosts/${hostId}/check-connectivity?wait=true`,
      20_000,
    );
    expect(after.status).toBe(200);

    expect(app.exit).toBeNull();
    expect(await tasksSavedTwice(db)).toBe(0);
    // The metrics count the outage.
    const metrics = await (
      await fetch(`${app.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        signal: AbortSignal.timeout(5000),
      })
    ).text();
    expect(metrics).toMatch(/^hostwatch_dependency_outages\{dependency="redis"\} [1-9]/m);
    expect(metrics).toMatch(/^hostwatch_dependency_down_seconds\{dependency="redis"\} [1-9]/m);
    const log = app.lines().slice(mark);
    const wentAway = log.filter((l) => /Redis at .* went away/.test(l));
    const cameBack = log.filter((l) => /Redis at .* is back after/.test(l));
    expect(wentAway).toHaveLength(1);
    expect(cameBack).toHaveLength(1);
    const otherWarnings = log.filter(
      (l) => /\b(WARN|ERROR)\b/.test(l) && !wentAway.includes(l) && !cameBack.includes(l),
    );
    // Nothing else repeats the outage, once per job or per component (nor prints it raw).
    expect(log.filter((l) => REDIS_AWAY.test(l) && !wentAway.includes(l))).toEqual([]);

    let rows = 0;
    let probes = 0;
    await settle(app, async () => {
      rows = (await historyRows(db)) - rowsBefore;
      probes = await fleetConnections(fleet);
    });
    recordFigures('redis-restart', {
      hosts: CHAOS_HOSTS,
      outage_seconds: Math.round((backAt.getTime() - downAt) / 100) / 10,
      jit_503_ms: jitMs,
      seconds_until_every_host_checked: recoverySeconds,
      tasks_saved_twice: 0,
      history_rows: rows,
      probes,
      probes_without_row: Math.max(0, probes - rows),
      other_warning_lines: otherWarnings.length,
      other_warnings: otherWarnings.slice(0, 10),
    });
  }, 600_000);

  it('loses every key (FLUSHALL) and still checks every host again, with no task applied twice', async () => {
    const mark = app.lines().length;
    await fleet.resetCounters();
    const rowsBefore = await historyRows(db);

    const flushedAt = new Date();
    await redis.call('FLUSHALL');
    const recoverySeconds = await secondsUntilEveryHostChecked(db, flushedAt, RECOVERY_BOUND_MS);

    const after = await call(
      'POST',
      `/api/monitoring/hosts/${hostId}/check-connectivity?wait=true`,
      20_000,
    );
    expect(after.status).toBe(200);
    expect(app.exit).toBeNull();
    expect(await tasksSavedTwice(db)).toBe(0);
    const log = app.lines().slice(mark);
    // Redis never went away: nothing says it did.
    expect(log.filter((l) => /went away|is back after/.test(l))).toEqual([]);
    const warnings = log.filter((l) => /\b(WARN|ERROR)\b/.test(l));

    let rows = 0;
    let probes = 0;
    await settle(app, async () => {
      rows = (await historyRows(db)) - rowsBefore;
      probes = await fleetConnections(fleet);
    });
    recordFigures('redis-flushall', {
      hosts: CHAOS_HOSTS,
      seconds_until_every_host_checked: recoverySeconds,
      tasks_saved_twice: 0,
      history_rows: rows,
      probes,
      probes_without_row: Math.max(0, probes - rows),
      warning_lines: warnings.length,
      warnings: warnings.slice(0, 10),
    });
  }, 600_000);
});
