import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Fleet } from '../../../tools/fleet/fleet';
import { api } from '../../../tools/fleet/register';
import { startRedis, type RedisServer } from '../../../tools/peers/redis';
import { startAppProcess, type AppProcess } from '../support/app-process';
import { CHAOS_APP_ENV, fleetIn } from '../support/chaos-fleet';
import { recordFigures } from '../support/chaos-figures';
import { secondsUntilEveryHostChecked, withDatabase } from '../support/check-counts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers';
import { cleanDatabase, testDatabaseUrl, testEnv } from '../support/test-env';
import { waitUntil } from '../support/wait';

const ROOT = join(__dirname, '..', '..', '..');
const HOSTS = 40;
/** The rack that goes dark: these hosts refuse connections, then come back. */
const RACK = 15;
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 8000);
const EVENTS = ['problem_opened', 'problem_resolved'];

interface Delivered {
  event_id: string;
  alerts: Array<{ alert_id: string; kind: string }>;
}

/**
 * A rack outage while Redis dies: hosts of the rack fail, their problems open and are
 * notified while Redis is killed and comes back empty; then the rack comes back and the
 * problems resolve. A receiver that deduplicates on the event id (as docs/notifications.md
 * tells receivers to) must end with every problem's opening and resolution exactly once.
 */
describe('chaos: notifications through a Redis outage during a rack outage', () => {
  let redis: RedisServer;
  let app: AppProcess;
  let fleet: Fleet;
  let receiver: HttpReceiver;
  const db = testDatabaseUrl();

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-needed.js'), '--api'], {
      cwd: ROOT,
    });
    await cleanDatabase();
    [redis, receiver] = await Promise.all([startRedis(), startHttpReceiver()]);
    app = await startAppProcess(
      testEnv({
        ...CHAOS_APP_ENV,
        REDIS_URL: redis.url,
        NOTIFY_RETRY_BASE_MS: '500',
        NOTIFY_RETRY_MAX_MS: '2000',
      }),
    );
    const channel = await api<{ id: string }>(
      app.url!,
      'POST',
      '/api/notifications/channels',
      { name: 'hook', type: 'webhook', config: { url: `${receiver.url}/in` } },
      app.token,
    );
    await api(
      app.url!,
      'POST',
      '/api/notifications/rules',
      {
        name: 'problems',
        events: EVENTS,
        channel_ids: [channel.id],
        group_wait_seconds: 0,
        group_interval_seconds: 1,
      },
      app.token,
    );
    const start = new Date();
    fleet = await fleetIn(app, { hosts: HOSTS });
    await secondsUntilEveryHostChecked(db, start, 120_000);
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    await fleet?.stop();
    await receiver?.close();
    await redis?.stop();
  }, 60_000);

  /** Alert events of the notified kinds, as the database has them. */
  const events = () =>
    withDatabase(db, async (c) => {
      const { rows } = await c.query(
        'SELECT alert_id, kind FROM alert_events WHERE kind = ANY($1) AND alert_id IS NOT NULL',
        [EVENTS],
      );
      return rows.map((r) => `${r.alert_id} ${r.kind}`) as string[];
    });
  /** What the receiver kept (one per event id), alert by alert. */
  const kept = () =>
    receiver.accepted.flatMap((r) =>
      (r.body as Delivered).alerts.map((a) => `${a.alert_id} ${a.kind}`),
    );

  it('loses no notification and keeps none twice', async () => {
    const rack = fleet.hosts.slice(0, RACK);
    for (const host of rack) await fleet.set(host.address, 'refused');

    // Problems open while Redis goes away and comes back empty.
    await waitUntil(async () => (await events()).length >= 3, 60_000, 'first problems opened');
    const mark = app.lines().length;
    await redis.crash();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await redis.start();

    await waitUntil(
      async () => (await events()).filter((e) => e.endsWith('problem_opened')).length === RACK,
      120_000,
      'every problem of the rack opened',
    );
    for (const host of rack) await fleet.set(host.address, 'healthy');
    await waitUntil(
      async () => (await events()).filter((e) => e.endsWith('problem_resolved')).length === RACK,
      120_000,
      'every problem resolved',
    );

    // Everything the database says happened reaches the receiver, once.
    const expected = (await events()).sort();
    await waitUntil(
      async () => new Set(kept()).size === expected.length,
      120_000,
      'every notification delivered',
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const received = kept();
    expect([...new Set(received)].sort()).toEqual(expected);
    expect(received).toHaveLength(expected.length);
    expect(app.exit).toBeNull();
    expect(app.grep(/Redis at .* went away/, mark)).toHaveLength(1);
    // Nothing else repeats the outage, per message or per job.
    expect(
      app
        .grep(/ECONNREFUSED|Connection is closed|Stream isn't writeable/, mark)
        .filter((l) => !/went away/.test(l)),
    ).toEqual([]);

    recordFigures('notifications-redis-outage', {
      hosts: HOSTS,
      rack: RACK,
      outage_seconds: OUTAGE_MS / 1000,
      notified_events: expected.length,
      lost: expected.filter((e) => !received.includes(e)).length,
      kept_twice: received.length - new Set(received).size,
      requests: receiver.requests.length,
      resent_same_event_id: receiver.requests.length - receiver.accepted.length,
    });
  }, 600_000);
});
