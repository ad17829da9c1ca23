import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CheckTarget, HostStatusRepository } from '../../src/hosts/host-status.repository';
import { CheckToApply, decideCheck } from '../../src/monitoring/check-decision';
import { ApplyResult, CheckResultService } from '../../src/monitoring/check-result.service';
import { PolicyService } from '../../src/monitoring/policy.service';
import type { ProbeResult } from '../../src/common/probe.types';
import type { CheckOutcomeDto } from '../../src/monitoring/dto/check-outcome.dto';
import { MonitoringSettingsService } from '../../src/settings/monitoring-settings.service';
import { DEFAULT_POLICY } from '../../src/state-machine';
import { hostRow, insertHost, insertHosts, updateHost } from '../support/host-rows';
import { createTestApp, TestApp } from '../support/test-app';
import { testDatabaseUrl, truncateAll } from '../support/test-env';

const KEY_A = {
  fingerprint: 'SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  type: 'ssh-ed25519',
};
const KEY_B = {
  fingerprint: 'SHA256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  type: 'ssh-rsa',
};

function ok(key = KEY_A): ProbeResult {
  return {
    success: true,
    stage: 'kex',
    response_time_ms: 12,
    error_type: null,
    error_message: null,
    host_key: key,
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

/** The outcome of a result that was applied (or was recorded before). */
function applied(result: ApplyResult): CheckOutcomeDto {
  if (result.status !== 'applied') throw new Error(`not applied: ${JSON.stringify(result)}`);
  return result.outcome;
}

// One path applies every result: decided against the host as the probe saw it (its target),
// written in one transaction per batch with a guarded statement, evaluated again when the host
// moved on meanwhile.
describe('applying check results', () => {
  let app: TestApp;
  let results: CheckResultService;
  let status: HostStatusRepository;
  let hostId: string;
  let hostname: string;

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api' });
    results = app.app.get(CheckResultService);
    status = app.app.get(HostStatusRepository);
  });
  afterAll(() => app.close());

  const insert = (id: string = randomUUID()) =>
    insertHost(app.dataSource, {
      id,
      hostname,
      ip_address: '127.0.0.1',
      next_check_at: new Date(),
    });

  beforeEach(async () => {
    await truncateAll(app.dataSource);
    hostname = `apply-${randomUUID().slice(0, 8)}`;
    hostId = await insert();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const host = async (id = hostId): Promise<any> => hostRow(app.dataSource, id);
  const history = (id = hostId) =>
    app.dataSource.query(
      `SELECT check_time, monitoring_state, previous_state, response_time_ms, success,
              error_message, error_type, checked_by, task_id, stage
         FROM host_check_history WHERE host_id = $1 ORDER BY check_time, task_id`,
      [id],
    );
  /** The host as a probe would see it now. */
  const targetOf = async (id = hostId): Promise<CheckTarget> => {
    const [target] = await status.findTargets([id]);
    if (!target) throw new Error(`no host ${id}`);
    return target;
  };
  const check = async (
    result: ProbeResult,
    checkedAt: Date,
    extra: Partial<CheckToApply> = {},
  ): Promise<CheckToApply> => ({
    taskId: randomUUID(),
    checkedBy: 'scheduler',
    result,
    checkedAt,
    target: extra.target ?? (await targetOf()),
    ...extra,
  });
  const apply = async (result: ProbeResult, checkedAt: Date, taskId: string = randomUUID()) =>
    results.apply(await check(result, checkedAt, { taskId }));

  it('returns the outcome and writes the host and one history row', async () => {
    const at = new Date('2026-03-01T10:00:00.123Z');
    const outcome = applied(await apply(ok(), at, 'task-shape'));
    const h = await host();
    expect(outcome).toEqual({
      task_id: 'task-shape',
      host_id: hostId,
      hostname,
      checked_by: 'scheduler',
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
      state_applied: true,
      unreachable: false,
      flapping: false,
    });
    expect(h.last_state_change_at.toISOString()).toBe(at.toISOString());
    expect(h.last_check_at.toISOString()).toBe(at.toISOString());
    expect(h.host_key_first_seen_at.toISOString()).toBe(at.toISOString());
    // The first pin is an inventory change: checks that read the host before it read again.
    expect(h.version).toBe(2);
    expect(await history()).toEqual([
      {
        check_time: at,
        monitoring_state: 'HEALTHY',
        previous_state: 'UNKNOWN',
        response_time_ms: 12,
        success: true,
        error_message: null,
        error_type: null,
        checked_by: 'scheduler',
        task_id: 'task-shape',
        stage: 'kex',
      },
    ]);
  });

  it('applies a task id once: a replay returns the first outcome and writes nothing', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const first = applied(await apply(refused(), at, 'task-once'));
    // Run again (its job stalled), with the host as it is now: the guard alone would pass.
    const replay = applied(await apply(ok(), new Date('2026-01-01T00:05:00Z'), 'task-once'));
    expect(replay.success).toBe(false);
    expect(replay.new_state).toBe(first.new_state);
    expect(replay.checked_at).toBe(first.checked_at);
    expect(await history()).toHaveLength(1);
    expect((await host()).consecutive_failures).toBe(1);
  });

  it('walks the state table and schedules each next check at its state interval ± jitter', async () => {
    let t = new Date('2026-01-01T00:00:00Z').getTime();
    const seen: string[] = [];
    const script = [ok(), refused(), refused(), refused(), refused(), ok(), ok(), ok()];
    for (const r of script) {
      seen.push(applied(await apply(r, new Date(t))).new_state);
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
    const rows = await history();
    expect(rows.map((h: { previous_state: string }) => h.previous_state)).toEqual([
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
    await updateHost(app.dataSource, hostId, { host_key_policy: 'off' });
    await apply(ok(), new Date());
    expect((await host()).host_key_fingerprint).toBeNull();
  });

  it('uses the persisted policy: compressed intervals and other thresholds', async () => {
    const policies = app.app.get(PolicyService);
    await policies.updatePolicy({
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
      await policies.updatePolicy(DEFAULT_POLICY);
    }
  });

  it('evaluates a result again when another check changes the host meanwhile', async () => {
    await updateHost(app.dataSource, hostId, {
      monitoring_state: 'HEALTHY',
      consecutive_successes: 5,
    });
    const stale = await targetOf(); // read before this check's probe
    // Another worker's result for the same host is being written, in its own transaction.
    const other = new Client({ connectionString: testDatabaseUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `UPDATE host_status SET monitoring_state = 'DEGRADED', consecutive_failures = 1,
                consecutive_successes = 0 WHERE host_id = $1`,
        [hostId],
      );
      const applying = results.apply(
        await check(refused(), new Date(), { taskId: 'task-late', target: stale }),
      );
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
      const outcome = applied(await applying);
      // Evaluated against the committed row (DEGRADED, 1 failure), not the stale snapshot.
      expect(outcome.previous_state).toBe('DEGRADED');
      expect(outcome.new_state).toBe('CRITICAL');
    } finally {
      await other.end();
    }
    const h = await host();
    expect(h.monitoring_state).toBe('CRITICAL');
    expect(h.consecutive_failures).toBe(2);
    expect(await history()).toHaveLength(1);
  });

  it('applies a task id once when two workers apply it at the same time', async () => {
    const target = await targetOf();
    const at = new Date('2026-03-03T00:00:00Z');
    const both = await Promise.all(
      [refused(), refused()].map(async (result) =>
        applied(await results.apply(await check(result, at, { taskId: 'task-twice', target }))),
      ),
    );
    expect(both[0].new_state).toBe('DEGRADED');
    expect(both[1].new_state).toBe('DEGRADED');
    expect(both[1].checked_at).toBe(both[0].checked_at);
    expect(await history()).toHaveLength(1);
    expect((await host()).consecutive_failures).toBe(1);
  });

  it('writes results that arrive together in shared statements, each as if alone', async () => {
    const many = await insertHosts(
      app.dataSource,
      ['hostname', 'ip_address', 'next_check_at', 'monitoring_state', 'consecutive_failures'],
      `SELECT 'many-' || g || '-' || $1, '127.0.0.1', now(), 'DEGRADED', 1
         FROM generate_series(0, 38) g`,
      [randomUUID().slice(0, 8)],
    );
    const ids = many.map((h) => h.id);
    const write = jest.spyOn(status, 'applyResults');
    try {
      const at = new Date('2026-03-05T00:00:00Z');
      const targets = new Map((await status.findTargets(ids)).map((t) => [t.hostId, t]));
      const outcomes = await Promise.all(
        ids.map(async (id, i) =>
          applied(
            await results.apply(
              await check(i % 2 ? ok() : refused(), at, {
                taskId: `task-many-${i}`,
                target: targets.get(id),
              }),
            ),
          ),
        ),
      );
      expect(write.mock.calls.length).toBeLessThan(ids.length);
      expect(outcomes.map((o) => o.new_state)).toEqual(
        ids.map((_, i) => (i % 2 ? 'DEGRADED' : 'CRITICAL')),
      );
      expect(outcomes.map((o) => o.host_id)).toEqual(ids);
      const rows = await app.dataSource.query(
        `SELECT h.id, s.monitoring_state, h.host_key_fingerprint, c.task_id, c.previous_state
           FROM hosts h JOIN host_status s ON s.host_id = h.id
           JOIN host_check_history c ON c.host_id = h.id
          WHERE c.task_id LIKE 'task-many-%'`,
      );
      expect(rows).toHaveLength(ids.length);
      for (const row of rows) {
        const i = Number(row.task_id.slice('task-many-'.length));
        expect(row.id).toBe(ids[i]);
        expect(row.monitoring_state).toBe(i % 2 ? 'DEGRADED' : 'CRITICAL');
        expect(row.previous_state).toBe('DEGRADED');
        expect(row.host_key_fingerprint).toBe(i % 2 ? KEY_A.fingerprint : null);
      }
    } finally {
      write.mockRestore();
    }
  });

  it('applies two results for one host that arrive together one after the other', async () => {
    const target = await targetOf();
    const at = new Date('2026-03-06T00:00:00Z');
    const both = await Promise.all(
      ['task-first', 'task-second'].map(async (taskId, i) =>
        applied(
          await results.apply(
            await check(refused(), new Date(at.getTime() + i), { taskId, target }),
          ),
        ),
      ),
    );
    expect(both.map((o) => o.new_state)).toEqual(['DEGRADED', 'CRITICAL']);
    expect(both[1].previous_state).toBe('DEGRADED');
    const h = await host();
    expect(h.monitoring_state).toBe('CRITICAL');
    expect(h.consecutive_failures).toBe(2);
    expect(await history()).toHaveLength(2);
  });

  it('writes nothing for a host deleted while its check ran', async () => {
    const target = await targetOf();
    await app.dataSource.query('DELETE FROM hosts WHERE id = $1', [hostId]);
    const result = await results.apply(
      await check(ok(), new Date(), { taskId: 'task-gone', target }),
    );
    expect(result).toEqual({ status: 'skipped', reason: 'host deleted' });
    const rows = await app.dataSource.query(
      `SELECT 1 FROM host_check_history WHERE task_id = 'task-gone'`,
    );
    expect(rows).toHaveLength(0);
  });

  it('hands back a result whose host was edited since its probe, to be probed again', async () => {
    const target = await targetOf();
    // The address changes while the check is queued: the probe reached the old one.
    await app.dataSource.query(
      `UPDATE hosts SET ip_address = '127.0.0.2', version = version + 1 WHERE id = $1`,
      [hostId],
    );
    const result = await results.apply(await check(refused(), new Date(), { target }));
    expect(result).toEqual({
      status: 'stale',
      target: expect.objectContaining({ ipAddress: '127.0.0.2', version: target.version + 1 }),
    });
    expect(await history()).toHaveLength(0);
    expect((await host()).monitoring_state).toBe('UNKNOWN');
  });

  it('applies a result whose host changed only in what this result itself would set', async () => {
    // Two checks read the host before either pinned; the first pins the key both saw.
    const before = await targetOf();
    applied(await apply(ok(), new Date('2026-03-07T00:00:00Z')));
    const second = applied(
      await results.apply(await check(ok(), new Date('2026-03-07T00:00:01Z'), { target: before })),
    );
    expect(second.host_key_pinned).toBe(true);
    // The other check saw another key: that is a different host to pin, so probe again.
    const third = await results.apply(
      await check(ok(KEY_B), new Date('2026-03-07T00:00:02Z'), { target: before }),
    );
    expect(third.status).toBe('stale');
    expect(await history()).toHaveLength(2);
  });

  it('skips a scheduled result for a host taken out of the schedule meanwhile', async () => {
    const target = await targetOf();
    await updateHost(app.dataSource, hostId, { monitoring_state: 'MAINTENANCE' });
    const scheduled = await results.apply(await check(refused(), new Date(), { target }));
    expect(scheduled).toEqual({ status: 'skipped', reason: 'host inactive or in maintenance' });
    // A JIT check asked for by a person is reported, with nothing applied.
    const before = await host();
    const jit = await results.apply(
      await check(refused(), new Date(), { target, checkedBy: 'jit' }),
    );
    expect(applied(jit)).toMatchObject({
      new_state: 'MAINTENANCE',
      previous_state: 'MAINTENANCE',
      state_changed: false,
      success: false,
      error_type: 'connection_refused',
      state_applied: false,
    });
    expect(await history()).toHaveLength(0);
    expect(await host()).toEqual(before);
  });
});

/**
 * The property the one path must keep: whatever snapshots results carry (fresh, or read long
 * before other results landed) and however often a task is applied again, the host and its
 * history end exactly as when the same results are applied one after the other, each under a
 * row lock and evaluated against the row as it is then, a task id at most once.
 */
describe('the one apply path against one-by-one application under a lock', () => {
  let app: TestApp;
  let results: CheckResultService;
  let status: HostStatusRepository;

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api' });
    results = app.app.get(CheckResultService);
    status = app.app.get(HostStatusRepository);
  });
  afterAll(() => app.close());

  type Step = {
    host: number;
    kind: 'scheduler' | 'jit' | 'retry';
    outcome: 'ok' | 'refused';
    /** How many results of this host back its snapshot was read (0: fresh). */
    staleBy: number;
    /** For a retry: which earlier step of the same host it repeats. */
    repeats: number;
  };
  const step = fc.record<Step>({
    // Mostly one host, so its results pile up on each other.
    host: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.integer({ min: 1, max: 2 })),
    kind: fc.constantFrom('scheduler', 'jit', 'retry'),
    // Failures weigh more: runs of them walk a host down to DOWN, where only counters move.
    outcome: fc.oneof(
      { arbitrary: fc.constant('refused' as const), weight: 3 },
      { arbitrary: fc.constant('ok' as const), weight: 2 },
    ),
    staleBy: fc.integer({ min: 0, max: 3 }),
    repeats: fc.nat(),
  });
  // One host key: a probe that saw another would have failed with host_key_mismatch.
  const probeResult = (o: Step['outcome']) => (o === 'ok' ? ok() : refused());

  const HOSTS = [0, 1, 2].map((i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    hostname: `prop-${i}`,
  }));
  const resetHosts = async () => {
    await truncateAll(app.dataSource);
    await insertHosts(
      app.dataSource,
      ['id', 'hostname', 'ip_address', 'next_check_at', 'monitoring_state'],
      `VALUES ${HOSTS.map((h) => `('${h.id}', '${h.hostname}', '127.0.0.1', '2026-04-01T00:00:00Z', 'HEALTHY')`).join(', ')}`,
    );
  };
  const snapshot = async () => ({
    hosts: await app.dataSource.query(
      `SELECT h.id, h.host_key_fingerprint, h.host_key_type, h.host_key_first_seen_at,
              s.monitoring_state, s.consecutive_failures, s.consecutive_successes,
              s.next_check_at, s.last_check_at, s.last_state_change_at, s.check_priority,
              s.response_time_ms, s.last_check_stage, s.last_error_type, s.last_error_message
         FROM hosts h JOIN host_status s ON s.host_id = h.id ORDER BY h.id`,
    ),
    history: await app.dataSource.query(
      `SELECT host_id, task_id, check_time, monitoring_state, previous_state, response_time_ms,
              success, error_message, error_type, checked_by, stage
         FROM host_check_history ORDER BY host_id, check_time, task_id`,
    ),
  });

  /** The reference: one result at a time, the row locked, evaluated as the row is then. */
  const applyLocked = async (c: CheckToApply): Promise<void> => {
    const policy = await app.app.get(MonitoringSettingsService).getPolicy();
    await app.dataSource.transaction(async (tx) => {
      const [row] = await tx.query(
        `SELECT s.* FROM host_status s WHERE s.host_id = $1 FOR UPDATE`,
        [c.target.hostId],
      );
      const [done] = await tx.query(`SELECT 1 FROM host_check_history WHERE task_id = $1`, [
        c.taskId,
      ]);
      if (!row || done) return;
      const [inventory] = await tx.query(`SELECT * FROM hosts WHERE id = $1 FOR UPDATE`, [
        c.target.hostId,
      ]);
      const d = decideCheck(
        {
          ...c,
          target: {
            ...c.target,
            state: row.monitoring_state,
            consecutiveFailures: row.consecutive_failures,
            consecutiveSuccesses: row.consecutive_successes,
            hostKeyFingerprint: inventory.host_key_fingerprint,
            version: inventory.version,
          },
        },
        policy,
      );
      await tx.query(
        `UPDATE host_status SET monitoring_state = $2, consecutive_failures = $3,
           consecutive_successes = $4, next_check_at = $5, last_check_at = $6,
           check_priority = $7, response_time_ms = $8, last_check_stage = $9,
           last_error_type = $10, last_error_message = $11,
           last_state_change_at = CASE WHEN $12 THEN $6 ELSE last_state_change_at END
         WHERE host_id = $1`,
        [
          c.target.hostId,
          d.status.state,
          d.status.consecutiveFailures,
          d.status.consecutiveSuccesses,
          d.status.nextCheckAt,
          d.status.checkedAt,
          d.status.checkPriority,
          d.status.responseTimeMs,
          d.status.stage,
          d.status.errorType,
          d.status.errorMessage,
          d.status.stateChanged,
        ],
      );
      await tx.query(
        `INSERT INTO host_check_history (host_id, task_id, check_time, monitoring_state,
           previous_state, response_time_ms, success, error_message, error_type, checked_by, stage)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          d.history.hostId,
          d.history.taskId,
          d.history.checkTime,
          d.history.state,
          d.history.previousState,
          d.history.responseTimeMs,
          d.history.success,
          d.history.errorMessage,
          d.history.errorType,
          d.history.checkedBy,
          d.history.stage,
        ],
      );
      if (d.pin) {
        await tx.query(
          `UPDATE hosts SET host_key_fingerprint = $2, host_key_type = $3,
             host_key_first_seen_at = $4, version = version + 1 WHERE id = $1`,
          [d.pin.hostId, d.pin.fingerprint, d.pin.type, d.pin.at],
        );
      }
    });
  };

  it('ends with the same hosts and history for random interleavings of results', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 20 }), async (steps) => {
        // The results, in the order they are handed over, each with its task id and time.
        const base = new Date('2026-04-01T00:00:00Z').getTime();
        const plan = steps.map((s, i) => {
          const host = HOSTS[s.host];
          const earlier = steps.slice(0, i).flatMap((e, j) => (e.host === s.host ? [j] : []));
          const repeated =
            s.kind === 'retry' && earlier.length > 0 ? earlier[s.repeats % earlier.length] : null;
          return {
            host,
            taskId: repeated === null ? `prop-${i}` : `prop-${repeated}`,
            checkedBy: (s.kind === 'jit' ? 'jit' : 'scheduler') as 'jit' | 'scheduler',
            result: probeResult(s.outcome),
            checkedAt: new Date(base + i * 1000),
            staleBy: s.staleBy,
          };
        });

        // Through the one path: all handed over at once; each host's snapshot is the one read
        // `staleBy` of its own results earlier (taken while the same results were applied one
        // by one the first time round, so it is a snapshot the host really had).
        await resetHosts();
        const seen = new Map<string, CheckTarget[]>();
        for (const h of HOSTS) seen.set(h.id, [(await status.findTargets([h.id]))[0]]);
        for (const p of plan) {
          await applyLocked({ ...p, target: seen.get(p.host.id)!.at(-1)! });
          seen.get(p.host.id)!.push((await status.findTargets([p.host.id]))[0]);
        }
        const expected = await snapshot();

        await resetHosts();
        const count = new Map<string, number>();
        const outcomes = await Promise.all(
          plan.map((p) => {
            const history = seen.get(p.host.id)!;
            const n = count.get(p.host.id) ?? 0;
            count.set(p.host.id, n + 1);
            const target = history[Math.max(0, n - p.staleBy)];
            return results.apply({
              taskId: p.taskId,
              checkedBy: p.checkedBy,
              result: p.result,
              checkedAt: p.checkedAt,
              target,
            });
          }),
        );
        const actual = await snapshot();
        expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
