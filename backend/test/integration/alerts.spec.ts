import { randomUUID } from 'node:crypto';
import { CheckTarget, HostStatusRepository } from '../../src/hosts/host-status.repository';
import { CheckResultService } from '../../src/monitoring/check-result.service';
import type { ProbeResult } from '../../src/common/probe.types';
import type { MonitoringState } from '../../src/state-machine';
import { insertHost } from '../support/host-rows';
import { createTestApp, TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';

const refused: ProbeResult = {
  success: false,
  stage: 'connect',
  response_time_ms: 1,
  error_type: 'connection_refused',
  error_message: 'connection refused by 127.0.0.1:9',
  host_key: null,
};
const timeout: ProbeResult = { ...refused, error_type: 'timeout', error_message: 'no answer' };
const ok: ProbeResult = {
  success: true,
  stage: 'kex',
  response_time_ms: 5,
  error_type: null,
  error_message: null,
  host_key: null,
};
const keyChanged: ProbeResult = {
  success: false,
  stage: 'kex',
  response_time_ms: 3,
  error_type: 'host_key_mismatch',
  error_message: 'host key changed',
  host_key: { fingerprint: 'SHA256:other', type: 'ssh-ed25519' },
};

interface EventRow {
  kind: string;
  alert_id: string | null;
  payload: Record<string, unknown>;
}

/**
 * Problems open and resolve as part of applying a check result, with their outbox rows: with
 * the host as it is (the guarded write succeeds at once), and with the host as it was when the
 * host was added (every later result misses the guard, is read again and written anew).
 */
describe.each([
  ['with a fresh snapshot', true],
  ['with a stale snapshot', false],
])('alerts from applied results, %s', (_title, fresh) => {
  let app: TestApp;
  let results: CheckResultService;
  let status: HostStatusRepository;
  const firstSeen = new Map<string, CheckTarget>();
  let t = Date.parse('2026-12-01T10:00:00Z');

  beforeAll(async () => {
    app = await createTestApp({ roles: 'api' });
    results = app.app.get(CheckResultService);
    status = app.app.get(HostStatusRepository);
  });
  afterAll(() => app.close());
  beforeEach(() => truncateAll(app.dataSource));

  const addHost = async (name: string, tags: string[] = ['rack-7']): Promise<string> => {
    const id = await insertHost(app.dataSource, {
      hostname: name,
      ip_address: '10.0.0.7',
      port: 2222,
      tags,
      next_check_at: new Date(),
    });
    firstSeen.set(id, (await status.findTargets([id]))[0]);
    return id;
  };
  const targetOf = async (hostId: string): Promise<CheckTarget> =>
    fresh ? (await status.findTargets([hostId]))[0] : firstSeen.get(hostId)!;
  const apply = async (hostId: string, result: ProbeResult, taskId = `jit-${randomUUID()}`) => {
    t += 60_000;
    const applied = await results.apply({
      taskId,
      checkedBy: 'jit',
      result,
      checkedAt: new Date(t),
      target: await targetOf(hostId),
    });
    const state = applied.status === 'applied' ? applied.outcome.new_state : undefined;
    return { taskId, state: state as MonitoringState };
  };
  const alerts = () =>
    app.dataSource.query(
      `SELECT id, kind, severity, state_at_open, current_state, hostname, ip_address, port, tags,
              last_error_type, opened_by_task_id, resolved_by_task_id, resolve_reason,
              resolved_at IS NOT NULL AS resolved
         FROM alerts ORDER BY opened_at`,
    );
  const events = (): Promise<EventRow[]> =>
    app.dataSource.query('SELECT kind, alert_id, payload FROM alert_events ORDER BY seq');

  it('opens a problem on entering CRITICAL, follows it to DOWN, resolves it when HEALTHY', async () => {
    const host = await addHost('web-001');
    await apply(host, refused); // UNKNOWN -> DEGRADED
    const opening = await apply(host, timeout); // DEGRADED -> CRITICAL: opens
    expect(opening.state).toBe('CRITICAL');
    await apply(host, refused); // -> DOWN: no new alert, no event
    await apply(host, ok);
    await apply(host, ok);
    const closing = await apply(host, ok); // -> HEALTHY: resolves
    expect(closing.state).toBe('HEALTHY');

    const [alert, ...others] = await alerts();
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      kind: 'problem',
      severity: 'warning', // fixed at open (CRITICAL), though the host went DOWN later
      state_at_open: 'CRITICAL',
      current_state: 'HEALTHY',
      hostname: 'web-001',
      ip_address: '10.0.0.7',
      port: 2222,
      tags: ['rack-7'],
      last_error_type: 'connection_refused',
      opened_by_task_id: opening.taskId,
      resolved_by_task_id: closing.taskId,
      resolve_reason: 'recovered',
      resolved: true,
    });
    const outbox = await events();
    expect(outbox.map((e) => e.kind)).toEqual([
      'degraded',
      'problem_opened',
      'degraded', // DOWN -> DEGRADED on the first success
      'problem_resolved',
    ]);
    expect(outbox[1]).toMatchObject({
      alert_id: alert.id,
      payload: {
        alert_id: alert.id,
        kind: 'problem_opened',
        alert_kind: 'problem',
        severity: 'warning',
        host: {
          id: host,
          hostname: 'web-001',
          ip_address: '10.0.0.7',
          port: 2222,
          tags: ['rack-7'],
        },
        state: 'CRITICAL',
        previous_state: 'DEGRADED',
        error_type: 'timeout',
        error_message: 'no answer',
        stage: 'connect',
        resolved_at: null,
      },
    });
    expect(outbox[3].payload).toMatchObject({
      kind: 'problem_resolved',
      state: 'HEALTHY',
      previous_state: 'DEGRADED',
      resolve_reason: 'recovered',
      resolved_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('DOWN opens a critical problem; a task id applied twice records once', async () => {
    await app
      .api()
      .put('/api/monitoring/policy')
      .send({ problem_states: ['DOWN'] })
      .expect(200);
    try {
      const host = await addHost('db-7');
      await apply(host, refused);
      await apply(host, refused); // CRITICAL: not a problem state now
      expect(await alerts()).toEqual([]);
      const down = await apply(host, refused);
      expect(down.state).toBe('DOWN');
      // The same task id again (a retried job): applied once, so notified once.
      await results.apply({
        taskId: down.taskId,
        checkedBy: 'jit',
        result: refused,
        checkedAt: new Date(t),
        target: await targetOf(host),
      });
      const rows = await alerts();
      expect(rows).toEqual([
        expect.objectContaining({ severity: 'critical', state_at_open: 'DOWN' }),
      ]);
      expect((await events()).filter((e) => e.kind === 'problem_opened')).toHaveLength(1);
    } finally {
      await app
        .api()
        .put('/api/monitoring/policy')
        .send({ problem_states: ['CRITICAL', 'DOWN'] });
    }
  });

  it('a changed host key opens its own critical alert at once, resolved by a key reset', async () => {
    const host = await addHost('bastion');
    await apply(host, ok);
    const mismatch = await apply(host, keyChanged); // HEALTHY -> DEGRADED, and the key alert
    // Still open: no second key alert (and with problem_states DOWN only, no problem either).
    await app
      .api()
      .put('/api/monitoring/policy')
      .send({ problem_states: ['DOWN'] })
      .expect(200);
    try {
      await apply(host, keyChanged);
    } finally {
      await app
        .api()
        .put('/api/monitoring/policy')
        .send({ problem_states: ['CRITICAL', 'DOWN'] });
    }
    let rows = await alerts();
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'host_key_mismatch',
        severity: 'critical',
        opened_by_task_id: mismatch.taskId,
        resolved: false,
      }),
    ]);
    expect((await events()).map((e) => e.kind)).toEqual(['host_key_mismatch', 'degraded']);

    await app.api().post(`/api/hosts/${host}/host-key/reset`).expect(200);
    rows = await alerts();
    expect(rows[0]).toMatchObject({ resolved: true, resolve_reason: 'host key accepted' });
    const last = (await events()).at(-1)!;
    expect(last).toMatchObject({
      kind: 'problem_resolved',
      payload: { alert_kind: 'host_key_mismatch', resolve_reason: 'host key accepted' },
    });
  });

  it('the next successful check resolves a host-key alert; maintenance and deletion resolve problems', async () => {
    const a = await addHost('a');
    await apply(a, keyChanged);
    await apply(a, ok);
    expect((await alerts())[0]).toMatchObject({ kind: 'host_key_mismatch', resolved: true });

    const b = await addHost('b');
    await apply(b, refused);
    await apply(b, refused); // CRITICAL: problem
    await app.api().patch(`/api/hosts/${b}`).send({ monitoring_state: 'MAINTENANCE' }).expect(200);
    const c = await addHost('c');
    await apply(c, refused);
    await apply(c, refused);
    await app.api().delete(`/api/hosts/${c}`).expect(204);

    const rows = await alerts();
    expect(rows.filter((r: { resolved: boolean }) => !r.resolved)).toEqual([]);
    expect(
      rows.map((r: { hostname: string; resolve_reason: string }) => [r.hostname, r.resolve_reason]),
    ).toEqual([
      ['a', 'recovered'],
      ['b', 'maintenance started'],
      ['c', 'host deleted'],
    ]);
    const resolvedPayloads = (await events())
      .filter((e) => e.kind === 'problem_resolved')
      .map((e) => e.payload);
    expect(resolvedPayloads).toEqual([
      expect.objectContaining({ resolve_reason: 'recovered' }),
      expect.objectContaining({ resolve_reason: 'maintenance started', state: 'MAINTENANCE' }),
      expect.objectContaining({
        resolve_reason: 'host deleted',
        host: expect.objectContaining({ hostname: 'c' }),
      }),
    ]);

    // The deleted host's alert still reads well over the API.
    const list = await app.api().get('/api/alerts?status=resolved').expect(200);
    expect(list.body.total).toBe(3);
    const gone = list.body.items.find(
      (i: { host: { hostname: string } }) => i.host.hostname === 'c',
    );
    expect(gone).toMatchObject({
      status: 'resolved',
      host: { id: null, hostname: 'c', ip_address: '10.0.0.7', port: 2222, tags: ['rack-7'] },
      resolve_reason: 'host deleted',
    });
  });
});
