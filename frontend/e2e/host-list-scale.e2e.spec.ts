/**
 * The host list over 100,000 hosts in a real browser against the real app and Postgres: the
 * hosts are generated inside Postgres (the bench's generator), then the console pages, sorts,
 * searches and filters them. Functional only: how fast these queries are is the bench's
 * `--host-list` figure, not a test's.
 */
import type { Page } from 'playwright-core';
import { GENERATE_HOSTS_SQL } from '../../bench/lib/host-list';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase } from '../../backend/test/support/test-env';
import { CONSOLE_DIR, consoleSession, screenshot, seriousA11yViolations } from './support/browser';

const HOSTS = 100_000;

describe('host list over 100,000 hosts in Chromium', () => {
  let t: TestApp;
  let page: Page;

  const hostnames = () =>
    page
      .locator('tr[data-host]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-host')));

  /** Waits until the rows shown satisfy `ok` (the page's data has landed), and returns them. */
  async function rowsWhen(ok: (names: (string | null)[]) => boolean): Promise<(string | null)[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const names = await hostnames();
      if (ok(names)) return names;
      if (Date.now() > deadline)
        throw new Error(`rows never matched; last seen: ${names.join(', ')}`);
      await page.waitForTimeout(100);
    }
  }

  /** Waits until the paginator says `text` (the list has been read again). */
  async function expectRange(text: RegExp): Promise<void> {
    await page.waitForFunction(
      ([source, flags]) =>
        new RegExp(source, flags).test(
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { textContent: string | null } | null };
            }
          ).document.querySelector('.mat-mdc-paginator-range-label')?.textContent ?? '',
        ),
      [text.source, text.flags] as const,
    );
  }

  const session = consoleSession(async () => {
    await cleanDatabase();
    // No scheduler, no worker: the generated hosts stay as generated.
    const app = await createTestApp({ roles: 'api', env: { CONSOLE_DIR, LOG_LEVEL: 'error' } });
    await app.dataSource.query(GENERATE_HOSTS_SQL, [HOSTS]);
    await app.dataSource.query('ANALYZE hosts');
    return app;
  });
  beforeAll(() => {
    ({ t, page } = session);
  });

  it('pages and sorts 100,000 hosts server-side', async () => {
    // The list opens worst first (states by severity, served without an index)...
    await page.goto(`${t.url}/hosts`);
    await expectRange(/^\s*1 – 25 of 100000\s*$/);
    // ...and by name is one click, or a link.
    await page.goto(`${t.url}/hosts?sort=hostname`);
    await expectRange(/^\s*1 – 25 of 100000\s*$/);
    // By hostname, ascending: the db- hosts (every 100th) come first.
    expect((await hostnames())[0]).toBe('db-000100');
    expect(await page.locator('tr[data-host]').count()).toBe(25);

    await page.getByRole('button', { name: 'Next page' }).click();
    await expectRange(/^\s*26 – 50 of 100000\s*$/);
    expect((await rowsWhen((names) => names[0] !== 'db-000100'))[0]).toBe('db-002600');
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');

    await page.getByRole('button', { name: 'Hostname' }).first().click();
    await page.waitForFunction(() =>
      /order=desc/.test(
        (globalThis as unknown as { location: { search: string } }).location.search,
      ),
    );
    await page.locator('tr[data-host="web-099999"]').waitFor();
    expect((await hostnames())[0]).toBe('web-099999');
    await expectRange(/^\s*1 – 25 of 100000\s*$/);
    await screenshot(page, 'hosts-100k');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('searches, filters by state and by tag over 100,000 hosts', async () => {
    await page.goto(`${t.url}/hosts?sort=hostname`);
    await expectRange(/of 100000/);

    await page.getByTestId('filter-q').fill('web-04242');
    await expectRange(/^\s*1 – 10 of 10\s*$/);
    const found = await rowsWhen((names) => names.length === 10);
    expect([...found].sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `web-${String(42420 + i).padStart(6, '0')}`),
    );

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expectRange(/of 100000/);

    await page.getByTestId('filter-state').click();
    await page.getByRole('option', { name: 'Degraded' }).click();
    await page.keyboard.press('Escape');
    // Every 20th host is DEGRADED.
    await expectRange(/^\s*1 – 25 of 5000\s*$/);
    // Every 20th host (db-000100 among them) is DEGRADED; the rows follow the filter.
    const badges = () =>
      page
        .locator('tr[data-host] hw-state-badge')
        .evaluateAll((all) => all.map((b) => b.textContent?.trim() ?? ''));
    const deadline = Date.now() + 30_000;
    let states = await badges();
    while (!(states.length === 25 && states.every((label) => /\bDegraded$/.test(label)))) {
      if (Date.now() > deadline) throw new Error(`states never all Degraded: ${states.join(', ')}`);
      await page.waitForTimeout(100);
      states = await badges();
    }
    // The badge shows a symbol and the state's name (never colour alone).
    expect(states[0]).toMatch(/\S+ Degraded$/);
    expect((await hostnames()).slice(0, 2)).toEqual(['db-000100', 'db-000200']);

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expectRange(/of 100000/);
    await page.getByTestId('filter-tag').fill('db');
    await page.getByTestId('filter-tag').press('Enter');
    // Every 100th host is tagged db.
    await expectRange(/^\s*1 – 25 of 1000\s*$/);
    const tagged = await rowsWhen(
      (names) => names.length === 25 && names.every((name) => name?.startsWith('db-')),
    );
    expect(tagged[0]).toBe('db-000100');
    await screenshot(page, 'hosts-100k-filtered');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
