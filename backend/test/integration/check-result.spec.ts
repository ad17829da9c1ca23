import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CheckResultRepository } from '../../src/monitoring/check-result.repository';
import { CheckResultService } from '../../src/monitoring/check-result.service';
import type { ProbeResult } from '../../src/common/probe.types';
import { MonitoringSettingsService } from '../../src/settings/monitoring-settings.service';
import { DEFAULT_POLICY } from '../../src/state-machine';
import { createTestApp, TestApp } from '../support/test-app';
import { testDatabaseUrl, truncateAll } from '../support/test-env';

const KEY_A = {
  fingerprint: 'SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  type: 'ssh-ed25519',
};

function ok(): ProbeResult {
  return {
    success: true,
    stage: 'kex',
    response_time_ms: 12,
    error_type: null,
    error_message: null,
    host_key: KEY_A,
  };
}

function refused(): ProbeResult {
  return {
    success: false,
    stage: 'connect',
    response_time_ms: 1,
    error_type: 'connection_refused',
    error_message: 'connection refused by 127.0.0.1:9',
    host_key: null,
  };
}

// Every behaviour holds on both paths: the locked transaction (a retry, which has no snapshot)
// and the single guarded statement (a fresh check, evaluated against the host as read before
// its probe; it falls back to the locked path when the guard fails).
describe.each([
  ['under a row lock (no snapshot)', false],
  ['in one statement (snapshot read before the probe)', true],
])('applying check results %s', (_title, withSnapshot) => {
  let app: TestApp;
  let results: CheckResultService;
  let lockHost: jest.SpyInstance;
  let hostId: string;

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api' });
    results = app.app.get(CheckResultService);
    lockHost = jest.spyOn(app.app.get(CheckResultRepository), 'lockHost');
  });
  afterAll(() => app.close());

  beforeEach(async () => {
    await truncateAll(app.dataSource);
    const [row] = await app.dataSource.query(
      `INSERT INTO hosts (hostname, ip_address, next_check_at) VALUES ($1, '127.0.0.1', now()) RETURNING id`,
      [`apply-${randomUUID().slice(0, 8)}`],
    );
    hostId = row.id;
    lockHost.mockClear();
  });

  const host = async () =>
    (await app.dataSource.query('SELECT * FROM hosts WHERE id = $1', [hostId]))[0];
  const snapshotOf = async () => {
    const h = await host();
    return h
      ? {
          state: h.monitoring_state,
          consecutive_failures: h.consecutive_failures,
          consecutive_successes: h.consecutive_successes,
        }
      : { state: 'HEALTHY' as const, consecutive_failures: 0, consecutive_successes: 0 };
  };
  const apply = async (result: ProbeResult, checkedAt: Date, taskId: string = randomUUID()) =>
    results.apply({
      hostId,
      taskId,
      checkedBy: 'scheduler',
      result,
      checkedAt,
      snapshot: withSnapshot ? await snapshotOf() : undefined,
    });

  it('takes the row lock only when it has no snapshot', async () => {
    await apply(refused(), new Date());
    await apply(ok(), new Date());
    expect(lockHost).toHaveBeenCalledTimes(withSnapshot ? 0 : 2);
  });

  it('applies a task id once: a replay returns the first outcome and writes nothing', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const first = await apply(refused(), at, 'task-once');
    const replay = await apply(ok(), new Date('2026-01-01T00:05:00Z'), 'task-once');
    expect(replay?.success).toBe(false);
    expect(replay?.new_state).toBe(first?.new_state);
    const rows = await app.dataSource.query('SELECT * FROM host_check_history WHERE host_id = $1', [
      hostId,
    ]);
    expect(rows).toHaveLength(1);
    expect((await host()).consecutive_failures).toBe(1);
  });

  it('walks the state table and schedules each next check at its state interval ± jitter', async () => {
    let t = new Date('2026-01-01T00:00:00Z').getTime();
    const seen: string[] = [];
    const results: ProbeResult[] = [
      ok(),
      refused(),
      refused(),
      refused(),
      refused(),
      ok(),
      ok(),
      ok(),
    ];
    for (const r of results) {
      const outcome = await apply(r, new Date(t));
      seen.push(outcome!.new_state);
      const h = await host();
      const interval = DEFAULT_POLICY.intervals_seconds[h.monitoring_state as 'HEALTHY'] * 1000;
      const delay = new Date(h.next_check_at).getTime() - t;
      expect(delay).toBeGreaterThanOrEqual(interval * (1 - DEFAULT_POLICY.jitter_ratio) - 1);
      expect(delay).toBeLessThanOrEqual(interval * (1 + DEFAULT_POLICY.jitter_ratio) + 1);
      expect(h.check_priority).toBe(DEFAULT_POLICY.priorities[h.monitoring_state as 'HEALTHY']);
      t += 60_000;
    }
    expect(seen).toEqual([
      'HEALTHY',
      'DEGRADED',
      'CRITICAL',
      'DOWN',
      'DOWN',
      'DEGRADED',
      'DEGRADED',
      'HEALTHY',
    ]);
    const history = await app.dataSource.query(
      `SELECT monitoring_state, previous_state, success FROM host_check_history
        WHERE host_id = $1 ORDER BY check_time`,
      [hostId],
    );
    expect(history.map((h: { previous_state: string }) => h.previous_state)).toEqual([
      'UNKNOWN',
      'HEALTHY',
      'DEGRADED',
      'CRITICAL',
      'DOWN',
      'DOWN',
      'DEGRADED',
      'DEGRADED',
    ]);
    const h = await host();
    expect(h.last_state_change_at.toISOString()).toBe(new Date(t - 60_000).toISOString());
  });

  it('pins the host key of the first successful contact (tofu) and keeps it', async () => {
    await apply(refused(), new Date());
    expect((await host()).host_key_fingerprint).toBeNull();
    await apply(ok(), new Date());
    const pinned = await host();
    expect(pinned.host_key_fingerprint).toBe(KEY_A.fingerprint);
    expect(pinned.host_key_type).toBe('ssh-ed25519');
    expect(pinned.host_key_first_seen_at).not.toBeNull();
    const changed = { ...ok(), host_key: { fingerprint: 'SHA256:other', type: 'ssh-rsa' } };
    await apply(changed, new Date());
    expect((await host()).host_key_fingerprint).toBe(KEY_A.fingerprint);
  });

  it('does not pin under the off policy', async () => {
    await app.dataSource.query(`UPDATE hosts SET host_key_policy = 'off' WHERE id = $1`, [hostId]);
    await apply(ok(), new Date());
    expect((await host()).host_key_fingerprint).toBeNull();
  });

  it('uses the persisted policy: compressed intervals and other thresholds', async () => {
    const settings = app.app.get(MonitoringSettingsService);
    await settings.updatePolicy({
      thresholds: { degraded_after_failures: 2 },
      intervals_seconds: { HEALTHY: 1, DEGRADED: 1, CRITICAL: 1, DOWN: 1 },
      jitter_ratio: 0,
    });
    try {
      const t0 = new Date('2026-02-01T00:00:00Z');
      await apply(ok(), t0);
      expect((await host()).next_check_at.toISOString()).toBe('2026-02-01T00:00:01.000Z');
      await apply(refused(), new Date(t0.getTime() + 1000));
      expect((await host()).monitoring_state).toBe('HEALTHY');
      await apply(refused(), new Date(t0.getTime() + 2000));
      expect((await host()).monitoring_state).toBe('DEGRADED');
    } finally {
      await app.dataSource.query(`DELETE FROM monitoring_settings`);
      // The settings cache lives 2 s; put the defaults back explicitly.
      await settings.updatePolicy(DEFAULT_POLICY);
    }
  });

  it('ignores a result for a host deleted while its check ran', async () => {
    await app.dataSource.query('DELETE FROM hosts WHERE id = $1', [hostId]);
    expect(await apply(ok(), new Date())).toBeNull();
  });
});

describe('applying a result in one statement', () => {
  let app: TestApp;
  let results: CheckResultService;
  let lockHost: jest.SpyInstance;
  let hostId: string;
  let hostname: string;

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api' });
    results = app.app.get(CheckResultService);
    lockHost = jest.spyOn(app.app.get(CheckResultRepository), 'lockHost');
  });
  afterAll(() => app.close());

  const insertHost = async (id: string = randomUUID()) => {
    await app.dataSource.query(
      `INSERT INTO hosts (id, hostname, ip_address, next_check_at) VALUES ($1, $2, '127.0.0.1', now())`,
      [id, hostname],
    );
    return id;
  };

  beforeEach(async () => {
    await truncateAll(app.dataSource);
    hostname = `one-${randomUUID().slice(0, 8)}`;
    hostId = await insertHost();
    lockHost.mockClear();
  });

  const host = async () =>
    (await app.dataSource.query('SELECT * FROM hosts WHERE id = $1', [hostId]))[0];
  const history = () =>
    app.dataSource.query(
      `SELECT check_time, monitoring_state, previous_state, response_time_ms, success,
              error_message, error_type, checked_by, task_id, stage
         FROM host_check_history WHERE host_id = $1 ORDER BY check_time, task_id`,
      [hostId],
    );
  const snapshotOf = async () => {
    const h = await host();
    return {
      state: h.monitoring_state,
      consecutive_failures: h.consecutive_failures,
      consecutive_successes: h.consecutive_successes,
    };
  };
  const KEY_B = {
    fingerprint: 'SHA256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    type: 'ssh-rsa',
  };

  it('returns the outcome the locked path returns, in the same shape', async () => {
    const at = new Date('2026-03-01T10:00:00.123Z');
    const outcome = await results.apply({
      hostId,
      taskId: 'task-shape',
      checkedBy: 'jit',
      result: ok(),
      checkedAt: at,
      snapshot: await snapshotOf(),
    });
    const h = await host();
    expect(lockHost).not.toHaveBeenCalled();
    expect(outcome).toEqual({
      task_id: 'task-shape',
      host_id: hostId,
      hostname,
      checked_by: 'jit',
      success: true,
      error_type: null,
      error_message: null,
      response_time_ms: 12,
      stage: 'kex',
      previous_state: 'UNKNOWN',
      new_state: 'HEALTHY',
      state_changed: true,
      checked_at: '2026-03-01T10:00:00.123Z',
      next_check_at: h.next_check_at.toISOString(),
      host_key_fingerprint: KEY_A.fingerprint,
      host_key_pinned: true,
    });
    expect(h.last_state_change_at.toISOString()).toBe(at.toISOString());
    expect(h.host_key_first_seen_at.toISOString()).toBe(at.toISOString());
    expect(await history()).toEqual([
      {
        check_time: at,
        monitoring_state: 'HEALTHY',
        previous_state: 'UNKNOWN',
        response_time_ms: 12,
        success: true,
        error_message: null,
        error_type: null,
        checked_by: 'jit',
        task_id: 'task-shape',
        stage: 'kex',
      },
    ]);
  });

  it('leaves the host and its history exactly as the locked path does', async () => {
    // The same results, once through each path, on the same host id (the jitter depends on it).
    const script: Array<{ result: ProbeResult; by: 'scheduler' | 'jit'; before?: string }> = [
      { result: refused(), by: 'scheduler' },
      { result: ok(), by: 'scheduler' },
      { result: { ...ok(), host_key: KEY_B }, by: 'jit' },
      { result: refused(), by: 'scheduler' },
      { result: refused(), by: 'scheduler' },
      { result: refused(), by: 'jit' },
      {
        result: { ...ok(), host_key: KEY_B },
        by: 'scheduler',
        before: `UPDATE hosts SET host_key_fingerprint = NULL, host_key_type = NULL,
                   host_key_first_seen_at = NULL WHERE id = $1`,
      },
      {
        result: ok(),
        by: 'jit',
        before: `UPDATE hosts SET monitoring_state = 'MAINTENANCE' WHERE id = $1`,
      },
    ];
    const run = async (withSnapshot: boolean) => {
      const outcomes = [];
      let t = new Date('2026-03-02T00:00:00Z').getTime();
      for (const [i, step] of script.entries()) {
        if (step.before) await app.dataSource.query(step.before, [hostId]);
        outcomes.push(
          await results.apply({
            hostId,
            taskId: `task-${i}`,
            checkedBy: step.by,
            result: step.result,
            checkedAt: new Date(t),
            snapshot: withSnapshot ? await snapshotOf() : undefined,
          }),
        );
        t += 90_000;
      }
      const { created_at: _c, updated_at: _u, ...row } = await host();
      return { outcomes, row, history: await history() };
    };
    const locked = await run(false);
    expect(lockHost).toHaveBeenCalledTimes(script.length);
    await app.dataSource.query('DELETE FROM hosts WHERE id = $1', [hostId]);
    await insertHost(hostId);
    lockHost.mockClear();
    const single = await run(true);
    expect(lockHost).not.toHaveBeenCalled();
    expect(single).toEqual(locked);
    expect(single.row.monitoring_state).toBe('MAINTENANCE');
    expect(single.row.host_key_fingerprint).toBe(KEY_B.fingerprint);
  });

  it('falls back to the locked path when another check changes the host meanwhile', async () => {
    await app.dataSource.query(
      `UPDATE hosts SET monitoring_state = 'HEALTHY', consecutive_successes = 5 WHERE id = $1`,
      [hostId],
    );
    const stale = await snapshotOf(); // read before this check's probe
    // Another worker's result for the same host is being written, in its own transaction.
    const other = new Client({ connectionString: testDatabaseUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `UPDATE hosts SET monitoring_state = 'DEGRADED', consecutive_failures = 1,
                consecutive_successes = 0 WHERE id = $1`,
        [hostId],
      );
      const applying = results.apply({
        hostId,
        taskId: 'task-late',
        checkedBy: 'scheduler',
        result: refused(),
        checkedAt: new Date(),
        snapshot: stale,
      });
      // Wait until this apply is blocked on the other transaction's row lock, then commit it.
      for (let waited = 0; ; waited++) {
        const { rows } = await other.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (rows[0].n > 0) break;
        if (waited > 500) throw new Error('the apply never waited for the row lock');
        await new Promise((r) => setTimeout(r, 10));
      }
      await other.query('COMMIT');
      const outcome = await applying;
      // Evaluated against the committed row (DEGRADED, 1 failure), not the stale snapshot.
      expect(outcome?.previous_state).toBe('DEGRADED');
      expect(outcome?.new_state).toBe('CRITICAL');
      expect(lockHost).toHaveBeenCalledTimes(1);
    } finally {
      await other.end();
    }
    const h = await host();
    expect(h.monitoring_state).toBe('CRITICAL');
    expect(h.consecutive_failures).toBe(2);
    expect(await history()).toHaveLength(1);
  });

  it('applies a task id once when two workers apply it at the same time', async () => {
    const snapshot = await snapshotOf();
    const at = new Date('2026-03-03T00:00:00Z');
    const both = await Promise.all(
      [refused(), refused()].map((result) =>
        results.apply({
          hostId,
          taskId: 'task-twice',
          checkedBy: 'scheduler',
          result,
          checkedAt: at,
          snapshot,
        }),
      ),
    );
    expect(both[0]?.new_state).toBe('DEGRADED');
    expect(both[1]?.new_state).toBe('DEGRADED');
    expect(both[1]?.checked_at).toBe(both[0]?.checked_at);
    expect(await history()).toHaveLength(1);
    expect((await host()).consecutive_failures).toBe(1);
  });

  it('replays an applied task id from its history, with a snapshot that still matches', async () => {
    const first = await results.apply({
      hostId,
      taskId: 'task-replay',
      checkedBy: 'scheduler',
      result: refused(),
      checkedAt: new Date('2026-03-04T00:00:00Z'),
      snapshot: await snapshotOf(),
    });
    // A stalled job run again: it read the host after the first run was applied.
    const replay = await results.apply({
      hostId,
      taskId: 'task-replay',
      checkedBy: 'scheduler',
      result: ok(),
      checkedAt: new Date('2026-03-04T00:01:00Z'),
      snapshot: await snapshotOf(),
    });
    expect(replay?.success).toBe(false);
    expect(replay?.checked_at).toBe(first?.checked_at);
    expect(await history()).toHaveLength(1);
    expect((await host()).consecutive_failures).toBe(1);
  });

  it('writes results that arrive together in shared statements, each as if alone', async () => {
    const ids = [hostId];
    for (let i = 0; i < 39; i++) {
      const [row] = await app.dataSource.query(
        `INSERT INTO hosts (hostname, ip_address, next_check_at, monitoring_state,
                            consecutive_failures)
         VALUES ($1, '127.0.0.1', now(), 'DEGRADED', 1) RETURNING id`,
        [`many-${i}-${randomUUID().slice(0, 8)}`],
      );
      ids.push(row.id);
    }
    const write = jest.spyOn(app.app.get(CheckResultRepository), 'applyIfUnchanged');
    try {
      const at = new Date('2026-03-05T00:00:00Z');
      const snapshot = {
        state: 'DEGRADED' as const,
        consecutive_failures: 1,
        consecutive_successes: 0,
      };
      const outcomes = await Promise.all(
        ids.slice(1).map((id, i) =>
          results.apply({
            hostId: id,
            taskId: `task-many-${i}`,
            checkedBy: 'scheduler',
            result: i % 2 ? ok() : refused(),
            checkedAt: at,
            snapshot,
          }),
        ),
      );
      expect(write.mock.calls.length).toBeLessThan(ids.length - 1);
      expect(lockHost).not.toHaveBeenCalled();
      expect(outcomes.map((o) => o?.new_state)).toEqual(
        ids.slice(1).map((_, i) => (i % 2 ? 'DEGRADED' : 'CRITICAL')),
      );
      expect(outcomes.map((o) => o?.host_id)).toEqual(ids.slice(1));
      const rows = await app.dataSource.query(
        `SELECT h.id, h.monitoring_state, h.host_key_fingerprint, c.task_id, c.previous_state
           FROM hosts h JOIN host_check_history c ON c.host_id = h.id
          WHERE c.task_id LIKE 'task-many-%'`,
      );
      expect(rows).toHaveLength(ids.length - 1);
      for (const row of rows) {
        const i = Number(row.task_id.slice('task-many-'.length));
        expect(row.id).toBe(ids[i + 1]);
        expect(row.monitoring_state).toBe(i % 2 ? 'DEGRADED' : 'CRITICAL');
        expect(row.previous_state).toBe('DEGRADED');
        expect(row.host_key_fingerprint).toBe(i % 2 ? KEY_A.fingerprint : null);
      }
    } finally {
      write.mockRestore();
    }
  });

  it('applies two results for one host that arrive together one after the other', async () => {
    const snapshot = await snapshotOf();
    const at = new Date('2026-03-06T00:00:00Z');
    // Keep a statement in flight, so that both results go out together in the next one.
    const other = results.apply({
      hostId: randomUUID(),
      taskId: 'task-elsewhere',
      checkedBy: 'scheduler',
      result: ok(),
      checkedAt: at,
      snapshot,
    });
    const both = await Promise.all(
      ['task-first', 'task-second'].map((taskId) =>
        results.apply({
          hostId,
          taskId,
          checkedBy: 'scheduler',
          result: refused(),
          checkedAt: at,
          snapshot,
        }),
      ),
    );
    expect(await other).toBeNull();
    expect(both.map((o) => o?.new_state).sort()).toEqual(['CRITICAL', 'DEGRADED']);
    // The unknown host's result and the second result for this host go the locked way.
    expect(lockHost).toHaveBeenCalledTimes(2);
    const h = await host();
    expect(h.monitoring_state).toBe('CRITICAL');
    expect(h.consecutive_failures).toBe(2);
    expect(await history()).toHaveLength(2);
  });

  it('writes nothing for a host deleted while its check ran', async () => {
    const snapshot = await snapshotOf();
    await app.dataSource.query('DELETE FROM hosts WHERE id = $1', [hostId]);
    const outcome = await results.apply({
      hostId,
      taskId: 'task-gone',
      checkedBy: 'scheduler',
      result: ok(),
      checkedAt: new Date(),
      snapshot,
    });
    expect(outcome).toBeNull();
    const rows = await app.dataSource.query(
      `SELECT 1 FROM host_check_history WHERE task_id = 'task-gone'`,
    );
    expect(rows).toHaveLength(0);
  });
});
