import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Fleet } from '../../../tools/fleet/fleet';
import { startRedis, type RedisServer } from '../../../tools/peers/redis';
import { startSentinel, type Sentinel } from '../../../tools/peers/sentinel';
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

const ROOT = join(__dirname, '..', '..', '..');
const NAME = 'main';
/** What the issue allows: every host checked again within the lease + 60 s. */
const RECOVERY_BOUND_MS = (CHAOS_LEASE_SECONDS + 60) * 1000;

/**
 * Redis Sentinel: a primary, a replica and three sentinels on loopback (Debian's
 * redis-sentinel); hostwatch knows only the sentinels (REDIS_SENTINELS, REDIS_SENTINEL_NAME).
 * The primary is killed; the sentinels promote the replica, and hostwatch follows.
 */
describe(`chaos: Redis Sentinel failover under ${CHAOS_HOSTS} hosts`, () => {
  let primary: RedisServer;
  let replica: RedisServer;
  const sentinels: Sentinel[] = [];
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
    primary = await startRedis();
    replica = await startRedis({ replicaOf: primary });
    await replica.waitForSync();
    for (let i = 0; i < 3; i++) sentinels.push(await startSentinel({ name: NAME, primary }));
    app = await startAppProcess(
      testEnv({
        ...CHAOS_APP_ENV,
        // Only the password, db and TLS would come from here: the sentinels name the primary.
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_SENTINELS: sentinels.map((s) => s.address).join(','),
        REDIS_SENTINEL_NAME: NAME,
      }),
    );
    const start = new Date();
    fleet = await fleetIn(app);
    await secondsUntilEveryHostChecked(db, start, 120_000);
    hostId = await withDatabase(
      db,
      async (c) => (await c.query('SELECT id FROM hosts LIMIT 1')).rows[0].id,
    );
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    await fleet?.stop();
    for (const sentinel of sentinels) await sentinel.stop();
    await replica?.stop();
    await primary?.stop();
  }, 60_000);

  it('follows the sentinels to the promoted replica, and checks go on', async () => {
    const mark = app.lines().length;
    await fleet.resetCounters();
    const rowsBefore = await historyRows(db);

    const killedAt = Date.now();
    await primary.crash();
    await Promise.all(sentinels.map((s) => s.waitForPrimary(replica.port, 60_000)));
    const promotedAt = new Date();
    const recoverySeconds = await secondsUntilEveryHostChecked(db, promotedAt, RECOVERY_BOUND_MS);

    // JIT checks run on the new primary.
    const jit = await call(
      'POST',
      `/api/monitoring/hosts/${hostId}/check-connectivity?wait=true`,
      20_000,
    );
    expect(jit.status).toBe(200);
    expect(String(await replica.call('ROLE'))).toMatch(/^master/);

    expect(app.exit).toBeNull();
    expect(await tasksSavedTwice(db)).toBe(0);
    const log = app.lines().slice(mark);
    const wentAway = log.filter((l) => /Redis primary 'main' via sentinels .* went away/.test(l));
    const cameBack = log.filter((l) =>
      /Redis primary 'main' via sentinels .* is back after/.test(l),
    );
    expect(wentAway).toHaveLength(1);
    expect(cameBack).toHaveLength(1);
    const warnings = log.filter(
      (l) => /\b(WARN|ERROR)\b|Error:/.test(l) && !wentAway.includes(l) && !cameBack.includes(l),
    );
    // Nothing else repeats the outage, once per job or per component (nor prints it raw).
    expect(warnings).toEqual([]);

    let rows = 0;
    let probes = 0;
    await settle(app, async () => {
      rows = (await historyRows(db)) - rowsBefore;
      probes = await fleetConnections(fleet);
    });
    recordFigures('sentinel-failover', {
      hosts: CHAOS_HOSTS,
      seconds_to_promotion: Math.round((promotedAt.getTime() - killedAt) / 100) / 10,
      seconds_until_every_host_checked: recoverySeconds,
      tasks_saved_twice: 0,
      history_rows: rows,
      probes,
      probes_without_row: Math.max(0, probes - rows),
      outage_logged: wentAway,
      recovery_logged: cameBack,
      other_warning_lines: warnings.length,
      other_warnings: warnings.slice(0, 10),
    });
  }, 600_000);
});
