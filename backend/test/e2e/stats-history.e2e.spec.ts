import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../support/test-app';
import { ManualClock } from '../support/manual-clock';
import { cleanDatabase } from '../support/test-env';
import { expectBadField, expectStatus } from './helpers';

/** The API's "now": 20 s into a minute, so the current minute is unfinished. */
const MINUTE = 60_000;
const LAST = Math.floor(Date.now() / MINUTE) * MINUTE;
const NOW = LAST + 20_000;
const at = (minutesAgo: number, ms = 0) => new Date(LAST - minutesAgo * MINUTE + ms);

interface Bucket {
  minute: string;
  checks: number;
  failures: number;
  response_time_samples: number;
  avg_response_time_ms: number | null;
  p95_response_time_ms: number | null;
}

const EMPTY = {
  checks: 0,
  failures: 0,
  response_time_samples: 0,
  avg_response_time_ms: null,
  p95_response_time_ms: null,
};

describe('GET /api/monitoring/stats/history: checks per minute from host_check_history', () => {
  let app: TestApp;

  const insert = async (
    hostId: string,
    checkTime: Date,
    success: boolean,
    responseTimeMs: number | null,
  ) => {
    await app.dataSource.query(
      `INSERT INTO host_check_history
         (host_id, check_time, monitoring_state, response_time_ms, success, task_id, stage)
       VALUES ($1, $2, $3, $4, $5, $6, 'auth')`,
      [hostId, checkTime, success ? 'HEALTHY' : 'DEGRADED', responseTimeMs, success, randomUUID()],
    );
  };

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({ clock: new ManualClock(NOW) });
    const host = await app
      .api()
      .post('/api/hosts')
      .send({ hostname: 'history-1', ip_address: '127.0.0.1', port: 22 });
    expectStatus(host, 201);
    const id = host.body.id as string;
    const other = await app
      .api()
      .post('/api/hosts')
      .send({ hostname: 'history-2', ip_address: '127.0.0.2', port: 22 });
    expectStatus(other, 201);

    // The current minute, so far: two checks before "now", one exactly at it (not yet).
    await insert(id, at(0), true, 100);
    await insert(id, at(0, 19_999), false, null);
    await insert(id, at(0, 20_000), true, 999);
    // A minute ago: 20 successes (1..20 ms) over two hosts, and a timeout whose 5 s says
    // nothing about speed.
    for (let ms = 1; ms <= 20; ms++) {
      await insert(ms % 2 ? id : other.body.id, at(1, ms * 1000), true, ms);
    }
    await insert(id, at(1, 59_999), false, 5000);
    // Two minutes ago: nothing. The oldest minute of a 60-minute window, on its first
    // millisecond; and one millisecond before it, outside.
    await insert(id, at(59), false, null);
    await insert(id, at(59, -1), true, 50);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers one bucket per minute for the last hour by default, empty minutes as zeros', async () => {
    const res = await app.api().get('/api/monitoring/stats/history');
    expectStatus(res, 200);
    const buckets = res.body.buckets as Bucket[];
    expect(res.body.minutes).toBe(60);
    expect(res.body.until).toBe(new Date(NOW).toISOString());
    expect(buckets).toHaveLength(60);
    expect(buckets.map((b) => Date.parse(b.minute))).toEqual(
      Array.from({ length: 60 }, (_, i) => at(59 - i).getTime()),
    );
    expect(buckets[59]).toEqual({
      minute: at(0).toISOString(),
      checks: 2,
      failures: 1,
      response_time_samples: 1,
      avg_response_time_ms: 100,
      p95_response_time_ms: 100,
    });
    expect(buckets[58]).toEqual({
      minute: at(1).toISOString(),
      checks: 21,
      failures: 1,
      response_time_samples: 20,
      avg_response_time_ms: 11, // 10.5, rounded
      p95_response_time_ms: 19, // 19.05 (interpolated), rounded
    });
    expect(buckets[57]).toEqual({ minute: at(2).toISOString(), ...EMPTY });
    expect(buckets[0]).toEqual({
      minute: at(59).toISOString(),
      ...EMPTY,
      checks: 1,
      failures: 1,
    });
    const total = buckets.reduce((n, b) => n + b.checks, 0);
    expect(total).toBe(24);
  });

  it('covers as many minutes as asked, the current one last', async () => {
    const one = await app.api().get('/api/monitoring/stats/history').query({ minutes: 1 });
    expectStatus(one, 200);
    expect(one.body.buckets).toHaveLength(1);
    expect(one.body.buckets[0]).toMatchObject({ minute: at(0).toISOString(), checks: 2 });

    const day = await app.api().get('/api/monitoring/stats/history').query({ minutes: 1440 });
    expectStatus(day, 200);
    expect(day.body.buckets).toHaveLength(1440);
    expect(day.body.buckets[0].minute).toBe(at(1439).toISOString());
    // The row just outside the hour is inside the day.
    expect(day.body.buckets[1380]).toMatchObject({ minute: at(59).toISOString(), checks: 1 });
    expect(day.body.buckets[1379]).toMatchObject({
      minute: at(60).toISOString(),
      checks: 1,
      avg_response_time_ms: 50,
    });
  });

  it.each([['0'], ['1441'], ['1.5'], ['-5'], ['sixty'], ['']])(
    'refuses minutes=%s with a 400 naming the field',
    async (minutes) => {
      const res = await app.api().get(`/api/monitoring/stats/history?minutes=${minutes}`);
      expectBadField(res, 'minutes');
      expect(res.body.errors[0].problem).toBe('minutes must be a whole number from 1 to 1440');
    },
  );

  it('is open to viewers and closed without an identity', async () => {
    const viewer = await app.userWithRole('viewer');
    expectStatus(await app.api(viewer.access_token).get('/api/monitoring/stats/history'), 200);
    expectStatus(await app.api(null).get('/api/monitoring/stats/history'), 401);
  });
});
