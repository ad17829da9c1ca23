import { randomUUID } from 'node:crypto';
import type { ProbeResult } from '../../src/common/probe.types';
import { HostStatusRepository } from '../../src/hosts/host-status.repository';
import { CheckResultService } from '../../src/monitoring/check-result.service';
import { NotificationDispatcher } from '../../src/notifications/queue/dispatcher.service';
import { insertHost } from '../support/host-rows';
import { ManualClock } from '../support/manual-clock';
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

interface WebhookBody {
  kind: string;
  alerts: Array<{ kind: string; notice?: string; host: { hostname: string } }>;
}

const MINUTE = 60_000;

/**
 * Reminders and escalation end to end: problems opened by the real apply path, the real
 * dispatcher and delivery queue, two real HTTP receivers (the on-call channel and the lead's),
 * and a clock the spec moves by minutes.
 */
describe('reminders and escalation', () => {
  const clock = new ManualClock(Date.parse('2027-01-06T08:00:00Z'));
  let app: TestApp;
  let webhook: HttpReceiver;
  let oncall: string;
  let lead: string;

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
    const admin = await adminApi();
    const channel = async (name: string) =>
      (
        await admin
          .post('/api/notifications/channels')
          .send({ name, type: 'webhook', config: { url: `${webhook.url}/${name}` } })
          .expect(201)
      ).body.id as string;
    oncall = await channel('oncall');
    lead = await channel('lead');
  });

  /** An admin signed in at the clock's time (the spec moves it by hours). */
  const adminApi = async () => app.api((await app.userWithRole('admin')).access_token);
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
  };
  /**
   * Runs the dispatcher at the clock's time and waits until every outbox row is taken and
   * every message delivered; then what each receiver got, as `channel kind[:notice]`.
   */
  const settle = async (): Promise<string[]> => {
    const dispatcher = app.app.get(NotificationDispatcher);
    await dispatcher.tick();
    await waitUntil(
      async () => {
        await dispatcher.tick();
        const [{ n }] = await app.dataSource.query(
          `SELECT (SELECT count(*) FROM alert_events WHERE dispatched_at IS NULL)
                + (SELECT count(*) FROM notification_group_items WHERE message_id IS NULL)
                + (SELECT count(*) FROM notification_messages WHERE status = 'pending') AS n`,
        );
        return Number(n) === 0;
      },
      10_000,
      'every notification delivered',
    );
    return webhook.accepted.flatMap((r) =>
      (r.body as WebhookBody).alerts.map(
        (a) => `${r.path.slice(1)} ${a.kind}${a.notice ? `:${a.notice}` : ''}`,
      ),
    );
  };
  /** Moves the clock to `minutes` after the problem opened. */
  let openedAt = 0;
  const at = (minutes: number) =>
    clock.advance(openedAt + minutes * MINUTE - clock.now().getTime());

  it('reminds every repeat_interval_minutes while unacknowledged, escalates once after after_minutes, and tells the escalated channel of the resolution', async () => {
    await (
      await adminApi()
    )
      .post('/api/notifications/rules')
      .send({
        name: 'on-call',
        events: ['problem_opened', 'problem_resolved'],
        channel_ids: [oncall],
        group_wait_seconds: 0,
        group_interval_seconds: 1,
        repeat_interval_minutes: 30,
        escalations: [{ after_minutes: 15, channel_ids: [lead] }],
      })
      .expect(201);
    const host = await insertHost(app.dataSource, {
      hostname: 'db-1',
      ip_address: '10.9.0.1',
      next_check_at: new Date(clock.now().getTime() + 86_400_000),
    });
    await apply(host, refused);
    await apply(host, refused); // CRITICAL: the problem opens
    openedAt = clock.now().getTime();
    const [{ id: alertId }] = await app.dataSource.query(
      'SELECT id FROM alerts WHERE host_id = $1',
      [host],
    );
    expect(await settle()).toEqual(['oncall problem_opened']);

    at(14.5);
    expect(await settle()).toEqual(['oncall problem_opened']);
    at(15);
    expect(await settle()).toEqual(['oncall problem_opened', 'lead problem_opened:escalation']);

    // Acknowledged: the reminder due at 30 minutes does not go.
    const operator = await app.userWithRole('operator');
    await app
      .api(operator.access_token)
      .post(`/api/alerts/${alertId}/ack`)
      .send({ comment: 'on it' })
      .expect(200);
    at(31);
    expect(await settle()).toHaveLength(2);

    // Acknowledgement removed: the overdue reminder goes at once, to both channels.
    await app
      .api((await app.userWithRole('operator')).access_token)
      .delete(`/api/alerts/${alertId}/ack`)
      .expect(204);
    at(31.5);
    expect((await settle()).slice(2).sort()).toEqual([
      'lead problem_opened:reminder',
      'oncall problem_opened:reminder',
    ]);
    at(61);
    expect(await settle()).toHaveLength(4);
    at(61.5);
    expect((await settle()).slice(4).sort()).toEqual([
      'lead problem_opened:reminder',
      'oncall problem_opened:reminder',
    ]);

    // Recovery: the rule's channel hears it as usual, the escalated one too; then no more.
    for (let i = 0; i < 3; i++) await apply(host, ok);
    at(62);
    expect((await settle()).slice(6).sort()).toEqual([
      'lead problem_resolved:escalation',
      'oncall problem_resolved',
    ]);
    at(200);
    expect(await settle()).toHaveLength(8);
  });

  it('refuses an escalation to an unknown channel, naming it', async () => {
    const res = await (await adminApi()).post('/api/notifications/rules').send({
      name: 'bad',
      events: ['problem_opened'],
      channel_ids: [oncall],
      escalations: [{ after_minutes: 5, channel_ids: [randomUUID()] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'escalations[0].channel_ids',
    ]);
    const negative = await (await adminApi()).post('/api/notifications/rules').send({
      name: 'bad',
      events: ['problem_opened'],
      channel_ids: [oncall],
      repeat_interval_minutes: -1,
    });
    expect(negative.status).toBe(400);
    expect(negative.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'repeat_interval_minutes',
    ]);
  });
});
