import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase } from '../support/test-env';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers';
import { expectBadField, UNKNOWN_UUID } from './helpers';

const SECRET = 'whsec-e2e-0123456789abcdef';
const SLACK_TOKEN = 'T0000/B0000/slackTokenXyz123';

describe('Notification channels and rules over the API', () => {
  let app: TestApp;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    await cleanDatabase();
    app = await createTestApp({ env: { NOTIFY_CONSOLE_URL: 'https://hostwatch.example.com' } });
    receiver = await startHttpReceiver({ secret: SECRET });
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  const create = (body: unknown) =>
    app
      .api()
      .post('/api/notifications/channels')
      .send(body as object);

  it('refuses bad input with a 400 naming the field', async () => {
    expectBadField(await create({ name: 'x', type: 'pager', config: {} }), 'type');
    expectBadField(
      await create({ name: 'x', type: 'webhook', config: { url: 'not a url' } }),
      'config.url',
    );
    expectBadField(
      await create({ name: 'x', type: 'webhook', config: { url: 'ftp://example.com/x' } }),
      'config.url',
    );
    expectBadField(await create({ name: 'x', type: 'webhook', config: {} }), 'config.url');
    expectBadField(
      await create({
        name: 'x',
        type: 'slack',
        config: { url: 'https://hooks.slack.com/x', channel: '#ops' },
      }),
      'config.channel',
    );
    expectBadField(
      await create({ name: 'x', type: 'webhook', config: 'https://example.com' }),
      'config',
    );
    const email = {
      host: 'smtp.example.com',
      tls: 'starttls',
      from: 'hostwatch@example.com',
      to: ['oncall@example.com'],
    };
    expectBadField(
      await create({ name: 'x', type: 'email', config: { ...email, from: 'not-an-address' } }),
      'config.from',
    );
    expectBadField(
      await create({
        name: 'x',
        type: 'email',
        config: { ...email, to: ['ok@example.com', 'nope'] },
      }),
      'config.to[1]',
    );
    expectBadField(
      await create({ name: 'x', type: 'email', config: { ...email, tls: 'ssl' } }),
      'config.tls',
    );
    expectBadField(
      await create({ name: 'x', type: 'email', config: { ...email, port: 0 } }),
      'config.port',
    );
    // Link-local and cloud-metadata destinations, unless NOTIFY_ALLOWED_HOSTS lists them.
    expectBadField(
      await create({
        name: 'x',
        type: 'webhook',
        config: { url: 'http://169.254.169.254/latest' },
      }),
      'config.url',
    );
    expectBadField(
      await create({
        name: 'x',
        type: 'alertmanager',
        config: { url: 'http://metadata.google.internal' },
      }),
      'config.url',
    );
    expectBadField(
      await create({ name: 'x', type: 'webhook', config: { url: 'http://[fe80::1]:8080/' } }),
      'config.url',
    );

    const rule = (body: object) => app.api().post('/api/notifications/rules').send(body);
    const base = { name: 'r', events: ['problem_opened'], channel_ids: [UNKNOWN_UUID] };
    expectBadField(await rule(base), 'channel_ids');
    expectBadField(await rule({ ...base, group_wait_seconds: -1 }), 'group_wait_seconds');
    expectBadField(await rule({ ...base, group_interval_seconds: 0 }), 'group_interval_seconds');
    expectBadField(await rule({ ...base, events: ['problem_exploded'] }), 'events');
    expectBadField(await rule({ ...base, channel_ids: ['nope'] }), 'channel_ids');
  });

  it('keeps secrets write-only and encrypted; PATCH keeps a secret left out', async () => {
    const hook = await create({
      name: 'hook',
      type: 'webhook',
      config: { url: `${receiver.url}/hook`, secret: SECRET },
    }).expect(201);
    expect(hook.body).toMatchObject({
      type: 'webhook',
      enabled: true,
      config: { url: `${receiver.url}/hook`, secret_set: true },
      last_delivery: null,
    });
    expect(JSON.stringify(hook.body)).not.toContain(SECRET);
    const slack = await create({
      name: 'slack',
      type: 'slack',
      config: { url: `${receiver.url}/services/${SLACK_TOKEN}` },
    }).expect(201);
    expect(slack.body.config).toEqual({ url_host: '127.0.0.1', secret_set: true });
    expect(JSON.stringify(slack.body)).not.toContain(SLACK_TOKEN);

    const stored = JSON.stringify(
      await app.dataSource.query('SELECT * FROM notification_channels'),
    );
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(SLACK_TOKEN);

    // A rename keeps the secret; null removes it.
    const renamed = await app
      .api()
      .patch(`/api/notifications/channels/${hook.body.id}`)
      .send({ name: 'hook-2' })
      .expect(200);
    expect(renamed.body.config.secret_set).toBe(true);
    const moved = await app
      .api()
      .patch(`/api/notifications/channels/${hook.body.id}`)
      .send({ config: { url: `${receiver.url}/hook2` } })
      .expect(200);
    expect(moved.body.config).toEqual({ url: `${receiver.url}/hook2`, secret_set: true });
    const cleared = await app
      .api()
      .patch(`/api/notifications/channels/${hook.body.id}`)
      .send({ config: { secret: null } })
      .expect(200);
    expect(cleared.body.config.secret_set).toBe(false);
    await app
      .api()
      .patch(`/api/notifications/channels/${hook.body.id}`)
      .send({ name: 'hook', config: { url: `${receiver.url}/hook`, secret: SECRET } })
      .expect(200);
    // A new type needs its whole config.
    expectBadField(
      await app
        .api()
        .patch(`/api/notifications/channels/${slack.body.id}`)
        .send({ type: 'alertmanager' }),
      'config.url',
    );
    await create({ name: 'hook', type: 'webhook', config: { url: receiver.url } }).expect(409);

    const list = await app.api().get('/api/notifications/channels').expect(200);
    expect(list.body.map((c: { name: string }) => c.name)).toEqual(['hook', 'slack']);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
  });

  it('sends a signed test to a webhook, Slack and Teams in their documented shapes, and logs the attempts', async () => {
    const channels = (await app.api().get('/api/notifications/channels').expect(200))
      .body as Array<{ id: string; name: string }>;
    const hook = channels.find((c) => c.name === 'hook')!;
    const slack = channels.find((c) => c.name === 'slack')!;
    const teams = (
      await create({
        name: 'teams',
        type: 'teams',
        config: { url: `${receiver.url}/teams/workflow?sig=abc` },
      }).expect(201)
    ).body;

    const tested = await app.api().post(`/api/notifications/channels/${hook.id}/test`).expect(200);
    expect(tested.body).toMatchObject({
      ok: true,
      delivery: {
        channel_id: hook.id,
        status: 'delivered',
        response: 'HTTP 200',
        http_status: 200,
        attempt: 1,
      },
    });
    const webhook = receiver.requests.find((r) => r.path === '/hook')!;
    expect(webhook.signatureValid).toBe(true);
    expect(webhook.headers['x-hostwatch-event-id']).toBe(tested.body.delivery.message_id);
    expect(webhook.body).toEqual({
      event_id: tested.body.delivery.message_id,
      kind: 'test',
      sent_at: expect.stringMatching(/Z$/),
      console_url: 'https://hostwatch.example.com',
      alerts: [],
    });

    await app.api().post(`/api/notifications/channels/${slack.id}/test`).expect(200);
    const slackBody = receiver.requests.find((r) => r.path.startsWith('/services/'))!.body as {
      text: string;
      blocks: Array<Record<string, unknown>>;
    };
    // Slack's incoming webhooks: text (the notification's fallback) and at most 50 blocks of
    // known types, mrkdwn or plain_text text objects, sections at most 3,000 characters.
    expect(typeof slackBody.text).toBe('string');
    expect(slackBody.blocks.length).toBeLessThanOrEqual(50);
    for (const block of slackBody.blocks) {
      expect(['header', 'section', 'context', 'actions', 'divider']).toContain(block.type);
      const text = block.text as { type: string; text: string } | undefined;
      if (text) {
        expect(['mrkdwn', 'plain_text']).toContain(text.type);
        expect(text.text.length).toBeLessThanOrEqual(block.type === 'header' ? 150 : 3000);
      }
    }
    expect(slackBody.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });

    await app.api().post(`/api/notifications/channels/${teams.id}/test`).expect(200);
    const teamsBody = receiver.requests.find((r) => r.path.startsWith('/teams/'))!.body as {
      type: string;
      attachments: Array<{ contentType: string; content: Record<string, unknown> }>;
    };
    // A Teams workflow webhook: a message with Adaptive Card attachments.
    expect(teamsBody.type).toBe('message');
    expect(teamsBody.attachments).toHaveLength(1);
    expect(teamsBody.attachments[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: expect.stringMatching(/^1\.[0-5]$/),
        body: expect.arrayContaining([expect.objectContaining({ type: 'TextBlock' })]),
      },
    });

    // A receiver that refuses: the test answers 200 with ok false and the reason.
    receiver.mode = 'fail';
    try {
      const refused = await app
        .api()
        .post(`/api/notifications/channels/${hook.id}/test`)
        .expect(200);
      expect(refused.body).toMatchObject({
        ok: false,
        delivery: { status: 'failed', http_status: 503, error: expect.stringContaining('503') },
      });
    } finally {
      receiver.mode = 'ok';
    }

    const log = await app
      .api()
      .get(`/api/notifications/deliveries?channel_id=${hook.id}`)
      .expect(200);
    expect(log.body).toMatchObject({ total: 2, page: 1, page_size: 50 });
    expect(log.body.items.map((d: { status: string }) => d.status)).toEqual([
      'failed',
      'delivered',
    ]);
    const failedOnly = await app
      .api()
      .get('/api/notifications/deliveries?status=failed')
      .expect(200);
    expect(failedOnly.body.total).toBe(1);
    expectBadField(await app.api().get('/api/notifications/deliveries?status=lost'), 'status');
    const shown = await app.api().get(`/api/notifications/channels/${hook.id}`).expect(200);
    expect(shown.body.last_delivery).toMatchObject({ status: 'failed' });
  });

  it('rules: CRUD, defaults, and a channel in use cannot be deleted', async () => {
    const channels = (await app.api().get('/api/notifications/channels').expect(200))
      .body as Array<{ id: string; name: string }>;
    const hook = channels.find((c) => c.name === 'hook')!;
    const created = await app
      .api()
      .post('/api/notifications/rules')
      .send({
        name: 'rack 7',
        tags: ['rack-7'],
        events: ['problem_opened', 'problem_resolved'],
        channel_ids: [hook.id],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      enabled: true,
      tags: ['rack-7'],
      channel_ids: [hook.id],
      group_wait_seconds: 30,
      group_interval_seconds: 300,
    });
    const changed = await app
      .api()
      .patch(`/api/notifications/rules/${created.body.id}`)
      .send({ group_wait_seconds: 0 })
      .expect(200);
    expect(changed.body).toMatchObject({ group_wait_seconds: 0, group_interval_seconds: 300 });
    await app.api().delete(`/api/notifications/channels/${hook.id}`).expect(409);
    await app.api().get(`/api/notifications/rules/${created.body.id}`).expect(200);
    expect((await app.api().get('/api/notifications/rules').expect(200)).body).toHaveLength(1);
    await app.api().delete(`/api/notifications/rules/${created.body.id}`).expect(204);
    await app.api().delete(`/api/notifications/channels/${hook.id}`).expect(204);
    await app.api().get(`/api/notifications/rules/${created.body.id}`).expect(404);

    const audit = await app.api().get('/api/audit?page_size=500').expect(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    for (const action of [
      'notification_channel.create',
      'notification_channel.update',
      'notification_channel.test',
      'notification_channel.delete',
      'notification_rule.create',
      'notification_rule.update',
      'notification_rule.delete',
    ]) {
      expect(actions).toContain(action);
    }
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);
  });

  it('viewers read alerts; only admins manage notifications', async () => {
    const viewer = await app.userWithRole('viewer');
    await app.api(viewer.access_token).get('/api/alerts').expect(200);
    await app.api(viewer.access_token).get('/api/notifications/channels').expect(403);
    const operator = await app.userWithRole('operator');
    await app.api(operator.access_token).post('/api/notifications/rules').send({}).expect(403);
  });
});

describe('NOTIFY_ALLOWED_HOSTS', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({
      env: { NOTIFY_ALLOWED_HOSTS: 'hooks.slack.com,*.example.com,127.0.0.0/8,169.254.169.254' },
    });
  });
  afterAll(() => app?.close());

  const create = (name: string, type: string, config: object) =>
    app.api().post('/api/notifications/channels').send({ name, type, config });

  it('refuses any destination it does not list, at creation', async () => {
    expectBadField(
      await create('a', 'webhook', { url: 'https://evil.example.org/x' }),
      'config.url',
    );
    expectBadField(await create('b', 'webhook', { url: 'http://10.1.2.3/x' }), 'config.url');
    expectBadField(
      await create('c', 'slack', { url: 'https://hooks.slack.com.evil.org/x' }),
      'config.url',
    );
    expectBadField(
      await create('d', 'email', {
        host: 'smtp.elsewhere.net',
        from: 'a@example.com',
        to: ['b@example.com'],
      }),
      'config.host',
    );
    await create('e', 'slack', { url: 'https://hooks.slack.com/services/T/B/X' }).expect(201);
    await create('f', 'webhook', { url: 'https://alerts.example.com/in' }).expect(201);
    await create('g', 'alertmanager', { url: 'http://127.0.0.1:9093' }).expect(201);
    // Listed explicitly, a metadata address is allowed.
    await create('h', 'webhook', { url: 'http://169.254.169.254/hook' }).expect(201);
  });
});
