import { randomUUID } from 'node:crypto';
import { Subscription } from 'rxjs';
import { AlertEventsBus } from '../../src/alerts/alert-events.bus';
import type { AlertLiveEvent } from '../../src/alerts/dto/alert-event.dto';
import { CheckResultService } from '../../src/monitoring/check-result.service';
import type { ProbeResult } from '../../src/common/probe.types';
import { ManualClock } from '../support/manual-clock';
import { startAlertmanager, type Alertmanager } from '../support/alertmanager';
import { closedPort } from '../support/peers';
import {
  startHttpReceiver,
  startSmtpServer,
  type HttpReceiver,
  type SmtpReceiver,
} from '../support/receivers';
import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { waitUntil } from '../support/wait';
import { HostStatusRepository } from '../../src/hosts/host-status.repository';
import { insertHost, insertHosts } from '../support/host-rows';

const SECRET = 'whsec-integration-0123456789';
const SMTP = { username: 'hostwatch', password: 'smtp-password-Qq8' };

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
  event_id: string;
  kind: string;
  alerts: Array<{ alert_id: string; kind: string; state: string; host: { hostname: string } }>;
}

/**
 * Notifications end to end, through the real apply path (CheckResultService), the dispatcher,
 * the notifications queue and real receivers on loopback. The app's clock is moved by hand:
 * group_wait and group_interval are read from it, so no spec sleeps for them.
 */
describe('notifications, from an applied result to a real receiver', () => {
  const clock = new ManualClock(Date.parse('2026-12-01T08:00:00Z'));
  let app: TestApp;
  let webhook: HttpReceiver;
  let chat: HttpReceiver;
  let smtp: SmtpReceiver;
  const live: AlertLiveEvent[] = [];
  let sub: Subscription;

  beforeAll(async () => {
    await cleanDatabase();
    webhook = await startHttpReceiver({ secret: SECRET });
    chat = await startHttpReceiver();
    smtp = await startSmtpServer(SMTP);
    app = await createTestApp({
      roles: 'api,worker',
      clock,
      env: {
        NOTIFY_DISPATCH_INTERVAL_MS: '50',
        NOTIFY_RETRY_BASE_MS: '100',
        NOTIFY_RETRY_MAX_MS: '300',
        NOTIFY_CONSOLE_URL: 'https://hostwatch.example.com',
      },
    });
    const bus = app.app.get(AlertEventsBus);
    sub = bus.stream().subscribe((e) => live.push(e));
    await bus.ready();
  });

  afterAll(async () => {
    sub?.unsubscribe();
    await app?.close();
    await Promise.all([webhook?.close(), chat?.close(), smtp?.close()]);
  });

  const channel = async (name: string, type: string, config: object): Promise<string> =>
    (await app.api().post('/api/notifications/channels').send({ name, type, config }).expect(201))
      .body.id;
  const rule = async (body: object): Promise<string> =>
    (await app.api().post('/api/notifications/rules').send(body).expect(201)).body.id;
  const hosts = async (
    prefix: string,
    count: number,
    tag: string,
    state = 'CRITICAL',
    failures = 2,
  ): Promise<string[]> => {
    const rows = await insertHosts(
      app.dataSource,
      [
        'hostname',
        'ip_address',
        'tags',
        'monitoring_state',
        'consecutive_failures',
        'next_check_at',
      ],
      `SELECT $1 || '-' || lpad(n::text, 4, '0'), '10.7.0.' || (n % 250)::text, ARRAY[$2],
              $3, $4, now()
         FROM generate_series(1, $5) AS n`,
      [prefix, tag, state, failures, count],
    );
    return rows.map((r) => r.id);
  };
  /** Applies one result to each host through the real apply path (the guarded batch). */
  const apply = async (ids: string[], result: ProbeResult): Promise<void> => {
    const targets = await app.app.get(HostStatusRepository).findTargets(ids);
    const results = app.app.get(CheckResultService);
    await Promise.all(
      targets.map((target) =>
        results.apply({
          taskId: `sched-${randomUUID()}`,
          checkedBy: 'scheduler',
          result,
          checkedAt: clock.now(),
          target,
        }),
      ),
    );
  };
  const bodies = (r: HttpReceiver, path: string) =>
    r.accepted.filter((q) => q.path === path).map((q) => q.body as WebhookBody);
  /** Lets the dispatcher run a few ticks at the current (unmoved) time. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

  it('a problem reaches a signed webhook group_wait after it opened, and its resolution follows', async () => {
    const hook = await channel('hook', 'webhook', { url: `${webhook.url}/a`, secret: SECRET });
    await rule({
      name: 'a',
      tags: ['scn-a'],
      events: ['problem_opened', 'problem_resolved'],
      channel_ids: [hook],
      group_wait_seconds: 10,
      group_interval_seconds: 60,
    });
    const [host] = await hosts('web', 1, 'scn-a', 'DEGRADED', 1);
    await apply([host], refused); // DEGRADED -> CRITICAL: a problem opens
    await waitUntil(async () => live.some((e) => e.type === 'alert_opened'), 5000, 'alert_opened');
    await settle();
    expect(bodies(webhook, '/a')).toEqual([]); // group_wait has not passed

    clock.advance(10_000);
    await waitUntil(async () => bodies(webhook, '/a').length === 1, 5000, 'problem_opened sent');
    const [opened] = webhook.accepted.filter((q) => q.path === '/a');
    expect(opened.signatureValid).toBe(true);
    expect(opened.headers['x-hostwatch-event-id']).toBe((opened.body as WebhookBody).event_id);
    expect(opened.body).toMatchObject({
      kind: 'problem_opened',
      console_url: 'https://hostwatch.example.com',
      alerts: [
        {
          kind: 'problem_opened',
          state: 'CRITICAL',
          previous_state: 'DEGRADED',
          error_type: 'connection_refused',
          stage: 'connect',
          host: {
            id: host,
            hostname: 'web-0001',
            ip_address: '10.7.0.1',
            port: 22,
            tags: ['scn-a'],
          },
          resolved_at: null,
        },
      ],
    });
    const alertId = (opened.body as WebhookBody).alerts[0].alert_id;

    await apply([host], ok);
    await apply([host], ok);
    await apply([host], ok); // HEALTHY: resolved
    await waitUntil(
      async () => live.some((e) => e.type === 'alert_resolved'),
      5000,
      'alert_resolved',
    );
    clock.advance(10_000);
    await settle();
    expect(bodies(webhook, '/a')).toHaveLength(1); // group_interval (60 s) not over yet
    clock.advance(50_000);
    await waitUntil(async () => bodies(webhook, '/a').length === 2, 5000, 'problem_resolved sent');
    expect(bodies(webhook, '/a')[1]).toMatchObject({
      kind: 'problem_resolved',
      alerts: [{ alert_id: alertId, state: 'HEALTHY', resolve_reason: 'recovered' }],
    });

    // The receiver answered; the worker records the delivery right after.
    const detailOf = async () => (await app.api().get(`/api/alerts/${alertId}`).expect(200)).body;
    await waitUntil(async () => (await detailOf()).deliveries.length === 2, 5000, 'recorded');
    const detail = { body: await detailOf() };
    expect(detail.body).toMatchObject({ status: 'resolved', resolve_reason: 'recovered' });
    expect(detail.body.deliveries.map((d: { status: string }) => d.status)).toEqual([
      'delivered',
      'delivered',
    ]);
    const log = await app
      .api()
      .get(`/api/notifications/deliveries?alert_id=${alertId}`)
      .expect(200);
    expect(log.body.total).toBe(2);
  });

  it('1,000 hosts going DOWN at once: one grouped message per channel', async () => {
    const hook = await channel('rack-hook', 'webhook', { url: `${webhook.url}/rack` });
    const slack = await channel('rack-slack', 'slack', { url: `${chat.url}/slack/T1/B1/x` });
    await rule({
      name: 'rack',
      tags: ['rack-9'],
      events: ['problem_opened'],
      channel_ids: [hook, slack],
      group_wait_seconds: 30,
    });
    const ids = await hosts('rack9', 1000, 'rack-9');
    await apply(ids, refused); // CRITICAL -> DOWN, all 1,000
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM alerts WHERE 'rack-9' = ANY(tags) AND resolved_at IS NULL`,
    );
    expect(n).toBe(1000);
    await settle();
    clock.advance(30_000);
    await waitUntil(
      async () => bodies(webhook, '/rack').length === 1 && chat.accepted.length === 1,
      15000,
      'grouped messages',
    );
    await settle();
    expect(bodies(webhook, '/rack')).toHaveLength(1);
    const grouped = bodies(webhook, '/rack')[0];
    expect(grouped.kind).toBe('problem_opened');
    expect(grouped.alerts).toHaveLength(1000);
    expect(new Set(grouped.alerts.map((a) => a.alert_id)).size).toBe(1000);
    expect(chat.accepted).toHaveLength(1);
    const slackBody = chat.accepted[0].body as {
      text: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(slackBody.text).toMatch(
      /^🔴 1,000 hosts DOWN: rack9-0001, rack9-0002, .* … and 990 more$/,
    );
    expect(JSON.stringify(slackBody.blocks)).toContain('DOWN 1,000');
    expect(JSON.stringify(slackBody.blocks)).toContain('rack-9 1,000');
  });

  it('e-mail: a real SMTP server receives plain text and HTML, authenticated', async () => {
    const mail = await channel('mail', 'email', {
      host: '127.0.0.1',
      port: smtp.port,
      tls: 'none',
      username: SMTP.username,
      password: SMTP.password,
      from: 'hostwatch@example.com',
      to: ['oncall@example.com', 'lead@example.com'],
    });
    await rule({
      name: 'mail',
      tags: ['scn-e'],
      events: ['problem_opened'],
      channel_ids: [mail],
      group_wait_seconds: 0,
    });
    await hosts('mailhost', 1, 'scn-e', 'CRITICAL', 2);
    const [id] = (
      await app.dataSource.query(`SELECT id FROM hosts WHERE hostname = 'mailhost-0001'`)
    ).map((r: { id: string }) => r.id);
    await apply([id], refused);
    await waitUntil(async () => smtp.mails.length === 1, 10000, 'mail received');
    const m = smtp.mails[0];
    expect(m.subject).toMatch(/^\[hostwatch\] 🔴 DOWN: mailhost-0001/);
    expect(m.from?.text).toBe('hostwatch@example.com');
    expect((m.to as { text: string }).text).toBe('oncall@example.com, lead@example.com');
    expect(m.text).toContain('mailhost-0001 (10.7.0.1:22) DOWN — connection_refused at connect');
    expect(m.html).toContain('<li>mailhost-0001 (10.7.0.1:22) DOWN');
    expect(m.text).toContain(`Open in hostwatch: https://hostwatch.example.com/hosts/${id}`);
    expect(m.headers.get('x-hostwatch-event-id')).toEqual(expect.any(String));
    const log = await app.api().get(`/api/notifications/deliveries?channel_id=${mail}`).expect(200);
    expect(log.body.items[0]).toMatchObject({
      status: 'delivered',
      response: expect.stringMatching(/^250/),
    });
  });

  it('a receiver down, then up: everything arrives, in order per host; past the retry window, failed', async () => {
    const hook = await channel('flaky', 'webhook', { url: `${webhook.url}/flaky` });
    await rule({
      name: 'flaky',
      tags: ['scn-c'],
      events: ['problem_opened', 'problem_resolved'],
      channel_ids: [hook],
      group_wait_seconds: 0,
      group_interval_seconds: 1,
    });
    const [a, b] = await hosts('flaky', 2, 'scn-c', 'DEGRADED', 1);
    webhook.mode = 'fail';
    await apply([a, b], refused); // both open
    clock.advance(2_000);
    await apply([a], ok); // a: DEGRADED
    await apply([a], ok);
    await apply([a], ok); // a: HEALTHY, resolved
    clock.advance(2_000);
    await apply([a], refused); // a: DEGRADED
    await apply([a], refused); // a: CRITICAL again, a new problem
    clock.advance(2_000);
    await waitUntil(
      async () => {
        const [row] = await app.dataSource.query(
          `SELECT count(*)::int AS n FROM notification_deliveries d
             JOIN notification_channels c ON c.id = d.channel_id
            WHERE c.name = 'flaky' AND d.status = 'retrying'`,
        );
        return row.n >= 3;
      },
      10000,
      'failed attempts',
    );
    // Two minutes down (on the app's clock), then up.
    clock.advance(120_000);
    webhook.mode = 'ok';
    await waitUntil(
      async () => {
        const [row] = await app.dataSource.query(
          `SELECT count(*)::int AS n FROM notification_messages m
             JOIN notification_channels c ON c.id = m.channel_id
            WHERE c.name = 'flaky' AND m.status = 'pending'`,
        );
        return row.n === 0;
      },
      15000,
      'all delivered',
    );
    const received = bodies(webhook, '/flaky');
    const sequence = (hostname: string) =>
      received.flatMap((m) =>
        m.alerts.filter((x) => x.host.hostname === hostname).map((x) => x.kind),
      );
    expect(sequence('flaky-0001')).toEqual([
      'problem_opened',
      'problem_resolved',
      'problem_opened',
    ]);
    expect(sequence('flaky-0002')).toEqual(['problem_opened']);
    // Retried sends carry the same event id: the receiver kept each message once.
    const ids = webhook.requests
      .filter((q) => q.path === '/flaky')
      .map((q) => (q.body as WebhookBody).event_id);
    expect(new Set(ids).size).toBe(received.length);

    // A receiver that never comes back: given up once NOTIFY_RETRY_HOURS (24) have passed.
    const dead = await channel('dead', 'webhook', {
      url: `http://127.0.0.1:${await closedPort()}/x`,
    });
    await rule({
      name: 'dead',
      tags: ['scn-d'],
      events: ['problem_opened'],
      channel_ids: [dead],
      group_wait_seconds: 0,
    });
    const [d] = await hosts('dead', 1, 'scn-d', 'DEGRADED', 1);
    await apply([d], refused);
    await waitUntil(
      async () =>
        (await app.api().get(`/api/notifications/deliveries?channel_id=${dead}&status=retrying`))
          .body.total >= 1,
      10000,
      'a failed attempt',
    );
    clock.advance(25 * 3600_000);
    await waitUntil(
      async () => live.some((e) => e.type === 'delivery_failed'),
      10000,
      'delivery_failed',
    );
    const failed = live.find((e) => e.type === 'delivery_failed')!;
    expect(failed).toMatchObject({
      delivery: {
        channel_id: dead,
        channel_name: 'dead',
        kind: 'problem_opened',
        alert_count: 1,
        error: expect.stringContaining('ECONNREFUSED'),
      },
    });
    // (Read from the database: the admin's token has expired on the moved clock.)
    const [last] = await app.dataSource.query(
      'SELECT status FROM notification_deliveries WHERE channel_id = $1 ORDER BY at DESC LIMIT 1',
      [dead],
    );
    expect(last).toEqual({ status: 'failed' });
  });
});

describe('a real Alertmanager', () => {
  const clock = new ManualClock(Date.now());
  let app: TestApp;
  let am: Alertmanager;
  let amWebhook: HttpReceiver;

  beforeAll(async () => {
    await cleanDatabase();
    amWebhook = await startHttpReceiver();
    am = await startAlertmanager(`${amWebhook.url}/am`);
    app = await createTestApp({
      roles: 'api,worker',
      clock,
      env: {
        NOTIFY_DISPATCH_INTERVAL_MS: '50',
        NOTIFY_CONSOLE_URL: 'http://hostwatch.example.com',
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await am?.stop();
    await amWebhook?.close();
  });

  it('holds the alert with fixed labels while it fires, and sees it resolved', async () => {
    const channel = (
      await app
        .api()
        .post('/api/notifications/channels')
        .send({ name: 'am', type: 'alertmanager', config: { url: am.url } })
        .expect(201)
    ).body.id;
    await app
      .api()
      .post('/api/notifications/rules')
      .send({
        name: 'am',
        events: ['problem_opened', 'problem_resolved'],
        channel_ids: [channel],
        group_wait_seconds: 0,
        group_interval_seconds: 1,
      })
      .expect(201);
    const host = await insertHost(app.dataSource, {
      hostname: 'db-7',
      ip_address: '10.0.0.7',
      tags: ['prod', 'rack-7'],
      monitoring_state: 'DEGRADED',
      consecutive_failures: 1,
      next_check_at: new Date(),
    });
    const results = app.app.get(CheckResultService);
    const applyOne = async (result: ProbeResult) => {
      const [target] = await app.app.get(HostStatusRepository).findTargets([host]);
      await results.apply({
        taskId: `jit-${randomUUID()}`,
        checkedBy: 'jit',
        result,
        checkedAt: clock.now(),
        target,
      });
    };
    await applyOne(refused); // CRITICAL: firing
    await waitUntil(async () => (await am.alerts()).length === 1, 10000, 'alert in Alertmanager');
    const [firing] = await am.alerts();
    expect(firing.labels).toEqual({
      alertname: 'HostwatchProblem',
      host: 'db-7',
      state: 'CRITICAL',
      error_type: 'connection_refused',
      severity: 'warning',
      tag_prod: 'true',
      tag_rack_7: 'true',
    });
    expect(firing.annotations).toMatchObject({ current_state: 'CRITICAL', address: '10.0.0.7:22' });
    expect(firing.status.state).toBe('active');
    await waitUntil(
      async () =>
        amWebhook.accepted.some((r) => (r.body as { status: string }).status === 'firing'),
      10000,
      'Alertmanager notified firing',
    );

    // DOWN: annotations change, labels do not; the re-send keeps it alive.
    clock.advance(2000);
    await applyOne(refused);
    await app.app
      .get((await import('../../src/notifications/queue/periodic.service')).NotificationsPeriodic)
      .resendToAlertmanager();
    await waitUntil(
      async () => (await am.alerts())[0]?.annotations.current_state === 'DOWN',
      10000,
      'annotations updated',
    );
    const [down] = await am.alerts();
    expect(down.labels).toEqual(firing.labels);
    expect(down.startsAt).toBe(firing.startsAt);

    clock.advance(2000);
    await applyOne(ok);
    await applyOne(ok);
    await applyOne(ok); // HEALTHY: resolved
    clock.advance(2000);
    await waitUntil(
      async () => (await am.alerts()).length === 0,
      10000,
      'alert resolved in Alertmanager',
    );
    await waitUntil(
      async () =>
        amWebhook.accepted.some((r) => (r.body as { status: string }).status === 'resolved'),
      10000,
      'Alertmanager notified resolved',
    );
    const resolved = amWebhook.accepted
      .map((r) => r.body as { status: string; alerts: Array<{ labels: Record<string, string> }> })
      .find((b) => b.status === 'resolved')!;
    expect(resolved.alerts[0].labels).toEqual(firing.labels);
  });
});
