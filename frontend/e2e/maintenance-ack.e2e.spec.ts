/**
 * Maintenance windows and acknowledgement in a real browser against the real app: an admin
 * plans a weekly window in Europe/Berlin under Settings and sees its next occurrences in that
 * zone, sees a bad time zone refused on its field, sees a host held by a window with its badge,
 * and acknowledges problems on the Alerts page, one with its button and two as a selection.
 * Screenshots and an axe-core check on each page.
 */
import type { Page } from 'playwright-core';
import { freePort } from '../../backend/test/support/ports';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase } from '../../backend/test/support/test-env';
import {
  CONSOLE_DIR,
  consoleSession,
  launchChromium,
  screenshot,
  seriousA11yViolations,
  signIn,
} from './support/browser';

describe('maintenance windows and acknowledgement in Chromium', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  /** A loopback port nothing listens on: checks of hosts there fail with "connection refused". */
  let closedPort: number;

  const session = consoleSession(async () => {
    await cleanDatabase();
    return createTestApp({ roles: 'api,worker', env: { CONSOLE_DIR, LOG_LEVEL: 'error' } });
  });
  beforeAll(async () => {
    ({ t, page } = session);
    base = t.url!;
    closedPort = await freePort('127.0.0.1');
  });

  async function checkPage(name: string): Promise<void> {
    await screenshot(page, name);
    expect(await seriousA11yViolations(page)).toEqual([]);
  }
  const addHost = async (hostname: string, tags: string[] = []): Promise<string> =>
    (
      await t
        .api()
        .post('/api/hosts')
        .send({ hostname, ip_address: '127.0.0.1', port: closedPort, tags })
        .expect(201)
    ).body.id;
  const check = async (id: string) =>
    t
      .api()
      .post(`/api/monitoring/hosts/${id}/check-connectivity?wait=true&timeout_ms=20000`)
      .expect(200);

  it('plans a weekly window in Europe/Berlin and lists its next occurrences in that zone', async () => {
    await page.goto(`${base}/settings/maintenance`);
    const form = page.getByTestId('maintenance-form');
    await form.getByTestId('mw-name').fill('saturday patching');
    await form.getByTestId('mw-reason').fill('kernel updates');
    await form.getByTestId('mw-tags').fill('rack-7');
    await form.getByTestId('mw-kind').click();
    await page.getByRole('option', { name: 'Every week, on some days' }).click();
    await form.getByTestId('mw-start-time').fill('22:00');
    await form.getByTestId('mw-duration').fill('480');
    await form.getByTestId('mw-time-zone').fill('Europe/Atlantis');
    await form.getByTestId('add-maintenance').click();
    await form.getByTestId('err-time_zone').filter({ hasText: 'time zone' }).waitFor();
    await checkPage('maintenance-01-bad-zone');

    await form.getByTestId('mw-time-zone').fill('Europe/Berlin');
    await form.getByTestId('add-maintenance').click();
    const row = page.locator('tr[data-window="saturday patching"]');
    await row.waitFor();
    await row.getByText('Sat at 22:00 for 8 h (Europe/Berlin)').waitFor();
    const lines = await row
      .getByTestId('occurrences-saturday patching')
      .locator('li')
      .allInnerTexts();
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^Sat, .+, 22:00 – Sun .+, 0[67]:00$/);
    const [stored] = (await t.api().get('/api/maintenance-windows').expect(200)).body;
    expect(stored.recurrence).toEqual({
      weekdays: ['sat'],
      start_time: '22:00',
      duration_minutes: 480,
      time_zone: 'Europe/Berlin',
    });
    await checkPage('maintenance-02-window-listed');
  });

  it('plans a one-off window for a host picked by name', async () => {
    const id = await addHost('pick-me');
    await page.goto(`${base}/settings/maintenance`);
    const form = page.getByTestId('maintenance-form');
    await form.getByTestId('mw-name').fill('one host');
    await form.getByTestId('mw-host').fill('pick-m');
    await page.getByTestId('mw-host-option').filter({ hasText: 'pick-me' }).first().click();
    await form.getByTestId('mw-hosts').getByText('pick-me').waitFor();
    // datetime-local, read in the browser's zone (the specs run with TZ=UTC).
    const local = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16);
    await form.getByTestId('mw-starts-at').fill(local(3_600_000));
    await form.getByTestId('mw-ends-at').fill(local(7_200_000));
    await form.getByTestId('add-maintenance').click();
    const row = page.locator('tr[data-window="one host"]');
    await row.getByTestId('window-host-count').filter({ hasText: '1 host' }).waitFor();
    const [w] = (await t.api().get('/api/maintenance-windows').expect(200)).body.filter(
      (x: { name: string }) => x.name === 'one host',
    );
    expect(w).toMatchObject({ host_ids: [id], recurrence: null, active: false });
    await t.api().delete(`/api/maintenance-windows/${w.id}`).expect(204);
  });

  it('shows a host held by a window with its badge, and it leaves when the window is deleted', async () => {
    const held = await addHost('db-held', ['rack-9']);
    const w = (
      await t
        .api()
        .post('/api/maintenance-windows')
        .send({
          name: 'rack 9 move',
          reason: 'moving racks',
          tags: ['rack-9'],
          starts_at: new Date(Date.now() - 60_000).toISOString(),
          ends_at: new Date(Date.now() + 3_600_000).toISOString(),
        })
        .expect(201)
    ).body;
    await page.goto(`${base}/hosts`);
    const badge = page.getByTestId('state-db-held').getByTestId('badge-maintenance');
    await badge.filter({ hasText: 'moving racks' }).waitFor();
    await checkPage('maintenance-03-host-badge');

    await page.goto(`${base}/settings/maintenance`);
    const row = page.locator('tr[data-window="rack 9 move"]');
    await row.getByText('On now').waitFor();
    await row.getByRole('button', { name: 'Delete maintenance window rack 9 move' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    await t.api().get(`/api/maintenance-windows/${w.id}`).expect(404);
    expect((await t.api().get(`/api/hosts/${held}`).expect(200)).body.monitoring_state).not.toBe(
      'MAINTENANCE',
    );
  });

  it('acknowledges one problem with its button, then two as a selection', async () => {
    const hosts = [await addHost('web-a'), await addHost('web-b'), await addHost('web-c')];
    for (const id of hosts) {
      await check(id);
      await check(id); // CRITICAL: a problem opens
    }
    await page.goto(`${base}/alerts`);
    const table = page.getByTestId('open-alerts');
    const row = (hostname: string) => table.locator(`tr[data-alert="${hostname}"]`);
    await row('web-a').getByTestId('ack-button').click();
    let dialog = page.getByRole('dialog');
    await dialog.getByTestId('ack-comment').fill('replacing the switch');
    await checkPage('ack-01-dialog');
    await dialog.getByTestId('ack-submit').click();
    await row('web-a')
      .getByTestId('ack-note')
      .filter({ hasText: 'replacing the switch' })
      .waitFor();
    await row('web-a').getByTestId('ack-note').filter({ hasText: 'admin' }).waitFor();

    await row('web-b').getByRole('checkbox').check();
    await row('web-c').getByRole('checkbox').check();
    await page.getByTestId('ack-selected').click();
    dialog = page.getByRole('dialog');
    await dialog.getByTestId('ack-comment').fill('same switch');
    await dialog.getByTestId('ack-sticky').click();
    await dialog.getByTestId('ack-submit').click();
    await row('web-c').getByTestId('ack-note').filter({ hasText: 'sticky' }).waitFor();
    await row('web-b').getByTestId('ack-note').filter({ hasText: 'same switch' }).waitFor();
    await checkPage('ack-02-acknowledged');

    const open = (await t.api().get('/api/alerts?status=open').expect(200)).body.items as Array<{
      host: { hostname: string };
      acknowledged: boolean;
      ack_sticky: boolean;
      ack_comment: string;
    }>;
    const byHost = new Map(open.map((a) => [a.host.hostname, a]));
    expect(byHost.get('web-a')).toMatchObject({ acknowledged: true, ack_sticky: false });
    expect(byHost.get('web-b')).toMatchObject({
      acknowledged: true,
      ack_sticky: true,
      ack_comment: 'same switch',
    });
    expect(byHost.get('web-c')?.acknowledged).toBe(true);
  });

  it('a rule takes a reminder interval and an escalation step', async () => {
    const channel = async (name: string) =>
      (
        await t
          .api()
          .post('/api/notifications/channels')
          .send({ name, type: 'webhook', config: { url: `http://127.0.0.1:9/${name}` } })
          .expect(201)
      ).body.id as string;
    const oncall = await channel('oncall');
    const lead = await channel('team-lead');
    await page.goto(`${base}/settings/rules`);
    await page.getByTestId('add-rule').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('rule-name').fill('escalating');
    await dialog.getByTestId('rule-channels').click();
    await page.getByRole('option', { name: /oncall/ }).click();
    await page.keyboard.press('Escape');
    await dialog.getByTestId('rule-repeat-interval').fill('30');
    await dialog.getByTestId('add-escalation').click();
    await dialog.getByTestId('escalation-after-0').fill('15');
    await dialog.getByTestId('escalation-channels-0').click();
    await page.getByRole('option', { name: /team-lead/ }).click();
    await page.keyboard.press('Escape');
    await checkPage('ack-03-rule-escalation');
    await dialog.getByTestId('save-rule').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    const rules = (await t.api().get('/api/notifications/rules').expect(200)).body;
    expect(rules).toEqual([
      expect.objectContaining({
        name: 'escalating',
        channel_ids: [oncall],
        repeat_interval_minutes: 30,
        escalations: [{ after_minutes: 15, channel_ids: [lead] }],
      }),
    ]);
  });

  it('an operator reaches Maintenance under Settings, and no admin page', async () => {
    const operator = await t.userWithRole('operator');
    const browser = await launchChromium();
    try {
      const op = browser.context.pages()[0] ?? (await browser.context.newPage());
      await signIn(op, base, operator.username, operator.password);
      await op.getByText(`${operator.username} (operator)`).waitFor();
      await op
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Settings' })
        .click();
      await op.getByRole('heading', { name: 'Maintenance windows' }).waitFor();
      await op.getByTestId('settings-tab-maintenance').waitFor();
      expect(await op.locator('[data-testid^="settings-tab-"]').count()).toBe(1);
      await op.goto(`${base}/settings/users`);
      await op.waitForURL(/\/dashboard$/);
    } finally {
      await browser.close();
    }
  });
});
