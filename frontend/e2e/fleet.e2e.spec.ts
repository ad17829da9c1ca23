/**
 * Fleet operations in a real browser against the real app: an admin imports hosts from a CSV
 * file (the dry run's table, a refused line, then Apply), selects every host a filter matches
 * across pages with "select all N matching", and puts them all in maintenance in one action.
 * Screenshots and an axe-core check on each step.
 */
import type { Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase } from '../../backend/test/support/test-env';
import { CONSOLE_DIR, consoleSession, screenshot, seriousA11yViolations } from './support/browser';

describe('fleet operations in Chromium', () => {
  let t: TestApp;
  let page: Page;
  let base: string;

  const session = consoleSession(async () => {
    await cleanDatabase();
    return createTestApp({ env: { CONSOLE_DIR, LOG_LEVEL: 'error' } });
  });
  beforeAll(async () => {
    ({ t, page } = session);
    base = t.url!;
  });

  async function checkPage(name: string): Promise<void> {
    await screenshot(page, name);
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  it('imports a CSV file after its dry run, then acts on every matching host at once', async () => {
    const rows = ['hostname,ip_address,tags'];
    for (let i = 1; i <= 30; i++) rows.push(`rack-${String(i).padStart(2, '0')},10.2.0.${i},rack9`);
    rows.push('bad host,10.2.0.99,rack9');
    await page.goto(`${base}/hosts`);
    await page.getByTestId('import-hosts').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('import-file').setInputFiles({
      name: 'rack9.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n') + '\n'),
    });
    await dialog
      .getByTestId('import-summary')
      .filter({ hasText: 'Would create 30, update 0, refused 1.' })
      .waitFor();
    // The refused line comes first, with its line number and why.
    const refused = dialog.locator('tr[data-line="32"]');
    await refused.filter({ hasText: 'hostname' }).waitFor();
    await checkPage('fleet-01-import-dry-run');
    expect((await t.api().get('/api/hosts').expect(200)).body.total).toBe(0);
    await dialog.getByTestId('import-apply').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await t.api().get('/api/hosts?tag=rack9').expect(200)).body.total).toBe(30);

    // Ten to a page: select the page, then every one of the 30 the filter matches.
    await page.goto(`${base}/hosts?tag=rack9&page_size=10&sort=hostname`);
    await page.locator('tr[data-host="rack-01"]').waitFor();
    await page.getByRole('checkbox', { name: 'Select all hosts on this page' }).check();
    await page.getByTestId('select-all-matching').click();
    await page.getByTestId('all-matching').filter({ hasText: 'All 30 matching' }).waitFor();
    await page.getByTestId('bulk-maintenance-on').filter({ hasText: 'Maintenance' }).click();
    await page.getByText('30 host(s) in maintenance.').waitFor();
    await page
      .getByTestId('state-rack-01')
      .filter({ hasText: /maintenance/i })
      .waitFor();
    await checkPage('fleet-02-bulk-maintenance');
    const states = await t.dataSource.query(
      `SELECT monitoring_state AS state, count(*)::int AS n FROM host_status GROUP BY 1`,
    );
    expect(states).toEqual([{ state: 'MAINTENANCE', n: 30 }]);
    const audit = (await t.api().get('/api/audit?action=host.bulk').expect(200)).body;
    expect(audit.items[0].details).toMatchObject({ filter: { tag: 'rack9' }, changed: 30 });

    // Back from maintenance and healthy (as a result would leave it): the host's page gives
    // its availability, with the maintenance left out.
    const [{ id }] = await t.dataSource.query(`SELECT id FROM hosts WHERE hostname = 'rack-01'`);
    await t.dataSource.query(
      `UPDATE host_status SET monitoring_state = 'HEALTHY', last_state_change_at = now()
        WHERE host_id = $1`,
      [id],
    );
    await page.goto(`${base}/hosts?tag=rack9&page_size=10&sort=hostname`);
    await page
      .getByTestId('availability-rack-01')
      .filter({ hasText: '100.0 · 100.0 · 100.0' })
      .waitFor();
    await page.getByTestId('availability-rack-02').filter({ hasText: '— · — · —' }).waitFor();
    await page.goto(`${base}/hosts/${id}`);
    await page.getByTestId('availability-24 h').filter({ hasText: '100.00 %' }).waitFor();
    // No axe run here: the page's own JIT check never lands (no worker runs), and axe waits for
    // every animation, its progress bar's included, to finish.
    await screenshot(page, 'fleet-03-availability');
  });
});
