import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';
import { expectBadField, expectStatus, msFromNow, UNKNOWN_UUID } from './helpers';
import { updateHost } from '../support/host-rows';

/** The seed's JIT answer, plus `status` (documented in the DTO and OpenAPI). */
const JIT_FIELDS = [
  'host_id',
  'hostname',
  'ip_address',
  'current_state',
  'current_status',
  'last_check',
  'response_time_ms',
  'check_queued',
  'task_id',
  'priority',
  'message',
  'status',
];

const SEED_STATE_FIELDS = [
  'host_id',
  'hostname',
  'ip_address',
  'current_state',
  'current_status',
  'consecutive_failures',
  'consecutive_successes',
  'next_check_time',
  'last_state_change',
  'check_priority',
  'response_time_ms',
  'last_check',
  'check_interval_info',
  'recent_history',
];

const DEFAULT_POLICY = {
  thresholds: {
    degraded_after_failures: 1,
    critical_after_failures: 2,
    down_after_failures: 3,
    healthy_after_successes: 3,
  },
  intervals_seconds: { HEALTHY: 1800, DEGRADED: 300, CRITICAL: 120, DOWN: 1800 },
  priorities: { HEALTHY: 3, DEGRADED: 6, CRITICAL: 9, DOWN: 4, UNKNOWN: 7, JIT: 9 },
  jitter_ratio: 0.1,
  problem_states: ['CRITICAL', 'DOWN'],
  flapping: { start_percent: 30, stop_percent: 25 },
  history_retention_days: null,
};

const STATES = ['UNKNOWN', 'HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN', 'MAINTENANCE'];

interface HistoryRow {
  check_time: Date;
  monitoring_state?: string;
  previous_state?: string | null;
  response_time_ms?: number | null;
  success?: boolean;
  error_type?: string | null;
  error_message?: string | null;
  checked_by?: string;
  task_id?: string;
  stage?: string;
}

describe('Monitoring API', () => {
  let app: TestApp;

  const api = () => app.api();
  const start = async () => {
    app = await createTestApp();
  };
  const restart = async () => {
    await app.close();
    await start();
  };
  const createHost = async (body: Record<string, unknown>) => {
    const res = await api().post('/api/hosts').send(body);
    expectStatus(res, 201);
    return res.body as { id: string; hostname: string };
  };
  /** Inserts history rows as the worker would; returns their task ids. */
  const insertHistory = async (hostId: string, rows: HistoryRow[]): Promise<string[]> => {
    const ids: string[] = [];
    for (const row of rows) {
      const taskId = row.task_id ?? `sched-${randomUUID()}`;
      ids.push(taskId);
      await app.dataSource.query(
        `INSERT INTO host_check_history
           (host_id, check_time, monitoring_state, previous_state, response_time_ms, success,
            error_message, error_type, checked_by, task_id, stage)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          hostId,
          row.check_time,
          row.monitoring_state ?? 'HEALTHY',
          row.previous_state ?? 'HEALTHY',
          row.response_time_ms === undefined ? 120 : row.response_time_ms,
          row.success ?? true,
          row.error_message ?? null,
          row.error_type ?? null,
          row.checked_by ?? 'scheduler',
          taskId,
          row.stage ?? 'auth',
        ],
      );
    }
    return ids;
  };
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

  beforeAll(start);

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    await truncateAll(app.dataSource);
    await app.queue.obliterate({ force: true });
    await app.jitQueue.obliterate({ force: true });
  });

  describe('just-in-time checks', () => {
    it('queues a check at priority 9 and answers 202 with the seed fields', async () => {
      const host = await createHost({ hostname: 'jit-1', ip_address: '10.9.0.1' });
      const res = await api().post(`/api/monitoring/hosts/${host.id}/check-connectivity`);
      expectStatus(res, 202);
      expect(Object.keys(res.body).sort()).toEqual([...JIT_FIELDS].sort());
      expect(res.body).toEqual({
        host_id: host.id,
        hostname: 'jit-1',
        ip_address: '10.9.0.1',
        current_state: 'UNKNOWN',
        current_status: 'unknown',
        last_check: null,
        response_time_ms: null,
        check_queued: true,
        task_id: expect.stringMatching(/^[A-Za-z0-9_-]{1,200}$/),
        priority: 9,
        message: expect.stringMatching(/queued/i),
        status: 'queued',
      });

      const job = await app.jitQueue.getJob(res.body.task_id);
      expect(job).toBeDefined();
      expect(job!.name).toBe('check-host');
      expect(job!.data).toMatchObject({ host_id: host.id, checked_by: 'jit', priority: 9 });
      // BullMQ: 1 is the most urgent priority there is.
      expect(job!.opts.priority).toBe(1);
      expect(await job!.getState()).toBe('prioritized');
    });

    it('queues the JIT check apart from every scheduled check already waiting', async () => {
      const host = await createHost({ hostname: 'jit-first' });
      const other = await createHost({ hostname: 'scheduled' });
      // Scheduled checks at the most urgent scheduled priority (CRITICAL, API 9).
      for (let i = 0; i < 5; i++) {
        await app.queue.add(
          'check-host',
          {
            host_id: other.id,
            checked_by: 'scheduler',
            priority: 9,
            queued_at: new Date().toISOString(),
          },
          { jobId: `sched-${other.id}-${i}`, priority: 2 },
        );
      }
      const res = await api().post(`/api/monitoring/hosts/${host.id}/check-connectivity`);
      expectStatus(res, 202);
      // Nothing is ahead of it on its own queue, and the scheduled queue is as it was.
      const jit = await app.jitQueue.getJobs(['prioritized', 'waiting'], 0, -1);
      expect(jit.map((j) => j.id)).toEqual([res.body.task_id]);
      const scheduled = await app.queue.getJobs(['prioritized', 'waiting'], 0, -1);
      expect(scheduled.map((j) => j.data.host_id)).toEqual(Array(5).fill(other.id));
    });

    it('gives each JIT request its own task', async () => {
      const host = await createHost({ hostname: 'jit-twice' });
      const a = await api().post(`/api/monitoring/hosts/${host.id}/check-connectivity`);
      const b = await api().post(`/api/monitoring/hosts/${host.id}/check-connectivity`);
      expect(a.body.task_id).not.toBe(b.body.task_id);
    });

    it('reports a queued check as queued (no worker runs here)', async () => {
      const host = await createHost({ hostname: 'jit-status' });
      const queued = await api().post(`/api/monitoring/hosts/${host.id}/check-connectivity`);
      const res = await api().get(`/api/monitoring/checks/${queued.body.task_id}`);
      expectStatus(res, 200);
      expect(res.body).toEqual({
        task_id: queued.body.task_id,
        host_id: host.id,
        status: 'queued',
        checked_by: 'jit',
        priority: 9,
        result: null,
        message: null,
      });
    });

    it('with wait=true answers 202 when no result comes within timeout_ms', async () => {
      const host = await createHost({ hostname: 'jit-wait' });
      const started = Date.now();
      const res = await api()
        .post(`/api/monitoring/hosts/${host.id}/check-connectivity`)
        .query({ wait: 'true', timeout_ms: 300 });
      const elapsed = Date.now() - started;
      expectStatus(res, 202);
      expect(res.body).toMatchObject({ check_queued: true, status: 'queued', priority: 9 });
      expect(res.body.message).toContain(`/api/monitoring/checks/${res.body.task_id}`);
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(5000);
    });

    it('answers a finished check from history after the queue forgot it', async () => {
      const host = await createHost({ hostname: 'jit-history' });
      const [taskId] = await insertHistory(host.id, [
        {
          check_time: minutesAgo(1),
          monitoring_state: 'DEGRADED',
          previous_state: 'HEALTHY',
          success: false,
          error_type: 'connection_refused',
          error_message: 'connect ECONNREFUSED',
          response_time_ms: 3,
          stage: 'connect',
          checked_by: 'jit',
          task_id: `jit-${randomUUID()}`,
        },
      ]);
      const res = await api().get(`/api/monitoring/checks/${taskId}`);
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        task_id: taskId,
        host_id: host.id,
        status: 'completed',
        checked_by: 'jit',
        result: {
          task_id: taskId,
          host_id: host.id,
          hostname: 'jit-history',
          success: false,
          error_type: 'connection_refused',
          stage: 'connect',
          previous_state: 'HEALTHY',
          new_state: 'DEGRADED',
          state_changed: true,
        },
      });
    });

    it.each<[string, Record<string, string>, string]>([
      ['wait=maybe', { wait: 'maybe' }, 'wait'],
      ['timeout_ms below 100', { wait: 'true', timeout_ms: '50' }, 'timeout_ms'],
      ['timeout_ms above 120000', { wait: 'true', timeout_ms: '120001' }, 'timeout_ms'],
      ['timeout_ms not a number', { timeout_ms: 'soon' }, 'timeout_ms'],
      ['an unknown parameter', { priority: '9' }, 'priority'],
    ])('rejects %s with a 400 naming the field, and queues nothing', async (_n, query, field) => {
      const host = await createHost({ hostname: 'jit-bad' });
      const res = await api()
        .post(`/api/monitoring/hosts/${host.id}/check-connectivity`)
        .query(query);
      expectBadField(res, field);
      expect(await app.jitQueue.count()).toBe(0);
    });

    it('answers 404 for an unknown check, 400 for a malformed task id', async () => {
      const unknown = await api().get(`/api/monitoring/checks/jit-${randomUUID()}`);
      expectStatus(unknown, 404);
      expectBadField(await api().get('/api/monitoring/checks/has%20spaces'), 'task_id');
      expectBadField(await api().get(`/api/monitoring/checks/${'x'.repeat(300)}`), 'task_id');
      expectBadField(await api().get('/api/monitoring/checks/a%00b'), 'task_id');
      expectBadField(await api().get('/api/monitoring/checks/..%2F..%2Fetc'), 'task_id');
    });
  });

  describe('host state', () => {
    it('describes a new host: UNKNOWN, due at once, no history', async () => {
      const host = await createHost({ hostname: 'state-new', ip_address: '10.9.0.2' });
      const res = await api().get(`/api/monitoring/hosts/${host.id}/state`);
      expectStatus(res, 200);
      for (const field of SEED_STATE_FIELDS) expect(res.body).toHaveProperty(field);
      expect(res.body).toMatchObject({
        host_id: host.id,
        hostname: 'state-new',
        ip_address: '10.9.0.2',
        current_state: 'UNKNOWN',
        current_status: 'unknown',
        consecutive_failures: 0,
        consecutive_successes: 0,
        check_priority: 7,
        response_time_ms: null,
        last_check: null,
        recent_history: [],
      });
      expect(msFromNow(res.body.next_check_time)).toBeLessThan(10_000);
      expect(res.body.check_interval_info).toEqual({
        seconds: 0,
        minutes: 0,
        description: expect.any(String),
      });
    });

    it('shows counters, interval and the last 10 checks newest first', async () => {
      const host = await createHost({ hostname: 'state-busy' });
      await updateHost(
        app.dataSource,
        host.id,
        {
          monitoring_state: "'DEGRADED'",
          consecutive_failures: '1',
          consecutive_successes: '0',
          check_priority: '6',
          response_time_ms: '42',
          last_check_at: "now() - interval '1 minute'",
          last_state_change_at: "now() - interval '1 minute'",
          next_check_at: "now() + interval '4 minutes'",
        },
        { sql: true },
      );
      const times = Array.from({ length: 12 }, (_, i) => minutesAgo(60 - i));
      const taskIds = await insertHistory(
        host.id,
        times.map((check_time, i) => ({ check_time, response_time_ms: 100 + i })),
      );
      const res = await api().get(`/api/monitoring/hosts/${host.id}/state`);
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        current_state: 'DEGRADED',
        current_status: 'degraded',
        consecutive_failures: 1,
        check_priority: 6,
        response_time_ms: 42,
        check_interval_info: { seconds: 300, minutes: 5 },
      });
      expect(res.body.check_interval_info.description).toMatch(/5 min/);
      expect(msFromNow(res.body.last_check)).toBeLessThan(70_000);
      expect(res.body.recent_history).toHaveLength(10);
      expect(res.body.recent_history.map((r: { task_id: string }) => r.task_id)).toEqual(
        taskIds.slice(2).reverse(),
      );
      expect(res.body.recent_history[0]).toEqual({
        check_time: times[11].toISOString(),
        state: 'HEALTHY',
        previous_state: 'HEALTHY',
        response_time_ms: 111,
        success: true,
        error_message: null,
        error_type: null,
        checked_by: 'scheduler',
        stage: 'auth',
        task_id: taskIds[11],
        unreachable: false,
      });
    });

    it('describes a host in maintenance as not checked', async () => {
      const host = await createHost({ hostname: 'state-maint', monitoring_state: 'MAINTENANCE' });
      const res = await api().get(`/api/monitoring/hosts/${host.id}/state`);
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        current_state: 'MAINTENANCE',
        current_status: 'maintenance',
        next_check_time: null,
        check_interval_info: { seconds: null, minutes: null },
      });
    });
  });

  describe('history', () => {
    /** 23 checks for one host (two pairs share a check_time), 3 for another host. */
    const seedHistory = async () => {
      const host = await createHost({ hostname: 'hist' });
      const other = await createHost({ hostname: 'hist-other' });
      const base = Date.now() - 3 * 3600_000;
      const rows: HistoryRow[] = Array.from({ length: 21 }, (_, i) => ({
        check_time: new Date(base + i * 60_000),
        success: i % 3 !== 0,
      }));
      rows.push(
        { check_time: new Date(base + 5 * 60_000) },
        { check_time: new Date(base + 9 * 60_000) },
      );
      const ids = await insertHistory(host.id, rows);
      await insertHistory(
        other.id,
        [1, 2, 3].map((i) => ({ check_time: new Date(base + i * 60_000) })),
      );
      const expected: { task_id: string; check_time: string }[] = await app.dataSource.query(
        `SELECT task_id, check_time FROM host_check_history WHERE host_id = $1
          ORDER BY check_time DESC, id DESC`,
        [host.id],
      );
      return { host, base, ids, expected: expected.map((r) => r.task_id) };
    };
    const taskIds = (res: Response) =>
      (res.body.items as { task_id: string }[]).map((i) => i.task_id);

    it('pages newest first with a cursor, without gaps or repeats', async () => {
      const { host, expected } = await seedHistory();
      expect(expected).toHaveLength(23);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Response = await api()
          .get(`/api/monitoring/hosts/${host.id}/history`)
          .query(cursor ? { limit: 5, cursor } : { limit: 5 });
        expectStatus(res, 200);
        expect(Object.keys(res.body).sort()).toEqual(['items', 'next_cursor']);
        expect(res.body.items.length).toBeLessThanOrEqual(5);
        seen.push(...taskIds(res));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(5);
      expect(seen).toEqual(expected);
    });

    it('returns the whole history in one page by default, with a null cursor', async () => {
      const { host, expected } = await seedHistory();
      const res = await api().get(`/api/monitoring/hosts/${host.id}/history`);
      expectStatus(res, 200);
      expect(taskIds(res)).toEqual(expected);
      expect(res.body.next_cursor).toBeNull();
      expect(res.body.items[0]).toEqual({
        id: expect.any(String),
        task_id: expected[0],
        check_time: expect.any(String),
        monitoring_state: 'HEALTHY',
        state: 'HEALTHY',
        previous_state: 'HEALTHY',
        response_time_ms: 120,
        success: true,
        error_message: null,
        error_type: null,
        checked_by: 'scheduler',
        stage: 'auth',
        unreachable: false,
      });
    });

    it('filters by since (inclusive) and until (exclusive)', async () => {
      const { host, base } = await seedHistory();
      const since = new Date(base + 10 * 60_000).toISOString();
      const until = new Date(base + 15 * 60_000).toISOString();
      const res = await api()
        .get(`/api/monitoring/hosts/${host.id}/history`)
        .query({ since, until });
      expectStatus(res, 200);
      const minutes = (res.body.items as { check_time: string }[]).map(
        (i) => (Date.parse(i.check_time) - base) / 60_000,
      );
      expect(minutes).toEqual([14, 13, 12, 11, 10]);

      const paged = await api()
        .get(`/api/monitoring/hosts/${host.id}/history`)
        .query({ since, until, limit: 3 });
      const second = await api()
        .get(`/api/monitoring/hosts/${host.id}/history`)
        .query({ since, until, limit: 3, cursor: paged.body.next_cursor });
      expect([...taskIds(paged), ...taskIds(second)]).toEqual(taskIds(res));
      expect(second.body.next_cursor).toBeNull();
    });

    it('pages rows written with microsecond check times (e.g. by SQL now()) without gaps', async () => {
      const host = await createHost({ hostname: 'hist-micro' });
      // Four rows in the same millisecond, and three sharing one microsecond timestamp.
      for (const t of [
        '.123100',
        '.123200',
        '.123300',
        '.123400',
        '.456789',
        '.456789',
        '.456789',
      ]) {
        await app.dataSource.query(
          `INSERT INTO host_check_history (host_id, check_time, monitoring_state, success, task_id, stage)
           VALUES ($1, $2::timestamptz, 'HEALTHY', true, $3, 'auth')`,
          [host.id, `2025-01-01T00:00:00${t}Z`, `sched-${randomUUID()}`],
        );
      }
      const all: { task_id: string }[] = await app.dataSource.query(
        `SELECT task_id FROM host_check_history WHERE host_id = $1 ORDER BY check_time DESC, id DESC`,
        [host.id],
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const res: Response = await api()
          .get(`/api/monitoring/hosts/${host.id}/history`)
          .query(cursor ? { limit: 2, cursor } : { limit: 2 });
        expectStatus(res, 200);
        seen.push(...taskIds(res));
        cursor = res.body.next_cursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(all.map((r) => r.task_id));
    });

    it('is empty for a host that was never checked', async () => {
      const host = await createHost({ hostname: 'hist-empty' });
      const res = await api().get(`/api/monitoring/hosts/${host.id}/history`);
      expectStatus(res, 200);
      expect(res.body).toEqual({ items: [], next_cursor: null });
    });

    it.each<[string, Record<string, string>, string]>([
      ['a cursor that is not one', { cursor: 'abc' }, 'cursor'],
      ['a cursor with bad characters', { cursor: 'a b!' }, 'cursor'],
      [
        'a cursor of JSON junk',
        { cursor: Buffer.from('["x","y"]').toString('base64url') },
        'cursor',
      ],
      ['a cursor of a JSON object', { cursor: Buffer.from('{}').toString('base64url') }, 'cursor'],
      ['a cursor of null', { cursor: Buffer.from('null').toString('base64url') }, 'cursor'],
      [
        'a cursor whose id is not a UUID',
        {
          cursor: Buffer.from(`["2024-01-01T00:00:00Z","${'a'.repeat(36)}"]`).toString('base64url'),
        },
        'cursor',
      ],
      ['since before any timestamp Postgres holds', { since: '-271821-04-20T00:00:00Z' }, 'since'],
      [
        'since after until',
        { since: '2024-02-01T00:00:00Z', until: '2024-01-01T00:00:00Z' },
        'since',
      ],
      [
        'since equal to until',
        { since: '2024-01-01T00:00:00Z', until: '2024-01-01T00:00:00Z' },
        'since',
      ],
      ['since that is not a date', { since: 'yesterday' }, 'since'],
      ['until that is not a date', { until: '2024-13-45T99:00:00Z' }, 'until'],
      ['limit 0', { limit: '0' }, 'limit'],
      ['limit 501', { limit: '501' }, 'limit'],
      ['an unknown parameter', { page: '2' }, 'page'],
    ])('rejects %s with a 400 naming the field', async (_n, query, field) => {
      const host = await createHost({ hostname: 'hist-bad' });
      expectBadField(
        await api().get(`/api/monitoring/hosts/${host.id}/history`).query(query),
        field,
      );
    });
  });

  describe('unknown and malformed host ids', () => {
    it.each([
      ['POST', 'check-connectivity'],
      ['GET', 'state'],
      ['GET', 'history'],
    ])('%s /api/monitoring/hosts/{id}/%s: 404 unknown, 400 malformed', async (method, route) => {
      const call = (id: string) =>
        method === 'POST'
          ? api().post(`/api/monitoring/hosts/${id}/${route}`)
          : api().get(`/api/monitoring/hosts/${id}/${route}`);
      const unknown = await call(UNKNOWN_UUID);
      expectStatus(unknown, 404);
      expect(unknown.body.message).toContain(UNKNOWN_UUID);
      expectBadField(await call('not-a-uuid'), 'id');
      expect(await app.jitQueue.count()).toBe(0);
    });
  });

  describe('policy', () => {
    afterEach(async () => {
      // The service caches the policy briefly: restore it through the API, not by truncating.
      expectStatus(await api().put('/api/monitoring/policy').send(DEFAULT_POLICY), 200);
    });

    it('has the documented defaults', async () => {
      const res = await api().get('/api/monitoring/policy');
      expectStatus(res, 200);
      expect(res.body).toEqual(DEFAULT_POLICY);
    });

    it('merges a partial update, persists it, and keeps it across a restart', async () => {
      const res = await api()
        .put('/api/monitoring/policy')
        .send({ intervals_seconds: { HEALTHY: 1 }, priorities: { DOWN: 5 }, jitter_ratio: 0 });
      expectStatus(res, 200);
      const expected = {
        ...DEFAULT_POLICY,
        intervals_seconds: { ...DEFAULT_POLICY.intervals_seconds, HEALTHY: 1 },
        priorities: { ...DEFAULT_POLICY.priorities, DOWN: 5 },
        jitter_ratio: 0,
      };
      expect(res.body).toEqual(expected);
      expect((await api().get('/api/monitoring/policy')).body).toEqual(expected);

      // A second partial update keeps the first one.
      const again = await api()
        .put('/api/monitoring/policy')
        .send({ thresholds: { healthy_after_successes: 5 } });
      expectStatus(again, 200);
      const both = {
        ...expected,
        thresholds: { ...expected.thresholds, healthy_after_successes: 5 },
      };
      expect(again.body).toEqual(both);

      await restart();
      expect((await api().get('/api/monitoring/policy')).body).toEqual(both);
    });

    it('applies new priorities and shorter intervals to existing hosts at once', async () => {
      const degraded = await createHost({ hostname: 'pol-degraded' });
      const healthy = await createHost({ hostname: 'pol-healthy' });
      await updateHost(
        app.dataSource,
        degraded.id,
        { monitoring_state: "'DEGRADED'", check_priority: '6' },
        { sql: true },
      );
      await updateHost(
        app.dataSource,
        healthy.id,
        {
          monitoring_state: "'HEALTHY'",
          check_priority: '3',
          last_check_at: "now() - interval '10 minutes'",
          next_check_at: "now() + interval '20 minutes'",
        },
        { sql: true },
      );
      const res = await api()
        .put('/api/monitoring/policy')
        .send({ priorities: { DEGRADED: 8 }, intervals_seconds: { HEALTHY: 60 } });
      expectStatus(res, 200);
      expect((await api().get(`/api/hosts/${degraded.id}`)).body.check_priority).toBe(8);
      const h = (await api().get(`/api/hosts/${healthy.id}`)).body;
      // Due one minute after its last check, i.e. about nine minutes ago: overdue now.
      expect(Date.parse(h.next_check_at)).toBeLessThan(Date.now() - 8 * 60_000);
    });

    it.each<[string, unknown, string]>([
      ['a zero interval', { intervals_seconds: { HEALTHY: 0 } }, 'intervals_seconds.HEALTHY'],
      ['HEALTHY as a problem state', { problem_states: ['HEALTHY'] }, 'problem_states'],
      ['a repeated problem state', { problem_states: ['DOWN', 'DOWN'] }, 'problem_states'],
      ['a negative interval', { intervals_seconds: { DOWN: -5 } }, 'intervals_seconds.DOWN'],
      [
        'a fractional interval',
        { intervals_seconds: { CRITICAL: 1.5 } },
        'intervals_seconds.CRITICAL',
      ],
      [
        'an interval as a string',
        { intervals_seconds: { DEGRADED: '60' } },
        'intervals_seconds.DEGRADED',
      ],
      [
        'an interval over a week',
        { intervals_seconds: { HEALTHY: 604801 } },
        'intervals_seconds.HEALTHY',
      ],
      ['a null interval', { intervals_seconds: { HEALTHY: null } }, 'intervals_seconds.HEALTHY'],
      [
        'an interval for UNKNOWN',
        { intervals_seconds: { UNKNOWN: 60 } },
        'intervals_seconds.UNKNOWN',
      ],
      ['intervals not an object', { intervals_seconds: 'fast' }, 'intervals_seconds'],
      [
        'a zero threshold',
        { thresholds: { down_after_failures: 0 } },
        'thresholds.down_after_failures',
      ],
      [
        'thresholds out of order',
        { thresholds: { critical_after_failures: 5 } },
        'thresholds.critical_after_failures',
      ],
      ['priority 10', { priorities: { JIT: 10 } }, 'priorities.JIT'],
      ['priority -1', { priorities: { HEALTHY: -1 } }, 'priorities.HEALTHY'],
      ['a priority for MAINTENANCE', { priorities: { MAINTENANCE: 1 } }, 'priorities.MAINTENANCE'],
      ['jitter 0.6', { jitter_ratio: 0.6 }, 'jitter_ratio'],
      ['negative jitter', { jitter_ratio: -0.1 }, 'jitter_ratio'],
      ['jitter as a string', { jitter_ratio: '0.1' }, 'jitter_ratio'],
      ['an unknown setting', { retries: 3 }, 'retries'],
      ['an array body', [], 'policy'],
    ])('rejects %s with a 400 naming the field, and keeps the policy', async (_n, body, field) => {
      const res = await api()
        .put('/api/monitoring/policy')
        .send(body as object);
      expectBadField(res, field);
      expect((await api().get('/api/monitoring/policy')).body).toEqual(DEFAULT_POLICY);
    });

    it('names every bad field of one request', async () => {
      const res = await api()
        .put('/api/monitoring/policy')
        .send({ intervals_seconds: { HEALTHY: 0, DOWN: 'x' }, jitter_ratio: 2 });
      expectBadField(res, 'intervals_seconds.HEALTHY');
      expectBadField(res, 'intervals_seconds.DOWN');
      expectBadField(res, 'jitter_ratio');
    });

    it('allows 1-second intervals everywhere', async () => {
      const ones = { HEALTHY: 1, DEGRADED: 1, CRITICAL: 1, DOWN: 1 };
      const res = await api().put('/api/monitoring/policy').send({ intervals_seconds: ones });
      expectStatus(res, 200);
      expect(res.body.intervals_seconds).toEqual(ones);
    });

    it('rejects a body that is not JSON with a 400', async () => {
      for (const text of ['42', '{"jitter_ratio":', 'null']) {
        const res = await api()
          .put('/api/monitoring/policy')
          .set('Content-Type', 'application/json')
          .send(text);
        expectStatus(res, 400);
      }
    });
  });

  describe('scheduler switch', () => {
    afterEach(async () => {
      expectStatus(await api().put('/api/monitoring/scheduler').send({ enabled: true }), 200);
    });

    it('is on by default; turning it off persists across a restart', async () => {
      expect((await api().get('/api/monitoring/scheduler')).body).toEqual({ enabled: true });
      const off = await api().put('/api/monitoring/scheduler').send({ enabled: false });
      expectStatus(off, 200);
      expect(off.body).toEqual({ enabled: false });
      expect((await api().get('/api/monitoring/scheduler')).body).toEqual({ enabled: false });
      await restart();
      expect((await api().get('/api/monitoring/scheduler')).body).toEqual({ enabled: false });
      const on = await api().put('/api/monitoring/scheduler').send({ enabled: true });
      expect(on.body).toEqual({ enabled: true });
    });

    it.each<[string, unknown, string]>([
      ['no enabled', {}, 'enabled'],
      ['enabled as a string', { enabled: 'false' }, 'enabled'],
      ['enabled as a number', { enabled: 0 }, 'enabled'],
      ['enabled null', { enabled: null }, 'enabled'],
      ['an unknown property', { enabled: true, paused: true }, 'paused'],
    ])('rejects %s with a 400 naming the field', async (_n, body, field) => {
      expectBadField(
        await api()
          .put('/api/monitoring/scheduler')
          .send(body as object),
        field,
      );
      expect((await api().get('/api/monitoring/scheduler')).body).toEqual({ enabled: true });
    });

    it('rejects an array body with a 400', async () => {
      const res = await api()
        .put('/api/monitoring/scheduler')
        .set('Content-Type', 'application/json')
        .send('[{"enabled":false}]');
      expectStatus(res, 400);
    });
  });

  describe('stats', () => {
    it('counts hosts, overdue hosts, queue depth and the last hour', async () => {
      const healthy = await createHost({ hostname: 'st-healthy' });
      const degraded = await createHost({ hostname: 'st-degraded' });
      const critical = await createHost({ hostname: 'st-critical' });
      const inactive = await createHost({ hostname: 'st-inactive', is_active: false });
      await createHost({ hostname: 'st-maint', monitoring_state: 'MAINTENANCE' });
      await createHost({ hostname: 'st-new' }); // UNKNOWN, due now: not yet overdue
      const set = (id: string, sql: string) =>
        app.dataSource.query(`UPDATE host_status SET ${sql} WHERE host_id = $1`, [id]);
      await set(
        healthy.id,
        `monitoring_state = 'HEALTHY', next_check_at = now() + interval '20 minutes'`,
      );
      await set(
        degraded.id,
        `monitoring_state = 'DEGRADED', next_check_at = now() - interval '5 minutes'`,
      );
      await set(
        critical.id,
        `monitoring_state = 'CRITICAL', next_check_at = now() - interval '2 minutes'`,
      );
      await set(
        inactive.id,
        `monitoring_state = 'DOWN', next_check_at = now() - interval '1 hour'`,
      );

      await insertHistory(healthy.id, [
        { check_time: minutesAgo(10), response_time_ms: 100 },
        { check_time: minutesAgo(20), response_time_ms: 200 },
        { check_time: minutesAgo(30), response_time_ms: 300 },
        {
          check_time: minutesAgo(40),
          success: false,
          response_time_ms: 5000,
          error_type: 'timeout',
        },
        { check_time: minutesAgo(120), response_time_ms: 9000 }, // outside the hour
      ]);
      await insertHistory(degraded.id, [
        {
          check_time: minutesAgo(5),
          success: false,
          response_time_ms: null,
          error_type: 'dns_failure',
        },
      ]);

      expectStatus(
        await api().post(`/api/monitoring/hosts/${critical.id}/check-connectivity`),
        202,
      );
      await app.queue.add(
        'check-host',
        {
          host_id: degraded.id,
          checked_by: 'scheduler',
          priority: 6,
          queued_at: new Date().toISOString(),
        },
        { jobId: `sched-${degraded.id}-1`, priority: 5 }, // API priority 6
      );

      const res = await api().get('/api/monitoring/stats');
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        total_hosts: 6,
        hosts_by_state: {
          UNKNOWN: 1,
          HEALTHY: 1,
          DEGRADED: 1,
          CRITICAL: 1,
          DOWN: 1,
          MAINTENANCE: 1,
        },
        overdue_hosts: 2,
        queue: { available: true, waiting: 2 },
        last_hour: { checks: 5, failures: 2, avg_response_time_ms: 200 },
        scheduler_enabled: true,
      });
      expect(Object.keys(res.body.hosts_by_state).sort()).toEqual([...STATES].sort());
      expect(res.body.queue.depth_by_priority).toMatchObject({ jit: 1, '6': 1, '9': 0, '3': 0 });
      expect(msFromNow(res.body.generated_at)).toBeLessThan(10_000);
    });

    it('reports zeros, every state and a null average on an empty fleet', async () => {
      const res = await api().get('/api/monitoring/stats');
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        total_hosts: 0,
        hosts_by_state: Object.fromEntries(STATES.map((s) => [s, 0])),
        overdue_hosts: 0,
        // An api-only app: no process runs checks of either kind.
        queue: { available: true, waiting: 0, active: 0, workers: { scheduled: 0, jit: 0 } },
        last_hour: { checks: 0, failures: 0, avg_response_time_ms: null },
      });
    });
  });

  describe('health', () => {
    it('answers 200 when Postgres and Redis are up', async () => {
      const res = await api().get('/health');
      expectStatus(res, 200);
      expect(res.body).toEqual({ status: 'ok', database: 'up', redis: 'up' });
    });
  });
});
