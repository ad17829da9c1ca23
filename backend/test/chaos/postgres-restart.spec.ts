import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Fleet } from '../../../tools/fleet/fleet';
import { startPostgres, type PostgresCluster } from '../../../tools/peers/postgres';
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
import { testEnv } from '../support/test-env';
import { waitUntil } from '../support/wait';

const ROOT = join(__dirname, '..', '..', '..');
/** How long PostgreSQL stays down. */
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 8000);
/** What the issue allows: every host checked again within the lease + 60 s. */
const RECOVERY_BOUND_MS = (CHAOS_LEASE_SECONDS + 60) * 1000;

/**
 * PostgreSQL stopped (fast shutdown: every client disconnected, new ones refused) under a
 * running hostwatch and fleet, then started again. A cluster of its own (initdb on a temporary
 * directory, a free port), never the machine's server; a Redis of its own too.
 */
describe(`chaos: PostgreSQL restarted under ${CHAOS_HOSTS} hosts`, () => {
  let pg: PostgresCluster;
  let redis: RedisServer;
  let app: AppProcess;
  let fleet: Fleet;
  let db = '';

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-needed.js'), '--api'], {
      cwd: ROOT,
    });
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    db = pg.url('hostwatch_chaos');
    app = await startAppProcess(
      testEnv({ ...CHAOS_APP_ENV, DATABASE_URL: db, REDIS_URL: redis.url }),
    );
    const start = new Date();
    // Half the hosts answer slowly, so that probes are in flight when PostgreSQL stops.
    fleet = await fleetIn(app, { mix: 'healthy=50,slow=50', params: { slowMs: 1500 } });
    await secondsUntilEveryHostChecked(db, start, 120_000);
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    await fleet?.stop();
    await redis?.stop();
    await pg?.stop();
  }, 60_000);

  it('does not crash, holds the results it cannot write, applies each once when PostgreSQL is back, and checks every host again', async () => {
    const mark = app.lines().length;
    await fleet.resetCounters();
    const rowsBefore = await historyRows(db);

    // Stop PostgreSQL while slow probes are under way (they take 3 s): their results must
    // wait for it.
    const slowProbes = async () =>
      (await fleet.list())
        .filter((h) => h.behaviour === 'slow')
        .reduce((n, h) => n + h.connections, 0);
    const before = await slowProbes();
    await waitUntil(async () => (await slowProbes()) > before, 60_000, 'a slow probe under way');
    const downAt = new Date();
    await pg.halt('fast');
    // What needs the database answers a clear 503, at once.
    const read = await fetch(`${app.url}/api/hosts?page_size=5`, {
      headers: { authorization: `Bearer ${app.token}` },
      signal: AbortSignal.timeout(2000),
    });
    expect(read.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    expect(app.exit).toBeNull();
    await pg.start();
    const backAt = new Date();

    const recoverySeconds = await secondsUntilEveryHostChecked(db, backAt, RECOVERY_BOUND_MS);
    expect(app.exit).toBeNull();
    expect(await tasksSavedTwice(db)).toBe(0);
    // Results probed before PostgreSQL came back, written once it was back: held in their jobs.
    const held = await withDatabase(db, async (c) => {
      const { rows } = await c.query(
        'SELECT count(*)::int AS n FROM host_check_history WHERE check_time < $1 AND created_at >= $1',
        [backAt],
      );
      return rows[0].n as number;
    });
    expect(held).toBeGreaterThan(0);

    const log = app.lines().slice(mark);
    const wentAway = log.filter((l) => /PostgreSQL at .* went away/.test(l));
    const cameBack = log.filter((l) => /PostgreSQL at .* is back after/.test(l));
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
    recordFigures('postgres-restart', {
      hosts: CHAOS_HOSTS,
      outage_seconds: Math.round((backAt.getTime() - downAt.getTime()) / 100) / 10,
      read_during_outage: read.status,
      seconds_until_every_host_checked: recoverySeconds,
      tasks_saved_twice: 0,
      results_held_through_outage: held,
      history_rows: rows,
      probes,
      probes_without_row: Math.max(0, probes - rows),
      other_warning_lines: warnings.length,
      other_warnings: warnings.slice(0, 15),
    });
  }, 600_000);
});
