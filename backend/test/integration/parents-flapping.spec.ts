import { randomUUID } from 'node:crypto';
import { CheckResultService } from '../../src/monitoring/check-result.service';
import { HostStatusRepository } from '../../src/hosts/host-status.repository';
import type { ProbeResult } from '../../src/common/probe.types';
import { DEFAULT_POLICY, nextFlapState, type FlapState } from '../../src/state-machine';
import { ManualClock } from '../support/manual-clock';
import { insertHost } from '../support/host-rows';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, truncateAll } from '../support/test-env';
import { waitUntil } from '../support/wait';

const refused: ProbeResult = {
  success: false,
  stage: 'connect',
  response_time_ms: 1,
  error_type: 'connection_refused',
  error_message: 'connection refused',
  host_key: null,
};
const ok: ProbeResult = {
  success: true,
  stage: 'kex',
  response_time_ms: 4,
  error_type: null,
  error_message: null,
  host_key: null,
};
/** The jump host's key changed: the probe of the host behind it ended on the jump leg. */
const jumpKeyChanged: ProbeResult = {
  success: false,
  stage: 'jump',
  response_time_ms: 3,
  error_type: 'host_key_mismatch',
  error_message: 'jump host 127.0.0.1:22: host key changed',
  host_key: null,
};
/** The host answered and refused the login: its own failure, whatever is in front of it. */
const authFailed: ProbeResult = {
  success: false,
  stage: 'auth',
  response_time_ms: 6,
  error_type: 'auth_failed',
  error_message: 'authentication failed',
  host_key: null,
};

interface EventRow {
  kind: string;
  host_id: string;
  suppressed_by: string | null;
  payload: { flap_percent?: number; state: string };
}

interface WebhookBody {
  kind: string;
  alerts: Array<{ kind: string; host: { hostname: string } }>;
}

/**
 * Parents, jump hosts and flapping through the real apply path (CheckResultService) and the
 * real dispatcher, with a real receiver: what is recorded, and what is told.
 */
describe('unreachable and flapping hosts', () => {
  const clock = new ManualClock(Date.parse('2026-12-02T08:00:00Z'));
  let app: TestApp;
  let webhook: HttpReceiver;

  beforeAll(async () => {
    await cleanDatabase();
    webhook = await startHttpReceiver();
    app = await createTestApp({
      roles: 'api,worker',
      clock,
      env: { NOTIFY_DISPATCH_INTERVAL_MS: '50' },
    });
  });
  afterAll(async () => {
    await app?.close();
    await webhook?.close();
  });
  beforeEach(async () => {
    await truncateAll(app.dataSource);
    webhook.requests.length = 0;
    webhook.accepted.length = 0;
    const hook = (
      await app
        .api()
        .post('/api/notifications/channels')
        .send({ name: 'hook', type: 'webhook', config: { url: `${webhook.url}/all` } })
        .expect(201)
    ).body.id;
    await app
      .api()
      .post('/api/notifications/rules')
      .send({
        name: 'everything',
        events: [
          'problem_opened',
          'problem_resolved',
          'host_key_mismatch',
          'degraded',
          'flapping_started',
          'flapping_stopped',
        ],
        channel_ids: [hook],
        group_wait_seconds: 0,
        group_interval_seconds: 1,
      })
      .expect(201);
  });

  const addHost = (hostname: string, values: Record<string, unknown> = {}): Promise<string> =>
    insertHost(app.dataSource, {
      hostname,
      ip_address: '10.9.0.1',
      next_check_at: new Date(clock.now().getTime() + 3_600_000),
      ...values,
    });
  /** One check of each host, a second after the last, through the real apply path. */
  const apply = async (hostId: string, result: ProbeResult) => {
    clock.advance(1000);
    const [target] = await app.app.get(HostStatusRepository).findTargets([hostId]);
    const applied = await app.app.get(CheckResultService).apply({
      taskId: `sched-${randomUUID()}`,
      checkedBy: 'scheduler',
      result,
      checkedAt: clock.now(),
      target,
    });
    if (applied.status !== 'applied') throw new Error(`not applied: ${applied.status}`);
    return applied.outcome;
  };
  const applyTimes = async (hostId: string, result: ProbeResult, times: number) => {
    for (let i = 0; i < times; i++) await apply(hostId, result);
  };
  const events = (hostId?: string): Promise<EventRow[]> =>
    app.dataSource.query(
      `SELECT kind, host_id, suppressed_by, payload FROM alert_events
        WHERE $1::uuid IS NULL OR host_id = $1 ORDER BY seq`,
      [hostId ?? null],
    );
  const status = async (hostId: string) =>
    (
      await app.dataSource.query(
        `SELECT monitoring_state, unreachable, flapping, flap_percent, next_check_at
           FROM host_status WHERE host_id = $1`,
        [hostId],
      )
    )[0];
  /**
   * What reached the receiver (host, event kind), sorted, once every outbox row has been
   * dispatched and every message delivered; the clock moves past each group_interval meanwhile.
   */
  const told = async (): Promise<Array<[string, string]>> => {
    await waitUntil(
      async () => {
        clock.advance(2000);
        const [{ n }] = await app.dataSource.query(
          `SELECT (SELECT count(*) FROM alert_events WHERE dispatched_at IS NULL)
                + (SELECT count(*) FROM notification_group_items WHERE message_id IS NULL)
                + (SELECT count(*) FROM notification_messages WHERE status = 'pending') AS n`,
        );
        return Number(n) === 0;
      },
      10_000,
      'every told event delivered',
    );
    return webhook.accepted
      .flatMap((r) =>
        (r.body as WebhookBody).alerts.map((a): [string, string] => [a.host.hostname, a.kind]),
      )
      .sort((a, b) => a.join().localeCompare(b.join()));
  };

  it('behind a DOWN parent: unreachable, recorded and untold; told once the parent is back and the host still fails', async () => {
    const router = await addHost('router');
    const child = await addHost('child', { parent_host_id: router });
    await applyTimes(router, refused, 3); // UNKNOWN → DEGRADED → CRITICAL → DOWN
    expect((await status(router)).monitoring_state).toBe('DOWN');

    const first = await apply(child, refused);
    expect(first).toMatchObject({ new_state: 'DEGRADED', unreachable: true });
    await apply(child, refused); // CRITICAL: a problem opens, held
    expect(await status(child)).toMatchObject({ monitoring_state: 'CRITICAL', unreachable: true });
    const [alert] = await app.dataSource.query(
      `SELECT suppressed_by, resolved_at FROM alerts WHERE host_id = $1`,
      [child],
    );
    expect(alert).toEqual({ suppressed_by: 'unreachable', resolved_at: null });
    expect((await events(child)).map((e) => [e.kind, e.suppressed_by])).toEqual([
      ['degraded', 'unreachable'],
      ['problem_opened', 'unreachable'],
    ]);
    const history = await app.dataSource.query(
      `SELECT unreachable FROM host_check_history WHERE host_id = $1 ORDER BY check_time`,
      [child],
    );
    expect(history).toEqual([{ unreachable: true }, { unreachable: true }]);

    // The router comes back: the child is due at once, not after its CRITICAL interval.
    expect((await status(child)).next_check_at.getTime()).toBeGreaterThan(clock.now().getTime());
    await apply(router, ok);
    expect((await status(child)).next_check_at.toISOString()).toBe(clock.now().toISOString());

    // The child still fails with its parent up: its own problem, told now, once.
    const own = await apply(child, refused);
    expect(own).toMatchObject({ new_state: 'DOWN', unreachable: false });
    expect(
      (
        await app.dataSource.query(`SELECT suppressed_by FROM alerts WHERE host_id = $1`, [child])
      )[0].suppressed_by,
    ).toBeNull();
    await applyTimes(child, ok, 3); // back to HEALTHY: the resolution is told too

    const sent = await told();
    expect(sent.filter(([host]) => host === 'child')).toEqual([
      ['child', 'degraded'],
      ['child', 'problem_opened'],
      ['child', 'problem_resolved'],
    ]);
    expect(sent.filter(([host]) => host === 'router')).toEqual([
      ['router', 'degraded'],
      ['router', 'degraded'],
      ['router', 'problem_opened'],
    ]);
  });

  it('a problem that opened and resolved while unreachable is never told', async () => {
    const bastion = await addHost('bastion');
    const child = await addHost('behind', { jump_host_id: bastion });
    await applyTimes(bastion, refused, 2); // CRITICAL counts as down too
    await applyTimes(child, refused, 2);
    await applyTimes(child, ok, 3); // CRITICAL → DEGRADED → DEGRADED → HEALTHY
    expect((await events(child)).map((e) => [e.kind, e.suppressed_by])).toEqual([
      ['degraded', 'unreachable'],
      ['problem_opened', 'unreachable'],
      ['degraded', 'unreachable'], // recovering, its problem still held
      ['problem_resolved', 'unreachable'],
    ]);
    expect((await told()).filter(([host]) => host === 'behind')).toEqual([]);
  });

  it('a host that answered failed on its own, even behind a DOWN parent', async () => {
    const router = await addHost('router-2');
    const child = await addHost('auth-child', { parent_host_id: router });
    await applyTimes(router, refused, 3);
    const outcome = await apply(child, authFailed);
    expect(outcome.unreachable).toBe(false);
    expect((await events(child)).map((e) => e.suppressed_by)).toEqual([null]);
  });

  it("a key mismatch on the jump leg is the jump host's: no host-key alert for the host behind it", async () => {
    const bastion = await addHost('bastion-k');
    const child = await addHost('behind-k', { jump_host_id: bastion });
    await apply(bastion, ok);
    const outcome = await apply(child, jumpKeyChanged);
    expect(outcome).toMatchObject({ unreachable: true, stage: 'jump', new_state: 'DEGRADED' });
    const alerts = await app.dataSource.query(`SELECT kind FROM alerts WHERE host_id = $1`, [
      child,
    ]);
    expect(alerts).toEqual([]);
  });

  it('a recovered parent makes its failing children due now, and leaves healthy ones alone', async () => {
    const router = await addHost('router-3');
    const failing = await addHost('failing', { parent_host_id: router });
    const healthy = await addHost('healthy', { jump_host_id: router });
    await applyTimes(healthy, ok, 1);
    await applyTimes(router, refused, 3);
    await applyTimes(failing, refused, 3);
    const healthyDue = (await status(healthy)).next_check_at.toISOString();
    await apply(router, ok);
    expect((await status(failing)).next_check_at.toISOString()).toBe(clock.now().toISOString());
    expect((await status(healthy)).next_check_at.toISOString()).toBe(healthyDue);
  });

  it('flapping starts and stops with the policy thresholds; problems in between are held', async () => {
    const host = await addHost('flappy');
    // What the state machine says the flap history does, check by check.
    // Down twice, up twice, six times over (a problem opens and resolves each time), then up.
    const pattern = [
      ...Array.from({ length: 24 }, (_, i) => i % 4 >= 2),
      ...Array.from({ length: 30 }, () => true),
    ];
    const expected: FlapState[] = [];
    let flap: FlapState = { changes: 0, flapping: false, percent: 0 };
    let before: boolean | null = null;
    for (const up of pattern) {
      flap = nextFlapState(flap, before !== null && before !== up, DEFAULT_POLICY.flapping);
      expected.push(flap);
      before = up;
    }
    const started = expected.findIndex((f) => f.flapping);
    const stopped = expected.findIndex((f, i) => i > started && !f.flapping);
    expect(started).toBeGreaterThan(0);
    expect(stopped).toBeGreaterThan(started);

    for (const [i, up] of pattern.entries()) {
      const outcome = await apply(host, up ? ok : refused);
      expect(outcome.flapping).toBe(expected[i].flapping);
      expect((await status(host)).flap_percent).toBeCloseTo(expected[i].percent, 1);
    }

    const rows = await events(host);
    const flaps = rows.filter((e) => e.kind.startsWith('flapping_'));
    expect(flaps.map((e) => [e.kind, e.suppressed_by])).toEqual([
      ['flapping_started', null],
      ['flapping_stopped', null],
    ]);
    expect(flaps[0].payload.flap_percent).toBeCloseTo(expected[started].percent, 1);
    // Between the two, every event of the host was held.
    const between = rows.slice(rows.indexOf(flaps[0]) + 1, rows.indexOf(flaps[1]));
    expect(between.length).toBeGreaterThan(0);
    expect(between.every((e) => e.suppressed_by === 'flapping')).toBe(true);
    // Told: every event not held, and none that was.
    const kinds = (await told()).filter(([h]) => h === 'flappy').map(([, k]) => k);
    expect(kinds).toEqual(
      rows
        .filter((e) => e.suppressed_by === null)
        .map((e) => e.kind)
        .sort(),
    );
  });
});
