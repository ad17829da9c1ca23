/**
 * The admin-only settings pages in a real browser against the real app (Postgres, Redis):
 * users and roles, API tokens shown once, and the audit log. Every page gets a screenshot and
 * an axe-core check, and any Content-Security-Policy violation fails the spec.
 */
import type { Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase, TEST_ADMIN } from '../../backend/test/support/test-env';
import {
  CONSOLE_DIR,
  collectPageErrors,
  consoleSession,
  launchChromium,
  screenshot,
  seriousA11yViolations,
  signIn as signInAt,
} from './support/browser';

const VIEWER = { username: 'e2e-viewer', password: 'viewer-password-e2e-4Tq' };
const TOKEN_NAME = 'e2e-script';

describe('admin settings in Chromium: users, API tokens, audit log', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  /** The token the admin creates; the browser must not keep it once its dialog is closed. */
  let secret = '';

  const signIn = (target: Page, username: string, password: string) =>
    signInAt(target, base, username, password);

  async function checkPage(target: Page, name: string): Promise<void> {
    await screenshot(target, name);
    expect(await seriousA11yViolations(target)).toEqual([]);
  }

  const settingsTab = (name: string) => page.getByRole('tab', { name, exact: true });

  const session = consoleSession(async () => {
    await cleanDatabase();
    return createTestApp({ roles: 'api', env: { CONSOLE_DIR, LOG_LEVEL: 'error' } });
  });
  const watch = (target: Page) => collectPageErrors(target, session.pageErrors);
  beforeAll(async () => {
    ({ t, page } = session);
    base = t.url!;
    await session.chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: base,
    });
  });

  it('the dashboard says when no process runs checks (this app runs the api role only)', async () => {
    await page.goto(`${base}/dashboard`);
    await page.getByTestId('no-scheduled-workers').waitFor();
    expect(await page.getByTestId('no-jit-workers').textContent()).toContain(
      'No process runs JIT checks',
    );
    await checkPage(page, '20-dashboard-no-workers');
  });

  it("adds a viewer (the API's 400 on its field), shows the API's refusal to lock the last admin out, and the viewer sees no settings", async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await settingsTab('Users and roles').click();
    await page.waitForURL(/\/settings\/users$/);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await page.locator(`tr[data-user="${TEST_ADMIN.username}"]`).getByText('you').waitFor();

    const form = page.getByTestId('user-form');
    await form.getByTestId('new-username').fill(VIEWER.username);
    await form.getByTestId('new-password').fill('too-short');
    await form.getByTestId('create-user').click();
    await form
      .getByTestId('err-password')
      .filter({ hasText: 'password must be 12-256 characters' })
      .waitFor();
    expect(await form.getByTestId('err-username').count()).toBe(0);
    await checkPage(page, 'settings-01-user-form-error');

    await form.getByTestId('new-password').fill(VIEWER.password);
    await form.getByTestId('create-user').click();
    const row = page.locator(`tr[data-user="${VIEWER.username}"]`);
    await row.waitFor();
    expect(
      await row.getByRole('combobox', { name: `Role of ${VIEWER.username}` }).textContent(),
    ).toContain('viewer');
    // The initial password leaves the page once the account exists.
    expect(await form.getByTestId('new-password').inputValue()).toBe('');
    const users = await t.api().get('/api/users').expect(200);
    expect(
      users.body.find((u: { username: string }) => u.username === VIEWER.username),
    ).toMatchObject({ role: 'viewer', is_active: true });

    // The only admin disabling themself: warned first, then the API's refusal is shown.
    await page.getByRole('button', { name: `Disable ${TEST_ADMIN.username}` }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText('This is your own account').waitFor();
    await confirm.getByRole('button', { name: 'Disable' }).click();
    await page
      .getByTestId('users-refusal')
      .filter({ hasText: 'is the last active admin; make another admin first' })
      .waitFor();
    await page
      .locator(`tr[data-user="${TEST_ADMIN.username}"]`)
      .getByText('Active', { exact: true })
      .waitFor();
    await checkPage(page, 'settings-02-users');

    // The viewer signs in (a browser of their own) and finds no settings or edit controls.
    const viewerBrowser = await launchChromium();
    try {
      const viewerPage =
        viewerBrowser.context.pages()[0] ?? (await viewerBrowser.context.newPage());
      watch(viewerPage);
      await signIn(viewerPage, VIEWER.username, VIEWER.password);
      await viewerPage.getByText(`${VIEWER.username} (viewer)`).waitFor();
      const mainNav = viewerPage.getByRole('navigation', { name: 'Main' });
      await mainNav.getByRole('link', { name: 'Hosts' }).waitFor();
      expect(await mainNav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      await mainNav.getByRole('link', { name: 'Hosts' }).click();
      await viewerPage.getByRole('heading', { name: 'Hosts', exact: true }).waitFor();
      expect(await viewerPage.getByTestId('add-host').count()).toBe(0);
      // A deep link to an admin page leads back to the dashboard.
      for (const path of ['/settings/users', '/settings/tokens', '/settings/audit']) {
        await viewerPage.goto(`${base}${path}`);
        await viewerPage.waitForURL(/\/dashboard$/);
        expect(await viewerPage.getByRole('heading', { name: 'Users and roles' }).count()).toBe(0);
      }
    } finally {
      await viewerBrowser.close();
    }
    // And the API refuses the viewer anyway.
    const login = await t
      .api(null)
      .post('/api/auth/login')
      .send({ username: VIEWER.username, password: VIEWER.password })
      .expect(200);
    await t.api(login.body.access_token).get('/api/users').expect(403);
    await t.api(login.body.access_token).get('/api/audit').expect(403);
    await t.api(login.body.access_token).get('/api/tokens?all=true').expect(403);
  });

  it('creates an API token shown once, which works until it is revoked', async () => {
    await settingsTab('API tokens').click();
    await page.waitForURL(/\/settings\/tokens$/);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByText('No API tokens yet').waitFor();

    const form = page.getByTestId('token-form');
    await form.getByTestId('token-name').fill(TOKEN_NAME);
    await form.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'operator' }).click();
    await form.getByTestId('create-token').click();

    const dialog = page.getByRole('dialog');
    await dialog
      .getByTestId('token-once')
      .filter({ hasText: "you won't see this token again" })
      .waitFor();
    secret = ((await dialog.getByTestId('token-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^hwt_[\w-]{43}$/);
    await dialog.getByTestId('copy-token').click();
    await dialog
      .getByTestId('copy-status')
      .filter({ hasText: 'Copied to the clipboard.' })
      .waitFor();
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).toBe(secret);
    await checkPage(page, 'settings-03-token-shown-once');

    // Clicking outside does not close it by accident; "Done" does, and the secret is gone.
    await page.mouse.click(5, 5);
    await dialog.getByTestId('token-secret').waitFor();
    await dialog.getByTestId('token-done').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    const stored = await page.evaluate(() => {
      const g = globalThis as unknown as {
        localStorage: {
          length: number;
          key(i: number): string | null;
          getItem(k: string): string | null;
        };
        sessionStorage: {
          length: number;
          key(i: number): string | null;
          getItem(k: string): string | null;
        };
      };
      const all: string[] = [];
      for (const s of [g.localStorage, g.sessionStorage]) {
        for (let i = 0; i < s.length; i++) all.push(s.getItem(s.key(i) ?? '') ?? '');
      }
      return all.join('\n');
    });
    expect(stored).not.toContain(secret);

    const row = page.locator(`tr[data-token="${TOKEN_NAME}"]`);
    await row.getByText(secret.slice(0, 8)).waitFor();
    expect(await row.locator('td[data-label="Owner"]').textContent()).toContain(
      TEST_ADMIN.username,
    );
    expect(await row.locator('td[data-label="Role"]').textContent()).toContain('operator');
    await page.getByTestId(`status-${TOKEN_NAME}`).filter({ hasText: 'active' }).waitFor();

    // The token works against the API, as the admin with the operator role.
    const me = await fetch(`${base}/api/auth/me`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      kind: 'api_token',
      username: TEST_ADMIN.username,
      role: 'operator',
    });
    const hosts = await fetch(`${base}/api/hosts`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(hosts.status).toBe(200);

    // Revoking asks first; cancelling keeps it working.
    await page.getByRole('button', { name: `Revoke token ${TOKEN_NAME}` }).click();
    await page.getByRole('dialog').getByText('This cannot be undone').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(
      (await fetch(`${base}/api/auth/me`, { headers: { Authorization: `Bearer ${secret}` } }))
        .status,
    ).toBe(200);

    await page.getByRole('button', { name: `Revoke token ${TOKEN_NAME}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId(`status-${TOKEN_NAME}`).filter({ hasText: 'revoked' }).waitFor();
    expect(await page.getByRole('button', { name: `Revoke token ${TOKEN_NAME}` }).count()).toBe(0);
    const refused = await fetch(`${base}/api/hosts`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(refused.status).toBe(401);
    await checkPage(page, 'settings-04-tokens');
  });

  it('the audit log shows those actions, newest first, filters them, and never a secret', async () => {
    await settingsTab('Audit log').click();
    await page.waitForURL(/\/settings\/audit$/);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const table = page.getByTestId('audit-table');
    await table.locator('tr[data-action="token.revoke"]').waitFor();
    const actions = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => (r as unknown as { dataset: { action?: string } }).dataset.action ?? ''),
      );
    // Newest first: the revoke, then the token's creation, then the viewer's creation.
    const order = ['token.revoke', 'token.create', 'user.create'].map((a) => actions.indexOf(a));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(actions).toContain('auth.login');
    expect(await page.content()).not.toContain(secret);
    await checkPage(page, 'settings-05-audit');

    // Filter by action: kept in the URL, asked of the server.
    const filters = page.getByTestId('audit-filters');
    await filters.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'token.create' }).click();
    await filters.getByTestId('audit-apply').click();
    await page.waitForURL(/action=token\.create/);
    await table.locator('tbody tr').first().waitFor();
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
        ).document.querySelectorAll(
          '[data-testid="audit-table"] tbody tr:not([data-action="token.create"])',
        ).length === 0,
    );
    expect(await table.locator('tbody tr').count()).toBe(1);
    // Its details are readable, without the secret.
    await table.getByRole('button', { name: /^Show details of token\.create/ }).click();
    const details = table.getByTestId('audit-details');
    await details.getByText(TEST_ADMIN.username, { exact: true }).waitFor();
    expect(await details.textContent()).toContain(TOKEN_NAME);
    expect(await details.textContent()).toContain('operator');
    expect(await details.textContent()).not.toContain(secret);

    // Filter by actor: the viewer's own sign-in only.
    await page.goto(`${base}/settings/audit`);
    await filters.getByTestId('audit-actor').fill(VIEWER.username);
    await filters.getByTestId('audit-apply').click();
    await page.waitForURL(new RegExp(`actor=${VIEWER.username}`));
    await table.locator('tr[data-action="auth.login"]').first().waitFor();
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
        ).document.querySelectorAll(
          '[data-testid="audit-table"] tbody tr:not([data-action="auth.login"])',
        ).length === 0,
    );
    for (const cell of await table.locator('td[data-label="Actor"]').allTextContents()) {
      expect(cell).toContain(VIEWER.username);
    }

    // A time range that holds nothing says so, and what to do.
    const future = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
    await filters.getByTestId('audit-since').fill(future);
    await filters.getByTestId('audit-apply').click();
    await page.waitForURL(/since=/);
    await page
      .getByTestId('audit-empty')
      .filter({ hasText: 'No entries match these filters' })
      .waitFor();
    await checkPage(page, 'settings-06-audit-empty');
  });

  it('works at phone width and from the keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [path, heading, name] of [
        ['/settings/users', 'Users and roles', 'settings-07-users-phone'],
        ['/settings/tokens', 'API tokens', 'settings-08-tokens-phone'],
        ['/settings/audit', 'Audit log', 'settings-09-audit-phone'],
      ] as const) {
        await page.goto(`${base}${path}`);
        await page.getByRole('heading', { name: heading }).waitFor();
        await page
          .locator('table.list tbody tr')
          .first()
          .waitFor()
          .catch(async (error: unknown) => {
            await screenshot(page, `failed-${name}`);
            throw error;
          });
        await checkPage(page, name);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }

    // The settings tabs are reachable and switch with the keyboard.
    await page.goto(`${base}/settings/users`);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await settingsTab('Users and roles').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/settings\/tokens$/);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  });
});
