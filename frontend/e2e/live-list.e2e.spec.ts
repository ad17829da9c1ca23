/**
 * The host list's live updates at the edges of a page, in a real browser against the real
 * app: 30 hosts, ten to a page, changed through the API (as a script or another tab would)
 * while page 1 or 2 is open. The page on show must end up as the API would list it, with the
 * exact total, without a reload, a spinner or a lost selection.
 */
import type { Page, Route } from 'playwright-core';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase } from '../../backend/test/support/test-env';
import { CONSOLE_DIR, consoleSession, screenshot, seriousA11yViolations } from './support/browser';

const LIVE_TIMEOUT = 30_000;
const name = (i: number) => `live-${String(i).padStart(2, '0')}`;

describe('host list live updates at the edges of a page, in Chromium', () => {
  let t: TestApp;
  let page: Page;
  /** Host ids by hostname, as created. */
  const ids = new Map<string, string>();

  const hostnames = () =>
    page
      .locator('tr[data-host]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-host')));

  /** Waits until the rows shown are `expected`, and says what was shown if they never are. */
  async function expectRows(expected: string[]): Promise<void> {
    const deadline = Date.now() + LIVE_TIMEOUT;
    for (;;) {
      const names = await hostnames();
      if (JSON.stringify(names) === JSON.stringify(expected)) return;
      if (Date.now() > deadline) expect(names).toEqual(expected);
      await page.waitForTimeout(50);
    }
  }

  const rangeLabel = () => page.locator('.mat-mdc-paginator-range-label').innerText();

  /** Waits until the paginator says `text`, and says what it said if it never does. */
  async function expectRange(text: string): Promise<void> {
    const deadline = Date.now() + LIVE_TIMEOUT;
    for (;;) {
      const label = (await rangeLabel()).trim();
      if (label === text) return;
      if (Date.now() > deadline) expect(label).toBe(text);
      await page.waitForTimeout(50);
    }
  }

  /** What the API lists on a page of ten, by hostname. */
  async function serverPage(n: number): Promise<{ names: string[]; total: number }> {
    const res = await t.api().get(`/api/hosts?page=${n}&page_size=10`).expect(200);
    return {
      names: (res.body.items as { hostname: string }[]).map((h) => h.hostname),
      total: res.body.total,
    };
  }

  const createHost = async (hostname: string) => {
    const res = await t
      .api()
      .post('/api/hosts')
      .send({ hostname, port: 1, is_active: false })
      .expect(201);
    ids.set(hostname, res.body.id);
  };
  const rename = (from: string, to: string) =>
    t
      .api()
      .patch(`/api/hosts/${ids.get(from)}`)
      .send({ hostname: to })
      .expect(200);

  /**
   * Counts the moments the list showed its progress bar, and marks the document: a quiet read
   * shows none, and a mark still there later means the page was never reloaded.
   */
  const watchPage = () =>
    page.evaluate(() => {
      const w = globalThis as unknown as {
        hwMark: string;
        hwSpinner: number;
        document: { body: unknown; querySelector(s: string): unknown };
        MutationObserver: new (fn: () => void) => { observe(n: unknown, o: unknown): void };
      };
      w.hwMark = 'same page';
      w.hwSpinner = 0;
      new w.MutationObserver(() => {
        if (w.document.querySelector('mat-progress-bar')) w.hwSpinner += 1;
      }).observe(w.document.body, { childList: true, subtree: true });
    });
  const watched = () =>
    page.evaluate(() => {
      const w = globalThis as unknown as { hwMark?: string; hwSpinner?: number };
      return { mark: w.hwMark ?? null, spinner: w.hwSpinner ?? null };
    });

  const session = consoleSession(async () => {
    await cleanDatabase();
    // No scheduler, no worker: the hosts change only through the API.
    return createTestApp({ roles: 'api', env: { CONSOLE_DIR, LOG_LEVEL: 'error' } });
  });
  beforeAll(async () => {
    ({ t, page } = session);
    for (let i = 0; i < 30; i++) await createHost(name(i));
  });

  it('slides the next host up when one on the page is deleted, quietly, keeping the selection', async () => {
    await page.goto(`${t.url}/hosts?page_size=10&sort=hostname`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await expectRows(Array.from({ length: 10 }, (_, i) => name(i)));
    await expectRange('1 – 10 of 30');
    const selected = page.getByRole('checkbox', { name: `Select ${name(5)}` });
    await selected.check();
    await watchPage();
    const url = page.url();

    await t
      .api()
      .delete(`/api/hosts/${ids.get(name(3))}`)
      .expect(204);
    await expectRows([0, 1, 2, 4, 5, 6, 7, 8, 9, 10].map(name));
    await expectRange('1 – 10 of 29');
    expect((await serverPage(1)).names).toEqual(await hostnames());

    expect(await selected.isChecked()).toBe(true);
    expect(await watched()).toEqual({ mark: 'same page', spinner: 0 });
    expect(page.url()).toBe(url);
    await screenshot(page, 'hosts-live-slide-up');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('brings in a host renamed on page 2 so that it sorts onto page 1, and lets one renamed away go', async () => {
    await watchPage();
    // live-15 becomes live-015: between live-01 and live-02; live-10 goes to page 2.
    await rename(name(15), 'live-015');
    await expectRows([
      'live-00',
      'live-01',
      'live-015',
      'live-02',
      ...[4, 5, 6, 7, 8, 9].map(name),
    ]);
    await expectRange('1 – 10 of 29');

    // live-01 becomes zz-01, the list's last host: live-10 comes back up.
    ids.set('zz-01', ids.get(name(1))!);
    await rename(name(1), 'zz-01');
    await expectRows(['live-00', 'live-015', 'live-02', ...[4, 5, 6, 7, 8, 9, 10].map(name)]);
    await expectRange('1 – 10 of 29');

    const server = await serverPage(1);
    expect(server).toEqual({ names: await hostnames(), total: 29 });
    expect(await watched()).toEqual({ mark: 'same page', spinner: 0 });
  });

  it('keeps the total exact when hosts come and go on other pages, and when news crosses a read', async () => {
    await page.goto(`${t.url}/hosts?page_size=10&sort=hostname`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const before = await serverPage(1);
    await expectRows(before.names);
    const rows = await hostnames();
    await watchPage();

    // On page 3 by name: announced, the rows on show stay put, the total counts it.
    await createHost('zz-new');
    await page.getByTestId('new-elsewhere').filter({ hasText: '1 new host' }).waitFor();
    await expectRange(`1 – 10 of ${before.total + 1}`);
    // Deleted on page 3: only the total moves.
    await t
      .api()
      .delete(`/api/hosts/${ids.get(name(27))}`)
      .expect(204);
    await expectRange(`1 – 10 of ${before.total}`);
    expect(await hostnames()).toEqual(rows);

    // Page 2's read is answered by the API before a host is created, and reaches the page
    // only after the host's event has: the news must not be lost under the answer.
    let hold: ((route: Route) => Promise<void>) | null = null;
    let answered: Promise<void> = Promise.resolve();
    /** The next read of page 2 is held by `handler`, which fulfils it; `answered` follows. */
    const holdNextRead = (handler: (route: Route) => Promise<void>) => {
      let done!: () => void;
      answered = new Promise<void>((resolve) => (done = resolve));
      hold = async (route) => {
        await handler(route);
        done();
      };
    };
    await page.route(
      (url) => url.pathname === '/api/hosts' && url.searchParams.get('page') === '2',
      async (route) => {
        const handler = hold;
        hold = null;
        await (handler ? handler(route) : route.continue());
      },
    );
    const second = await serverPage(2);
    holdNextRead(async (route) => {
      const response = await route.fetch();
      await createHost('aa-first'); // sorts onto page 1
      await page.waitForTimeout(1000); // its event reaches the page meanwhile
      await route.fulfill({ response });
    });
    await page.getByRole('button', { name: 'Next page' }).click();
    await answered;
    await expectRows(second.names); // the held answer is on show
    await expectRange(`11 – 20 of ${before.total + 1}`);

    // And the other way round: the answer already counts a host whose event arrived while
    // it was on its way; it must not be counted twice.
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expectRange(`1 – 10 of ${before.total + 1}`);
    holdNextRead(async (route) => {
      await createHost('aa-second');
      await page.waitForTimeout(1000);
      await route.fulfill({ response: await route.fetch() });
    });
    await page.getByRole('button', { name: 'Next page' }).click();
    await answered;
    await expectRange(`11 – 20 of ${before.total + 2}`);
    await page.waitForTimeout(1000); // any read still to come has come
    await expectRange(`11 – 20 of ${before.total + 2}`);
    expect((await serverPage(2)).total).toBe(before.total + 2);
    expect(await watched()).toMatchObject({ mark: 'same page' });
    await page.unrouteAll();
  });
});
