/**
 * Parents, jump hosts and flapping in a real browser against the real app: an operator picks a
 * parent in the host form by typing part of its name, sees a loop refused on the field, and the
 * host list and host page show "unreachable" and "flapping" beside the state. Screenshots and
 * an axe-core check on each page.
 */
import type { Page } from 'playwright-core';
import { freePort } from '../../backend/test/support/ports';
import { updateHost } from '../../backend/test/support/host-rows';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase } from '../../backend/test/support/test-env';
import { CONSOLE_DIR, consoleSession, screenshot, seriousA11yViolations } from './support/browser';

describe('parents, jump hosts and flapping in Chromium', () => {
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
  const addHost = async (hostname: string): Promise<string> =>
    (
      await t
        .api()
        .post('/api/hosts')
        .send({ hostname, ip_address: '127.0.0.1', port: closedPort })
        .expect(201)
    ).body.id;
  const check = async (id: string) =>
    (
      await t
        .api()
        .post(`/api/monitoring/hosts/${id}/check-connectivity?wait=true&timeout_ms=20000`)
        .expect(200)
    ).body;

  /** Opens the host's edit dialog from its page. */
  async function editHost(id: string) {
    await page.goto(`${base}/hosts/${id}`);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('f-hostname').waitFor();
    return dialog;
  }
  /** Types into a host picker and picks the suggestion with that host name. */
  async function pick(dialog: ReturnType<Page['getByRole']>, testId: string, hostname: string) {
    await dialog.getByTestId(testId).fill(hostname.slice(0, -1));
    await page.getByTestId(`${testId}-option`).filter({ hasText: hostname }).first().click();
  }

  it('an operator picks a parent by name; a loop is refused on its field', async () => {
    const router = await addHost('core-router');
    const leaf = await addHost('leaf-web');

    let dialog = await editHost(leaf);
    await pick(dialog, 'f-parent', 'core-router');
    await checkPage('parents-01-picker');
    await dialog.getByTestId('save-host').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await t.api().get(`/api/hosts/${leaf}`).expect(200)).body.parent_host_id).toBe(router);
    await page.getByTestId('parent').getByRole('link', { name: 'core-router' }).waitFor();

    dialog = await editHost(router);
    await pick(dialog, 'f-parent', 'leaf-web');
    await dialog.getByTestId('save-host').click();
    await dialog.getByTestId('err-f-parent').filter({ hasText: 'loop' }).waitFor();
    await checkPage('parents-02-loop-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await t.api().get(`/api/hosts/${router}`).expect(200)).body.parent_host_id).toBeNull();

    // Clearing the parent saves null.
    dialog = await editHost(leaf);
    expect(await dialog.getByTestId('f-parent').inputValue()).toBe('core-router');
    await dialog.getByTestId('f-parent-clear').click();
    await dialog.getByTestId('save-host').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await t.api().get(`/api/hosts/${leaf}`).expect(200)).body.parent_host_id).toBeNull();
  });

  it('shows "unreachable" behind a down parent and "flapping" beside the state', async () => {
    const gateway = await addHost('gw-1');
    const behind = await addHost('app-behind-gw');
    await t.api().patch(`/api/hosts/${behind}`).send({ parent_host_id: gateway }).expect(200);
    for (let i = 0; i < 3; i++) await check(gateway); // DOWN
    expect((await check(behind)).unreachable).toBe(true);
    const flappy = await addHost('flappy-link');
    await updateHost(t.dataSource, flappy, { flapping: true, flap_percent: 42.5 });

    await page.goto(`${base}/hosts`);
    const state = (hostname: string) => page.getByTestId(`state-${hostname}`);
    await state('app-behind-gw').getByTestId('badge-unreachable').waitFor();
    await state('flappy-link').getByTestId('badge-flapping').filter({ hasText: '42.5%' }).waitFor();
    expect(await state('gw-1').getByTestId('badge-unreachable').count()).toBe(0);
    await checkPage('parents-03-badges-in-list');

    await page.goto(`${base}/hosts/${behind}`);
    await page.getByTestId('history').getByTestId('badge-unreachable').first().waitFor();
    await page.getByTestId('parent').getByRole('link', { name: 'gw-1' }).waitFor();
    await checkPage('parents-04-host-unreachable');
  });
});
