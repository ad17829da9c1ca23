import { randomUUID } from 'node:crypto';
import { CheckResultService } from '../../src/monitoring/check-result.service';
import type { ProbeResult } from '../../src/monitoring/probe/probe.types';
import { MonitoringSettingsService } from '../../src/settings/monitoring-settings.service';
import { DEFAULT_POLICY } from '../../src/state-machine';
import { createTestApp, TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';

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

describe('applying check results', () => {
  let app: TestApp;
  let results: CheckResultService;
  let hostId: string;

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api' });
    results = app.app.get(CheckResultService);
  });
  afterAll(() => app.close());

  beforeEach(async () => {
    await truncateAll(app.dataSource);
    const [row] = await app.dataSource.query(
      `INSERT INTO hosts (hostname, ip_address, next_check_at) VALUES ($1, '127.0.0.1', now()) RETURNING id`,
      [`apply-${randomUUID().slice(0, 8)}`],
    );
    hostId = row.id;
  });

  const host = async () =>
    (await app.dataSource.query('SELECT * FROM hosts WHERE id = $1', [hostId]))[0];
  const apply = (result: ProbeResult, checkedAt: Date, taskId: string = randomUUID()) =>
    results.apply({ hostId, taskId, checkedBy: 'scheduler', result, checkedAt });

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
