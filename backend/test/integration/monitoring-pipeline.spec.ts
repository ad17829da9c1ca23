import { startSshd, Sshd } from '../support/sshd';
import { Api, createTestApp, TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';

/**
 * The whole pipeline against a real OpenSSH sshd: producer → BullMQ → worker → ssh2 probe →
 * transition + history in Postgres, with the policy compressed to 1-second intervals.
 */
describe('monitoring pipeline against a real sshd', () => {
  let sshd: Sshd;
  let app: TestApp;
  let api: Api;

  beforeAll(async () => {
    sshd = await startSshd();
    app = await createTestApp({
      roles: 'api,scheduler,worker',
      env: {
        SCHEDULER_TICK_MS: '200',
        PROBE_CONNECT_TIMEOUT_MS: '1000',
        PROBE_TIMEOUT_MS: '3000',
        WORKER_CONCURRENCY: '4',
      },
    });
    api = app.api();
    await truncateAll(app.dataSource);
    await api
      .put('/api/monitoring/policy')
      .send({
        intervals_seconds: { HEALTHY: 1, DEGRADED: 1, CRITICAL: 1, DOWN: 1 },
        jitter_ratio: 0,
      })
      .expect(200);
  });

  afterAll(async () => {
    await app?.close();
    await sshd?.stop();
  });

  const addHost = async (hostname: string, extra: Record<string, unknown> = {}) =>
    (
      await api
        .post('/api/hosts')
        .send({ hostname, ip_address: sshd.host, port: sshd.port, ...extra })
        .expect(201)
    ).body;

  const jit = async (id: string) =>
    (
      await api
        .post(`/api/monitoring/hosts/${id}/check-connectivity?wait=true&timeout_ms=10000`)
        .expect(200)
    ).body;

  async function statesOf(id: string): Promise<string[]> {
    const rows = await app.dataSource.query(
      `SELECT monitoring_state FROM host_check_history WHERE host_id = $1 ORDER BY check_time`,
      [id],
    );
    return rows.map((r: { monitoring_state: string }) => r.monitoring_state);
  }

  async function waitForState(id: string, state: string, timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [host] = await app.dataSource.query(
        'SELECT monitoring_state FROM host_status WHERE host_id = $1',
        [id],
      );
      if (host.monitoring_state === state) return;
      if (Date.now() > deadline) {
        throw new Error(
          `host never reached ${state}; history: ${(await statesOf(id)).join(' → ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('walks HEALTHY → DEGRADED → CRITICAL → DOWN when sshd stops, and back when it returns', async () => {
    const host = await addHost('walk-sshd');
    await waitForState(host.id, 'HEALTHY');
    await sshd.pause();
    try {
      await waitForState(host.id, 'DOWN');
    } finally {
      await sshd.resume();
    }
    await waitForState(host.id, 'HEALTHY');

    const states = await statesOf(host.id);
    const transitions = states.filter((s, i) => i === 0 || s !== states[i - 1]);
    expect(transitions).toEqual(['HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN', 'DEGRADED', 'HEALTHY']);
    // Three successes to come back: DOWN → DEGRADED (1), DEGRADED (2), HEALTHY (3).
    expect(states.slice(-3)).toEqual(['DEGRADED', 'DEGRADED', 'HEALTHY']);

    // Each check came due at last check + 1 s (jitter 0), claimed within a few ticks.
    const rows = await app.dataSource.query(
      `SELECT check_time, success, error_type FROM host_check_history WHERE host_id = $1 ORDER BY check_time`,
      [host.id],
    );
    const failures = rows.filter((r: { success: boolean }) => !r.success);
    expect(
      failures.every((r: { error_type: string }) => r.error_type === 'connection_refused'),
    ).toBe(true);
    for (let i = 1; i < rows.length; i += 1) {
      const gap = rows[i].check_time.getTime() - rows[i - 1].check_time.getTime();
      expect(gap).toBeGreaterThanOrEqual(1000);
      expect(gap).toBeLessThan(2500);
    }
    const state = (await api.get(`/api/monitoring/hosts/${host.id}/state`).expect(200)).body;
    expect(state.current_state).toBe('HEALTHY');
    expect(state.consecutive_successes).toBeGreaterThanOrEqual(3);
    expect(state.consecutive_failures).toBe(0);
    expect(state.check_interval_info.seconds).toBe(1);
    // The last checks, newest first, at most 10 (checks go on while we look).
    expect(state.recent_history.length).toBeGreaterThanOrEqual(Math.min(rows.length, 10));
    expect(state.recent_history.length).toBeLessThanOrEqual(10);
    const times = state.recent_history.map((h: { check_time: string }) => h.check_time);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('pins the host key, reports host_key_mismatch after a new key, and re-pins after reset', async () => {
    const host = await addHost('key-sshd');
    const first = await jit(host.id);
    expect(first.success).toBe(true);
    expect(first.stage).toBe('kex');
    expect(first.host_key_fingerprint).toBe(sshd.hostKeyFingerprint);
    const pinned = (await api.get(`/api/hosts/${host.id}`).expect(200)).body;
    expect(pinned.host_key_fingerprint).toBe(sshd.hostKeyFingerprint);

    const oldFingerprint = sshd.hostKeyFingerprint;
    const newFingerprint = await sshd.regenerateHostKeys();
    const mismatch = await jit(host.id);
    expect(mismatch.success).toBe(false);
    expect(mismatch.error_type).toBe('host_key_mismatch');
    expect(mismatch.error_message).toContain(oldFingerprint);
    expect(mismatch.error_message).toContain(newFingerprint);
    expect(mismatch.error_message).toContain(`/api/hosts/${host.id}/host-key/reset`);
    expect((await api.get(`/api/hosts/${host.id}`).expect(200)).body.host_key_fingerprint).toBe(
      oldFingerprint,
    );

    await api.post(`/api/hosts/${host.id}/host-key/reset`).expect(200);
    const repinned = await jit(host.id);
    expect(repinned.success).toBe(true);
    expect((await api.get(`/api/hosts/${host.id}`).expect(200)).body.host_key_fingerprint).toBe(
      newFingerprint,
    );
  });

  it('authenticates with password and private-key credentials; a wrong password is auth_failed', async () => {
    const password = await api
      .post('/api/credentials')
      .send({
        name: 'sshd-password',
        username: sshd.username,
        auth_method: 'password',
        password: sshd.password,
      })
      .expect(201);
    const key = await api
      .post('/api/credentials')
      .send({
        name: 'sshd-key',
        username: sshd.username,
        auth_method: 'private_key',
        private_key: sshd.privateKey,
      })
      .expect(201);
    const wrong = await api
      .post('/api/credentials')
      .send({
        name: 'sshd-wrong',
        username: sshd.username,
        auth_method: 'password',
        password: 'not-the-password',
      })
      .expect(201);

    const withPassword = await addHost('auth-password', {
      credential_id: password.body.id,
      is_active: false,
    });
    const withKey = await addHost('auth-key', { credential_id: key.body.id, is_active: false });
    const withWrong = await addHost('auth-wrong', {
      credential_id: wrong.body.id,
      is_active: false,
    });

    const a = await jit(withPassword.id);
    expect([a.success, a.stage, a.error_type]).toEqual([true, 'auth', null]);
    const b = await jit(withKey.id);
    expect([b.success, b.stage, b.error_type]).toEqual([true, 'auth', null]);
    const c = await jit(withWrong.id);
    expect([c.success, c.stage, c.error_type]).toEqual([false, 'auth', 'auth_failed']);
    expect(JSON.stringify(c)).not.toContain('not-the-password');

    // A host without a credential uses the default one.
    await api.patch(`/api/credentials/${key.body.id}`).send({ is_default: true }).expect(200);
    const plain = await addHost('auth-default', { is_active: false });
    await new Promise((r) => setTimeout(r, 2100)); // the worker trusts its cached default for 2 s
    const d = await jit(plain.id);
    expect([d.success, d.stage]).toEqual([true, 'auth']);
  });
});
