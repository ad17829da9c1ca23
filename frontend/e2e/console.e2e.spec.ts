/**
 * The console in a real browser against the real app: Postgres, Redis, the scheduler, a
 * worker, and the fleet simulator (real SSH servers in their own process, switched at run
 * time through its control API) as the monitored hosts. Each step is something an operator
 * does; every page also gets a screenshot and an axe-core check.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { hostAddress, type Behaviour } from '../../tools/fleet/behaviours';
import { startFleet, type Fleet } from '../../tools/fleet/fleet';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase, TEST_ADMIN } from '../../backend/test/support/test-env';
import { EventsService } from '../../backend/src/events/events.service';
import {
  CONSOLE_DIR,
  launchChromium,
  screenshot,
  seriousA11yViolations,
  type LaunchedBrowser,
  collectPageErrors,
  signIn as signInAt,
} from './support/browser';
import { freePort } from '../../backend/test/support/ports';

const LIVE_TIMEOUT = 30_000;

/**
 * Simulated hosts on their own loopback addresses, far from the simulator's default range, so
 * this run does not meet a demo or another run's fleet on the same addresses.
 */
const FIRST_INDEX = 300_000 + Math.floor(Math.random() * 200_000);

describe('admin console in Chromium', () => {
  let fleet: Fleet;
  /** The simulated host the console adds through its dialog, and a second one for bulk checks. */
  let sim: { address: string; port: number };
  let sim2: { address: string; port: number };
  let t: TestApp;
  let chromium: LaunchedBrowser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  /** Set after a navigation; still there later means the page was never reloaded. */
  const markPage = () =>
    page.evaluate(() => ((globalThis as unknown as { hwMark: string }).hwMark = 'same page'));
  const pageMark = () =>
    page.evaluate(() => (globalThis as unknown as { hwMark?: string }).hwMark ?? null);

  const stateCell = (hostname: string) => page.getByTestId(`state-${hostname}`);
  const waitForState = (hostname: string, label: string) =>
    stateCell(hostname).filter({ hasText: label }).waitFor({ timeout: LIVE_TIMEOUT });

  /** Switches a simulated host's behaviour now, through the simulator's control API. */
  async function behave(address: string, behaviour: Behaviour): Promise<void> {
    const res = await fetch(`${fleet.controlUrl}/hosts/${address}`, {
      method: 'PUT',
      body: JSON.stringify({ behaviour }),
    });
    if (res.status !== 200) throw new Error(`fleet control: ${res.status} ${await res.text()}`);
  }

  /** The host key a simulated host presents (known after its first SSH connection). */
  async function simFingerprint(address: string): Promise<string> {
    const res = await fetch(`${fleet.controlUrl}/hosts/${address}`);
    const status = (await res.json()) as { fingerprint: string | null };
    if (!status.fingerprint) throw new Error(`${address} has not been contacted yet`);
    return status.fingerprint;
  }

  beforeAll(async () => {
    fleet = await startFleet({
      hosts: 3,
      mix: 'healthy=100',
      firstIndex: FIRST_INDEX,
      port: await freePort(hostAddress(FIRST_INDEX)),
      controlPort: 0,
      processes: 1,
    });
    [sim, sim2] = fleet.hosts;
    await cleanDatabase();
    t = await createTestApp({
      roles: 'api,scheduler,worker',
      env: { CONSOLE_DIR, SCHEDULER_TICK_MS: '500', LOG_LEVEL: 'error' },
    });
    base = t.url!;
    chromium = await launchChromium();
    context = chromium.context;
    page = context.pages()[0] ?? (await context.newPage());
    collectPageErrors(page, pageErrors);
    await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
  });

  /** Signs in through the login page, as a person does. */
  const signIn = (target: Page, username: string, password: string) =>
    signInAt(target, base, username, password);

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
    await fleet?.stop();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  it('opens on the dashboard with the live stream connected', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/dashboard$/);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('tile-total').filter({ hasText: '0' }).waitFor();
    // This app runs a worker: no warning that checks have nobody to run them.
    expect(await page.getByTestId('no-scheduled-workers').count()).toBe(0);
    expect(await page.getByTestId('no-jit-workers').count()).toBe(0);
    await screenshot(page, '01-dashboard-empty');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('stores a credential whose secret is never shown again, and edits the policy', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'State policy' }).waitFor();

    const form = page.getByTestId('credential-form');
    await form.getByLabel('Name', { exact: true }).fill('e2e-key');
    await form.getByLabel('Username', { exact: true }).fill(fleet.credential.username);
    await form.getByRole('combobox', { name: 'Method' }).click();
    await page.getByRole('option', { name: 'Private key' }).click();
    await form.getByLabel('Private key (OpenSSH or PEM)').fill(fleet.credential.privateKey);
    await form.getByLabel('Default for hosts that name no credential').check();
    await form.getByRole('button', { name: 'Store credential' }).click();
    await page.getByRole('cell', { name: 'e2e-key', exact: true }).waitFor();
    // The form is emptied once stored: the key is gone from the page for good.
    expect(await form.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await page.content()).not.toContain(fleet.credential.privateKey.split('\n')[1]);

    // Editing never loads the secret; left empty, the stored key is kept (the later
    // "Ready for scan?" authenticates with it).
    await page.getByRole('button', { name: 'Edit credential e2e-key' }).click();
    await form.getByRole('heading', { name: 'Edit credential e2e-key' }).waitFor();
    expect(await form.getByLabel('Private key (OpenSSH or PEM)').inputValue()).toBe('');
    await form.getByLabel('Name', { exact: true }).fill('e2e-fleet-key');
    await form.getByRole('button', { name: 'Save credential' }).click();
    await page.getByRole('cell', { name: 'e2e-fleet-key', exact: true }).waitFor();

    // Out of order thresholds are refused before anything is sent.
    const down = page.getByTestId('policy-down_after_failures');
    await down.fill('1');
    await page.getByTestId('save-policy').click();
    await page.getByTestId('policy-error-down_after_failures').waitFor();
    await down.fill('3');

    // A valid change is saved and is what the API now enforces.
    const healthy = page.getByRole('spinbutton', { name: 'HEALTHY', exact: true }).first();
    await healthy.fill('900');
    await page.getByTestId('save-policy').click();
    await page.getByText('Policy saved').waitFor();
    const policy = await t.api().get('/api/monitoring/policy').expect(200);
    expect(policy.body.intervals_seconds.HEALTHY).toBe(900);
    expect(policy.body.thresholds.down_after_failures).toBe(3);

    await screenshot(page, '02-settings');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('adds a host, shows the API 400 on its field, and sees it turn HEALTHY without a reload', async () => {
    await page.getByRole('link', { name: 'Hosts' }).click();
    await page.getByRole('heading', { name: 'Hosts' }).waitFor();
    await markPage();

    await page.getByTestId('add-host').click();
    const dialog = page.getByRole('dialog');
    // The dialog focuses its first field once it has opened; typing before that would land
    // in whichever field had focus when it moved.
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(n: string): string | null } | null };
          }
        ).document.activeElement?.getAttribute('data-testid') === 'f-hostname',
    );
    await dialog.getByTestId('f-hostname').fill('e2e-sim');
    await dialog.getByTestId('f-ip').fill('999.1.2.3');
    await dialog.getByTestId('f-port').fill(String(sim.port));
    await dialog.getByTestId('f-tags').fill('e2e, ssh');
    await dialog.getByTestId('save-host').click();
    await dialog
      .getByTestId('err-ip_address')
      .filter({ hasText: 'The IP address must be an IPv4 or IPv6 address.' })
      .waitFor();
    await screenshot(page, '03-host-dialog-error');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await dialog.getByTestId('f-ip').fill(sim.address);
    await dialog.getByTestId('save-host').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 }).catch(async (error: unknown) => {
      await screenshot(page, 'failed-host-dialog');
      throw error;
    });

    await stateCell('e2e-sim').waitFor();
    await waitForState('e2e-sim', 'Healthy');
    expect(await pageMark()).toBe('same page');
    await screenshot(page, '04-hosts-healthy');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('bulk "check now" on a filtered selection sees the refused simulated host go DEGRADED live', async () => {
    const second = await t
      .api()
      .post('/api/hosts')
      .send({ hostname: 'e2e-peer', ip_address: sim2.address, port: sim2.port, tags: ['e2e'] })
      .expect(201);
    const other = await t
      .api()
      .post('/api/hosts')
      .send({
        hostname: 'e2e-other',
        ip_address: '127.0.0.1',
        port: 1,
        tags: ['other'],
        is_active: false,
      })
      .expect(201);

    await page.getByTestId('filter-tag').fill('e2e');
    await page.getByTestId('filter-tag').press('Enter');
    await page.waitForURL(/tag=e2e/);
    await page.locator('tr[data-host="e2e-other"]').waitFor({ state: 'detached' });
    await page.locator('tr[data-host="e2e-sim"]').waitFor();
    await waitForState('e2e-peer', 'Healthy');
    const checksOf = async (id: string) =>
      (
        (await t.api().get(`/api/monitoring/hosts/${id}/history`).expect(200)).body
          .items as unknown[]
      ).length;
    const secondBefore = await checksOf(second.body.id);
    await markPage();

    await behave(sim.address, 'refused');
    await page.getByRole('checkbox', { name: 'Select all hosts on this page' }).check();
    await page.getByTestId('bulk-check').click();
    await page.getByText('Queued 2 checks').waitFor();
    await waitForState('e2e-sim', 'Degraded');
    await stateCell('e2e-sim').filter({ hasText: 'connection refused at connect' }).waitFor();
    await waitForState('e2e-peer', 'Healthy');
    expect(await pageMark()).toBe('same page');

    // Both selected hosts were checked (the healthy one once more), and only those.
    for (let i = 0; i < 100 && (await checksOf(second.body.id)) <= secondBefore; i++) {
      await page.waitForTimeout(200);
    }
    expect(await checksOf(second.body.id)).toBeGreaterThan(secondBefore);
    const untouched = await t.api().get(`/api/hosts/${other.body.id}`).expect(200);
    expect(untouched.body.last_check_at).toBeNull();
    await behave(sim.address, 'healthy');
  });

  it('host details show a fresh result or check on open, "Check now" shows its result live, and answer "Ready for scan?"', async () => {
    await page.getByRole('link', { name: 'e2e-sim' }).click();
    await page.getByRole('heading', { name: 'e2e-sim' }).waitFor();
    // Checked a moment ago by the bulk check: the page shows that result and queues none
    // (unless the minute since has run out); "Check now" checks it again.
    const opened = page.getByTestId('jit-skipped').or(page.getByTestId('jit-result'));
    await opened.waitFor({ timeout: LIVE_TIMEOUT });
    if ((await page.getByTestId('jit-skipped').count()) > 0) {
      expect(await opened.textContent()).toContain('recent enough');
      await page.getByTestId('check-now').click();
    }
    const jit = page.getByTestId('jit-result');
    await jit.waitFor({ timeout: LIVE_TIMEOUT });
    expect(await jit.textContent()).toMatch(/reachable.*stage auth/s);
    const fingerprint = await simFingerprint(sim.address);
    await page.getByTestId('fingerprint').filter({ hasText: fingerprint }).waitFor();
    await page.getByTestId('history').locator('li').nth(2).waitFor();

    await page.getByTestId('ready-for-scan').click();
    // Whichever way it ends (answer, still pending after 30 s, or an error), a failure says which.
    const settled = page
      .getByTestId('scan-answer')
      .or(page.getByTestId('scan-pending'))
      .or(page.getByTestId('scan-error'));
    await settled.waitFor({ timeout: LIVE_TIMEOUT + 10_000 });
    expect(await settled.textContent()).toContain('Yes: ready for scan.');
    await screenshot(page, '05-host-details');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Forgetting the key asks first, then clears the pin. The reset makes the host due at once,
    // so the next check may pin the same key again before the page shows it unpinned.
    await page.getByTestId('reset-key').click();
    const reset = page.waitForResponse((r) => r.url().endsWith('/host-key/reset'));
    await page.getByRole('dialog').getByRole('button', { name: 'Forget key' }).click();
    const response = await reset;
    expect(response.status()).toBe(200);
    expect((await response.json()).host_key_fingerprint).toBeNull();
    await page
      .getByTestId('fingerprint')
      .filter({ hasText: new RegExp(`not pinned yet|${escapeRegExp(fingerprint)}`) })
      .waitFor();
  });

  it('the dashboard shows a transition live and its numbers lead to the filtered list', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Latest transitions' }).waitFor();
    await markPage();
    const hosts = await t.api().get('/api/hosts?q=e2e-sim').expect(200);
    const id = hosts.body.items[0].id as string;
    const before = hosts.body.items[0].monitoring_state as string;

    // Two failures in a row leave DEGRADED whatever the success count was.
    await behave(sim.address, 'refused');
    for (let i = 0; i < 2; i++) {
      await t
        .api()
        .post(`/api/monitoring/hosts/${id}/check-connectivity?wait=true&timeout_ms=20000`)
        .expect(200);
    }
    const after = (await t.api().get(`/api/hosts/${id}`).expect(200)).body
      .monitoring_state as string;
    await page
      .getByTestId('feed')
      .locator('li')
      .filter({ hasText: 'e2e-sim' })
      .filter({ has: page.locator(`[data-state="${after}"]`) })
      .first()
      .waitFor({ timeout: LIVE_TIMEOUT });
    expect(after).not.toBe(before);
    await page
      .getByTestId(`tile-${after}`)
      .filter({ hasText: '1' })
      .waitFor({ timeout: LIVE_TIMEOUT });
    expect(await pageMark()).toBe('same page');
    await screenshot(page, '06-dashboard-live');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByTestId(`tile-${after}`).click();
    await page.waitForURL(new RegExp(`/hosts\\?state=${after}`));
    await page.locator('tr[data-host="e2e-sim"]').waitFor();
    expect(await page.locator('tr[data-host="e2e-other"]').count()).toBe(0);
    await behave(sim.address, 'healthy');
  });

  it('reconnects a dropped live stream by itself and keeps updating without a reload', async () => {
    const events = t.app.get(EventsService);
    // By name, so rows keep their places as states change.
    await page.goto(`${base}/hosts?tag=e2e&sort=hostname`);
    await page.locator('tr[data-host="e2e-sim"]').waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await markPage();
    const waitForListeners = async (n: number) => {
      for (let i = 0; i < 200 && events.listenerCount !== n; i++) await page.waitForTimeout(50);
      expect(events.listenerCount).toBe(n);
    };
    await waitForListeners(1);

    events.disconnectAll(); // what a restarting API process does to its streams
    await waitForListeners(0);
    await waitForListeners(1);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

    // The new stream carries results: a check now shows up in the row.
    await behave(sim.address, 'refused');
    const hosts = await t.api().get('/api/hosts?q=e2e-sim').expect(200);
    await t
      .api()
      .post(`/api/monitoring/hosts/${hosts.body.items[0].id}/check-connectivity`)
      .expect(202);
    await stateCell('e2e-sim').filter({ hasText: 'connection refused' }).waitFor({
      timeout: LIVE_TIMEOUT,
    });
    expect(await pageMark()).toBe('same page');
    await behave(sim.address, 'healthy');
  });

  it('an open host list inserts, changes and removes hosts that others change through the API, without a reload', async () => {
    // By name, so rows keep their places as states change.
    await page.goto(`${base}/hosts?tag=e2e&sort=hostname`);
    await page.locator('tr[data-host="e2e-sim"]').waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const range = page.locator('.mat-mdc-paginator-range-label');
    await range.filter({ hasText: /\bof 2\s*$/ }).waitFor();
    await markPage();

    // Created elsewhere (here: the API, as a script or another tab would): it appears in place.
    const created = await t
      .api()
      .post('/api/hosts')
      .send({
        hostname: 'e2e-live',
        ip_address: '127.0.0.1',
        port: 1,
        tags: ['e2e'],
        is_active: false,
      })
      .expect(201);
    const row = page.locator('tr[data-host="e2e-live"]');
    await row.waitFor({ timeout: LIVE_TIMEOUT });
    await range.filter({ hasText: /\bof 3\s*$/ }).waitFor();
    // In its place by hostname, as the API would list it.
    expect(
      await page
        .locator('tr[data-host]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-host'))),
    ).toEqual(['e2e-live', 'e2e-peer', 'e2e-sim']);
    // A host the filter excludes does not appear.
    const outside = await t
      .api()
      .post('/api/hosts')
      .send({ hostname: 'e2e-elsewhere', port: 1, tags: ['web'], is_active: false })
      .expect(201);

    // Changed elsewhere: the row follows a rename, and a host that gains the tag joins.
    await t
      .api()
      .patch(`/api/hosts/${created.body.id}`)
      .send({ hostname: 'e2e-live-2' })
      .expect(200);
    await page.locator('tr[data-host="e2e-live-2"]').waitFor({ timeout: LIVE_TIMEOUT });
    await row.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'e2e-live-2', exact: true }).waitFor();
    await t
      .api()
      .patch(`/api/hosts/${outside.body.id}`)
      .send({ tags: ['web', 'e2e'] })
      .expect(200);
    await page.locator('tr[data-host="e2e-elsewhere"]').waitFor({ timeout: LIVE_TIMEOUT });
    await range.filter({ hasText: /\bof 4\s*$/ }).waitFor();

    // Deleted elsewhere: the rows go and the total drops.
    await t.api().delete(`/api/hosts/${created.body.id}`).expect(204);
    await t.api().delete(`/api/hosts/${outside.body.id}`).expect(204);
    await page
      .locator('tr[data-host="e2e-live-2"]')
      .waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    await page
      .locator('tr[data-host="e2e-elsewhere"]')
      .waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    await range.filter({ hasText: /\bof 2\s*$/ }).waitFor();
    expect(await pageMark()).toBe('same page');
  });

  it('deletes a host only after confirming', async () => {
    await page.goto(`${base}/hosts`);
    await page.locator('tr[data-host="e2e-other"]').waitFor();
    await page.getByRole('button', { name: 'Delete e2e-other' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('cannot be undone').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('tr[data-host="e2e-other"]').count()).toBe(1);

    await page.getByRole('button', { name: 'Delete e2e-other' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.locator('tr[data-host="e2e-other"]').waitFor({ state: 'detached' });
    const left = await t.api().get('/api/hosts?q=e2e-other').expect(200);
    expect(left.body.total).toBe(0);
  });

  it('can be driven from the keyboard: skip link, navigation, sortable headers', async () => {
    await page.goto(`${base}/dashboard`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(
      await skip.evaluate(
        (el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement,
      ),
    ).toBe(true);
    await markPage();
    await page.keyboard.press('Enter');
    expect(
      await page
        .locator('main')
        .evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true);
    expect(page.url()).toBe(`${base}/dashboard`);
    expect(await pageMark()).toBe('same page');

    // Tab to "Hosts" in the navigation and open it with Enter.
    const hostsLink = page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Hosts' });
    await hostsLink.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/hosts$/);
    await page.getByRole('heading', { name: 'Hosts', exact: true }).waitFor();
    // Sorting by name from the keyboard puts it in the URL (server-side sort; the list opens
    // sorted by state, worst first).
    await page.getByRole('button', { name: 'Hostname' }).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=hostname/);
  });

  it('has a login page', async () => {
    await page.goto(`${base}/login`);
    await page.getByRole('heading', { name: 'Sign in to hostwatch' }).waitFor();
    expect(await page.getByText('does not require signing in yet').count()).toBe(0);
    await screenshot(page, '08-login');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('signs in for real: a wrong password is refused, requests carry the bearer token, a reload signs in again through the refresh token, and a viewer sees no controls', async () => {
    const viewer = await t.userWithRole('viewer');
    // The same browser profile as the admin's page: sign the admin out here first.
    const authPage = await context.newPage();
    authPage.on('pageerror', (error) => pageErrors.push(error.message));
    const bearers: string[] = [];
    authPage.on('request', (req) => {
      if (req.url().includes('/api/hosts?')) bearers.push(req.headers()['authorization'] ?? '');
    });
    try {
      await authPage.goto(`${base}/hosts`);
      await authPage.locator('tr[data-host="e2e-sim"]').waitFor();
      await authPage.getByText(`${TEST_ADMIN.username} (admin)`).waitFor();
      expect(bearers.length).toBeGreaterThan(0);
      expect(bearers.every((b) => /^Bearer \S+$/.test(b))).toBe(true);

      await authPage.getByRole('button', { name: 'Sign out' }).click();
      await authPage.waitForURL(/\/login/);
      expect(
        await authPage.evaluate(() =>
          (
            globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
          ).localStorage.getItem('hostwatch.refresh_token'),
        ),
      ).toBeNull();

      await authPage.goto(`${base}/hosts`);
      await authPage.waitForURL(/\/login\?next=%2Fhosts/);
      await authPage.getByLabel('Username').fill(viewer.username);
      await authPage.getByLabel('Password').fill('not-the-password');
      await authPage.getByRole('button', { name: 'Sign in' }).click();
      await authPage.getByText('Wrong username or password.').waitFor();

      // A viewer sees the fleet but no control that changes it; settings are out of reach.
      await authPage.getByLabel('Password').fill(viewer.password);
      await authPage.getByRole('button', { name: 'Sign in' }).click();
      await authPage.waitForURL(/\/hosts$/);
      await authPage.getByText(`${viewer.username} (viewer)`).waitFor();
      // A reload loses the access token (memory only); the refresh token signs in again silently.
      await authPage.goto(`${base}/hosts`);
      await authPage.locator('tr[data-host="e2e-sim"]').waitFor();
      expect(authPage.url()).toBe(`${base}/hosts`);
      for (const control of [
        authPage.getByTestId('add-host'),
        authPage.getByTestId('bulk-check'),
        authPage.getByRole('button', { name: 'Edit e2e-sim' }),
        authPage.getByRole('button', { name: 'Delete e2e-sim' }),
        authPage.getByRole('checkbox', { name: 'Select e2e-sim' }),
        authPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }),
      ]) {
        expect(await control.count()).toBe(0);
      }
      await authPage.getByRole('link', { name: 'e2e-sim' }).click();
      await authPage.getByRole('heading', { name: 'e2e-sim' }).waitFor();
      expect(await authPage.getByTestId('ready-for-scan').count()).toBe(0);
      await authPage
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Dashboard' })
        .click();
      await authPage.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await screenshot(authPage, '09-viewer-dashboard');

      // Back to the admin, for the specs that follow.
      await authPage.getByRole('button', { name: 'Sign out' }).click();
      await authPage.waitForURL(/\/login/);
      await signIn(authPage, TEST_ADMIN.username, TEST_ADMIN.password);
    } finally {
      await authPage.close();
    }
  });

  it('works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/hosts`);
    // On a phone, hosts are cards.
    await page.getByTestId('host-cards').locator('[data-host="e2e-sim"]').waitFor();
    await screenshot(page, '07-hosts-phone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
