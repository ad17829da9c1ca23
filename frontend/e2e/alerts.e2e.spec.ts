/**
 * Alerts and notifications in a real browser against the real app (Postgres, Redis, a worker
 * that runs JIT checks and delivers notifications): an admin adds a webhook channel to a
 * receiver on loopback and a rule, sends a test; hosts on a closed loopback port go CRITICAL
 * through JIT checks and their problems appear on /alerts and in the bell without a reload,
 * notify the receiver, and resolve when the host is deleted; a notification the receiver
 * refuses shows the admin a notice; a viewer sees the alerts and no channel or rule
 * management. Every page gets a screenshot and an axe-core check; any Content-Security-Policy
 * violation fails the spec.
 */
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { EventsService } from '../../backend/src/events/events.service';
import { freePort } from '../../backend/test/support/ports';
import { verifySignature } from '../../backend/test/support/receivers';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase } from '../../backend/test/support/test-env';
import {
  CONSOLE_DIR,
  collectPageErrors,
  consoleSession,
  launchChromium,
  screenshot,
  seriousA11yViolations,
  signIn,
} from './support/browser';

const LIVE_TIMEOUT = 30_000;
const SECRET = 'whsec-browser-e2e-5f1c0a';

/** What the receiver was sent: the signed JSON of a webhook channel. */
interface Received {
  path: string;
  kind: string;
  hostnames: string[];
  signatureValid: boolean;
}

/**
 * A webhook receiver on loopback that checks hostwatch's signature and answers `status`
 * (200 by default; a 4xx makes hostwatch give up on the notification at once).
 */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  status: number;
  close(): Promise<void>;
}> {
  const state = { status: 200 };
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as { kind: string; alerts: { host: { hostname: string } }[] };
      received.push({
        path: req.url ?? '',
        kind: body.kind,
        hostnames: body.alerts.map((a) => a.host.hostname),
        signatureValid: verifySignature(
          SECRET,
          req.headers['x-hostwatch-signature'] as string | undefined,
          raw,
        ),
      });
      res.writeHead(state.status, { 'content-type': 'text/plain' }).end('noted');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get status() {
      return state.status;
    },
    set status(s: number) {
      state.status = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('alerts and notifications in Chromium', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  /** A loopback port nothing listens on: checks of hosts there fail with "connection refused". */
  let closedPort: number;

  const session = consoleSession(async () => {
    await cleanDatabase();
    return createTestApp({ roles: 'api,worker', env: { CONSOLE_DIR, LOG_LEVEL: 'error' } });
  });
  beforeAll(async () => {
    ({ t, page } = session);
    base = t.url!;
    receiver = await startReceiver();
    closedPort = await freePort('127.0.0.1');
  });
  afterAll(async () => {
    await receiver?.close();
  });

  async function checkPage(target: Page, name: string): Promise<void> {
    await screenshot(target, name);
    expect(await seriousA11yViolations(target)).toEqual([]);
  }

  /** Set after a navigation; still there later means the page was never reloaded. */
  const markPage = () =>
    page.evaluate(() => ((globalThis as unknown as { hwMark: string }).hwMark = 'same page'));
  const pageMark = () =>
    page.evaluate(() => (globalThis as unknown as { hwMark?: string }).hwMark ?? null);

  const settingsTab = (name: string) => page.getByRole('tab', { name, exact: true });
  const bell = (target: Page = page) => target.getByTestId('alert-bell');
  const openRow = (hostname: string, target: Page = page) =>
    target.getByTestId('open-alerts').locator(`tr[data-alert="${hostname}"]`);
  const resolvedRow = (hostname: string, target: Page = page) =>
    target.getByTestId('resolved-alerts').locator(`tr[data-alert="${hostname}"]`);

  /** Waits until the dialog's first field has focus (typing earlier lands elsewhere). */
  const focused = (testId: string) =>
    page.waitForFunction(
      (id) =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(n: string): string | null } | null };
          }
        ).document.activeElement?.getAttribute('data-testid') === id,
      testId,
    );

  async function waitFor(what: string, test: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + LIVE_TIMEOUT;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A host on the closed port, taken to CRITICAL by two JIT checks (failure 1: DEGRADED). */
  async function hostGoesCritical(hostname: string): Promise<string> {
    const created = await t
      .api()
      .post('/api/hosts')
      .send({ hostname, ip_address: '127.0.0.1', port: closedPort, tags: ['e2e'] })
      .expect(201);
    const id = created.body.id as string;
    for (let i = 0; i < 2; i++) {
      const res = await t
        .api()
        .post(`/api/monitoring/hosts/${id}/check-connectivity?wait=true&timeout_ms=20000`)
        .expect(200);
      expect(res.body.success).toBe(false);
    }
    const host = await t.api().get(`/api/hosts/${id}`).expect(200);
    expect(host.body.monitoring_state).toBe('CRITICAL');
    return id;
  }

  it('an admin adds a webhook channel (its 400 on the URL field), keeps its secret write-only, and "Send test" shows the answer', async () => {
    await page.goto(`${base}/settings`);
    await settingsTab('Channels').click();
    await page.waitForURL(/\/settings\/channels$/);
    await page.getByRole('heading', { name: 'Notification channels' }).waitFor();
    await page.getByText('No channels yet').waitFor();

    await page.getByTestId('add-channel').click();
    const dialog = page.getByRole('dialog');
    await focused('ch-name');
    await dialog.getByTestId('ch-name').fill('e2e-hook');
    await dialog.getByTestId('ch-url').fill('not a url');
    await dialog.getByTestId('ch-secret').fill(SECRET);
    await dialog.getByTestId('save-channel').click();
    await dialog
      .getByTestId('err-url')
      .filter({ hasText: 'must be an http or https URL' })
      .waitFor();
    expect(await dialog.getByTestId('err-name').count()).toBe(0);
    await checkPage(page, 'alerts-01-channel-form-error');

    await dialog.getByTestId('ch-url').fill(`${receiver.url}/hook`);
    await dialog.getByTestId('save-channel').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    const row = page.locator('tr[data-channel="e2e-hook"]');
    await row.waitFor();
    expect(await row.getByTestId('channel-secret').textContent()).toContain('set');
    expect(await row.getByTestId('channel-last-delivery').textContent()).toContain('none yet');
    expect(await page.content()).not.toContain(SECRET);

    // Editing shows the secret as set, never its value, and a save keeps it (the test below is
    // signed with it).
    await page.getByRole('button', { name: 'Edit channel e2e-hook' }).click();
    await focused('ch-name');
    await dialog.getByTestId('secret-state').filter({ hasText: 'A secret is set' }).waitFor();
    expect(await dialog.getByTestId('ch-secret').inputValue()).toBe('');
    expect(await dialog.getByTestId('ch-url').inputValue()).toBe(`${receiver.url}/hook`);
    await dialog.getByTestId('save-channel').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });

    await page.getByRole('button', { name: 'Send test to e2e-hook' }).click();
    await page
      .getByTestId('test-result')
      .filter({ hasText: 'Test to e2e-hook: Delivered: HTTP 200' })
      .waitFor({ timeout: LIVE_TIMEOUT });
    expect(receiver.received).toEqual([
      { path: '/hook', kind: 'test', hostnames: [], signatureValid: true },
    ]);
    await row.getByTestId('channel-last-delivery').filter({ hasText: 'HTTP 200' }).waitFor();
    expect(await row.getByTestId('channel-last-delivery').textContent()).toContain('test');
    await checkPage(page, 'alerts-02-channels');
  });

  it('an admin adds a rule: its 400 lands on the field, the defaults are 30 s and 300 s', async () => {
    await settingsTab('Rules').click();
    await page.waitForURL(/\/settings\/rules$/);
    await page.getByRole('heading', { name: 'Notification rules' }).waitFor();
    await page.getByTestId('add-rule').click();
    const dialog = page.getByRole('dialog');
    await focused('rule-name');
    expect(await dialog.getByTestId('rule-group-wait').inputValue()).toBe('30');
    expect(await dialog.getByTestId('rule-group-interval').inputValue()).toBe('300');

    await dialog.getByTestId('rule-name').fill('e2e-rule');
    await dialog.getByTestId('rule-tags').fill('e2e');
    await dialog.getByTestId('rule-channels').click();
    await page.getByRole('option', { name: /e2e-hook/ }).click();
    await page.keyboard.press('Escape');
    // Sent at once, so the spec need not wait; the interval must be at least 1 s.
    await dialog.getByTestId('rule-group-wait').fill('0');
    await dialog.getByTestId('rule-group-interval').fill('0');
    await dialog.getByTestId('save-rule').click();
    await dialog
      .getByTestId('err-group_interval_seconds')
      .filter({ hasText: 'must not be less than 1' })
      .waitFor();
    await checkPage(page, 'alerts-03-rule-form-error');

    await dialog.getByTestId('rule-group-interval').fill('1');
    await dialog.getByTestId('save-rule').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    const row = page.locator('tr[data-rule="e2e-rule"]');
    await row.getByText('e2e-hook').waitFor();
    expect(await row.textContent()).toContain('hosts tagged e2e');
    const rules = await t.api().get('/api/notifications/rules').expect(200);
    expect(rules.body).toEqual([
      expect.objectContaining({
        name: 'e2e-rule',
        tags: ['e2e'],
        events: [
          'problem_opened',
          'problem_resolved',
          'host_key_mismatch',
          'flapping_started',
          'flapping_stopped',
        ],
        group_wait_seconds: 0,
        group_interval_seconds: 1,
        repeat_interval_minutes: 0,
        escalations: [],
      }),
    ]);
    await checkPage(page, 'alerts-04-rules');
  });

  it('a host going CRITICAL appears on /alerts and in the bell live, notifies the receiver, and moves to resolved when deleted', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Alerts', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    await page.getByText('No open problems').waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await bell().and(page.locator('[data-count="0"]')).waitFor();
    await markPage();

    const id = await hostGoesCritical('e2e-down');
    const row = openRow('e2e-down');
    await row.waitFor({ timeout: LIVE_TIMEOUT });
    await page.getByRole('link', { name: 'Alerts: 1 open problem' }).waitFor();
    expect(await row.locator('[data-state="CRITICAL"]').count()).toBe(1);
    expect(await row.textContent()).toContain('connection refused');
    expect(await page.getByTestId('open-total').textContent()).toBe('1');
    expect(await pageMark()).toBe('same page');
    await checkPage(page, 'alerts-05-open-problem');

    // The rule sends it at once to the receiver, signed.
    await waitFor('the problem_opened notification', () =>
      receiver.received.some((r) => r.kind === 'problem_opened'),
    );
    const sent = receiver.received.find((r) => r.kind === 'problem_opened')!;
    expect(sent).toMatchObject({ hostnames: ['e2e-down'], signatureValid: true });

    // A row opens the problem's details, with the delivery attempt.
    await row.locator('td[data-label="State"]').click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'e2e-down: problem state' }).waitFor();
    const delivery = page.getByTestId('deliveries').locator('tr[data-channel="e2e-hook"]');
    await waitFor('the delivery attempt on the details page', async () => {
      if ((await delivery.count()) > 0) return true;
      await page.getByRole('button', { name: 'Read again' }).click();
      return false;
    });
    const attempt = await delivery.first().textContent();
    expect(attempt).toContain('Delivered');
    expect(attempt).toContain('HTTP 200');
    expect(attempt).toContain('(webhook)');
    await checkPage(page, 'alerts-06-alert-details');

    // Host details have an Alerts section with the open problem.
    await page.getByRole('link', { name: 'e2e-down', exact: true }).click();
    await page.getByRole('heading', { name: 'e2e-down', exact: true }).waitFor();
    const section = page.getByTestId('host-alerts');
    await section.locator('tr[data-alert="e2e-down"][data-status="open"]').waitFor();
    await checkPage(page, 'alerts-07-host-details');

    // Deleted: the problem resolves ("host deleted") and moves down, live.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Alerts', exact: true })
      .click();
    await row.waitFor();
    await markPage();
    await t.api().delete(`/api/hosts/${id}`).expect(204);
    await resolvedRow('e2e-down').filter({ hasText: 'host deleted' }).waitFor({
      timeout: LIVE_TIMEOUT,
    });
    await row.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Alerts: no open problems' }).waitFor();
    await page.getByText('No open problems').waitFor();
    expect(await pageMark()).toBe('same page');
    await waitFor('the problem_resolved notification', () =>
      receiver.received.some((r) => r.kind === 'problem_resolved'),
    );
    await checkPage(page, 'alerts-08-resolved');
  });

  it('after a dropped live stream the bell and the list read again what they missed', async () => {
    const events = t.app.get(EventsService);
    await page.goto(`${base}/alerts`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByRole('link', { name: 'Alerts: no open problems' }).waitFor();
    await markPage();

    // The stream drops and cannot come back for a while: what happens meanwhile is not sent.
    await page.route('**/api/events', (route) => route.abort());
    events.disconnectAll();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    await hostGoesCritical('e2e-missed');
    await page.waitForTimeout(500);
    expect(await bell().getAttribute('data-count')).toBe('0');
    expect(await openRow('e2e-missed').count()).toBe(0);

    await page.unroute('**/api/events');
    // Backoff with jitter from the server's 3 s retry hint: up to a few attempts' worth.
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Alerts: 1 open problem' }).waitFor();
    await openRow('e2e-missed').waitFor();
    expect(await pageMark()).toBe('same page');
    await waitFor('the notification of the missed problem', () =>
      receiver.received.some((r) => r.hostnames.includes('e2e-missed')),
    );
  });

  it('a notification the receiver refuses shows the admin a notice, which can be dismissed', async () => {
    receiver.status = 410;
    try {
      await hostGoesCritical('e2e-refused');
      const notice = page.getByTestId('delivery-notice');
      await notice.waitFor({ timeout: LIVE_TIMEOUT });
      expect(await notice.textContent()).toContain(
        "A notification to channel 'e2e-hook' (webhook) was given up on after 1 attempt: the receiver answered 410",
      );
      await page.getByRole('link', { name: 'Alerts: 2 open problems' }).waitFor();
      await checkPage(page, 'alerts-09-delivery-notice');
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await notice.waitFor({ state: 'detached' });
    } finally {
      receiver.status = 200;
    }
  });

  it('a viewer sees the alerts and their details, and no channel or rule management', async () => {
    const viewer = await t.userWithRole('viewer');
    const viewerBrowser = await launchChromium();
    try {
      const viewerPage =
        viewerBrowser.context.pages()[0] ?? (await viewerBrowser.context.newPage());
      collectPageErrors(viewerPage, session.pageErrors);
      await signIn(viewerPage, base, viewer.username, viewer.password);
      await viewerPage.getByText(`${viewer.username} (viewer)`).waitFor();
      const mainNav = viewerPage.getByRole('navigation', { name: 'Main' });
      expect(await mainNav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      await viewerPage.getByRole('link', { name: 'Alerts: 2 open problems' }).click();
      await viewerPage.waitForURL(/\/alerts$/);
      await openRow('e2e-missed', viewerPage).waitFor();
      await openRow('e2e-refused', viewerPage).waitFor();
      await resolvedRow('e2e-down', viewerPage).waitFor();
      await checkPage(viewerPage, 'alerts-10-viewer');

      // Filtered to resolved ones only, in the URL.
      await viewerPage.getByTestId('alerts-status').click();
      await viewerPage.getByRole('option', { name: 'Resolved only' }).click();
      await viewerPage.waitForURL(/status=resolved/);
      await openRow('e2e-missed', viewerPage).waitFor({ state: 'detached' });
      await resolvedRow('e2e-down', viewerPage).waitFor();

      await resolvedRow('e2e-down', viewerPage)
        .getByRole('link', { name: 'Problem state on e2e-down' })
        .click();
      await viewerPage.getByRole('heading', { name: 'e2e-down: problem state' }).waitFor();
      await viewerPage.getByTestId('alert-resolved').filter({ hasText: 'host deleted' }).waitFor();

      // No way into channels or rules, and no delivery notice.
      for (const path of ['/settings/channels', '/settings/rules']) {
        await viewerPage.goto(`${base}${path}`);
        await viewerPage.waitForURL(/\/dashboard$/);
      }
      expect(await viewerPage.getByTestId('add-channel').count()).toBe(0);
      expect(await viewerPage.getByTestId('delivery-notice').count()).toBe(0);
    } finally {
      await viewerBrowser.close();
    }
    // And the API refuses the viewer anyway.
    await t.api(viewer.access_token).get('/api/notifications/channels').expect(403);
    await t.api(viewer.access_token).get('/api/notifications/rules').expect(403);
  });

  it('works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/alerts`);
      await openRow('e2e-missed').waitFor();
      await checkPage(page, 'alerts-11-phone');
      await page.goto(`${base}/settings/channels`);
      await page.locator('tr[data-channel="e2e-hook"]').waitFor();
      await checkPage(page, 'alerts-12-channels-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
