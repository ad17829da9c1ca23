/**
 * "Problems first" in a real browser against the real app (Postgres, Redis, a worker that runs
 * JIT checks; no scheduler, so hosts stay in the states a test puts them in): the dashboard's
 * "Failing now" panel and transitions from history, the host list worst first with heartbeat
 * strips, failing-for and availability, host details that check on open only when it makes sense,
 * one bulk request for "Check now" and a sentence for a 429, relative times that never point
 * to the future and tick each second. Every page gets an axe-core check and screenshots at
 * 1440×900 and 390×844.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { freePort } from '../../backend/test/support/ports';
import { updateHost } from '../../backend/test/support/host-rows';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase, TEST_ADMIN } from '../../backend/test/support/test-env';
import {
  CONSOLE_DIR,
  collectPageErrors,
  consoleSession,
  launchChromium,
  screenshot,
  seriousA11yViolations,
  signIn,
} from './support/browser';

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('problems first in Chromium', () => {
  let t: TestApp;
  let page: Page;
  let base: string;
  /** A loopback port nothing listens on: checks of hosts there fail with "connection refused". */
  let closedPort: number;
  const ids: Record<string, string> = {};

  const session = consoleSession(async () => {
    await cleanDatabase();
    return createTestApp({
      roles: 'api,worker',
      env: { CONSOLE_DIR, LOG_LEVEL: 'error', JIT_RATE_LIMIT_PER_MINUTE: '6' },
    });
  });

  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  async function addHost(hostname: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t
      .api()
      .post('/api/hosts')
      .send({ hostname, ip_address: '127.0.0.1', port: closedPort, ...extra })
      .expect(201);
    ids[hostname] = res.body.id;
    return res.body.id;
  }
  /** A check as the worker records it, `minutes` ago. */
  async function record(
    id: string,
    minutes: number,
    success: boolean,
    state: string,
    previous: string,
  ): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO host_check_history
         (host_id, check_time, monitoring_state, previous_state, response_time_ms, success,
          error_message, error_type, checked_by, task_id, stage)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scheduler', $9, $10)`,
      [
        id,
        minutesAgo(minutes),
        state,
        previous,
        success ? 35 : 2,
        success,
        success ? null : 'connect ECONNREFUSED 127.0.0.1',
        success ? null : 'refused',
        `sched-${randomUUID()}`,
        success ? 'auth' : 'connect',
      ],
    );
  }
  const set = (id: string, columns: Record<string, unknown>) =>
    updateHost(t.dataSource, id, columns);

  /** axe on the page as it is, and screenshots at both widths (axe again on the phone). */
  async function checkPage(name: string, target: Page = page): Promise<void> {
    await target.setViewportSize(WIDE);
    await screenshot(target, `${name}-1440`);
    expect(await seriousA11yViolations(target)).toEqual([]);
    await target.setViewportSize(PHONE);
    await screenshot(target, `${name}-390`);
    expect(await seriousA11yViolations(target)).toEqual([]);
    await target.setViewportSize(WIDE);
  }

  const jitRequests: string[] = [];

  beforeAll(async () => {
    ({ t, page } = session);
    base = t.url!;
    closedPort = await freePort('127.0.0.1');
    page.on('request', (req) => {
      if (
        req.method() === 'POST' &&
        (req.url().includes('check-connectivity') || req.url().includes('/api/hosts/bulk'))
      ) {
        jitRequests.push(new URL(req.url()).pathname);
      }
    });
    await page.setViewportSize(WIDE);

    // A fleet in every state, named so that alphabetical order is not severity order.
    const fleet: [string, string][] = [
      ['a-healthy', 'HEALTHY'],
      ['b-maint', 'MAINTENANCE'],
      ['c-degraded', 'DEGRADED'],
      ['d-unknown', 'UNKNOWN'],
      ['e-down', 'DOWN'],
      ['f-critical', 'CRITICAL'],
      ['g-down-longer', 'DOWN'],
    ];
    for (const [name, state] of fleet) {
      const id = await addHost(name);
      await set(id, {
        monitoring_state: state,
        last_check_at: minutesAgo(3).toISOString(),
        last_state_change_at: minutesAgo(30).toISOString(),
        next_check_at: minutesAgo(-20).toISOString(),
        ...(['DOWN', 'CRITICAL', 'DEGRADED'].includes(state)
          ? {
              last_error_type: 'refused',
              last_check_stage: 'connect',
              last_error_message: 'connect ECONNREFUSED 127.0.0.1',
            }
          : {}),
      });
    }
    // e-down: 4 good checks, then failing since 40 min ago (DOWN 20 min ago).
    for (const m of [80, 70, 60, 50]) await record(ids['e-down'], m, true, 'HEALTHY', 'HEALTHY');
    await record(ids['e-down'], 40, false, 'DEGRADED', 'HEALTHY');
    await record(ids['e-down'], 30, false, 'CRITICAL', 'DEGRADED');
    await record(ids['e-down'], 20, false, 'DOWN', 'CRITICAL');
    for (const m of [15, 10, 5, 3]) await record(ids['e-down'], m, false, 'DOWN', 'DOWN');
    // g-down-longer: failing for 3 hours.
    await record(ids['g-down-longer'], 180, false, 'DEGRADED', 'HEALTHY');
    await record(ids['g-down-longer'], 3, false, 'DOWN', 'DOWN');
    await record(ids['a-healthy'], 3, true, 'HEALTHY', 'HEALTHY');
  });

  it('the dashboard opens on what is failing, worst and longest first, with its transitions from history', async () => {
    await page.goto(`${base}/dashboard`);
    const panel = page.getByTestId('failing-now');
    await panel.locator('li[data-failing="f-critical"]').waitFor();
    expect(await panel.getByTestId('failing-count').textContent()).toContain('4');
    const order = await panel
      .locator('li[data-failing]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-failing')));
    expect(order).toEqual(['g-down-longer', 'e-down', 'f-critical', 'c-degraded']);
    const down = panel.locator('li[data-failing="e-down"]');
    expect(await down.textContent()).toMatch(/failing for\s+40 min/);
    expect(await down.textContent()).toContain('refused at connect');
    expect(await panel.locator('li[data-failing="g-down-longer"]').textContent()).toMatch(
      /failing for\s+3 h/,
    );
    await panel.getByRole('link', { name: 'e-down' }).waitFor();

    // The feed is filled from history on open, newest first.
    const feed = page.getByTestId('feed');
    await feed.getByText('e-down').first().waitFor();
    expect(await feed.locator('li').first().textContent()).toContain('e-down');
    // The chart says its counts; problems come before Healthy in tiles and legend.
    await page
      .locator('canvas[aria-label*="2 Down, 1 Critical, 1 Degraded, 1 Unknown, 1 Healthy"]')
      .waitFor();
    const tiles = await page
      .locator('a.tile[data-testid^="tile-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(tiles.slice(0, 6)).toEqual([
      'tile-DOWN',
      'tile-CRITICAL',
      'tile-DEGRADED',
      'tile-UNKNOWN',
      'tile-HEALTHY',
      'tile-MAINTENANCE',
    ]);
    await checkPage('problems-01-dashboard');
  });

  it('the host list opens worst first, with failing-for, heartbeat strips, availability and honest next checks', async () => {
    const inactive = await addHost('h-inactive', { is_active: false });
    await set(inactive, { next_check_at: minutesAgo(3).toISOString() });
    await t
      .api()
      .put('/api/monitoring/policy')
      .send({
        ...(await t.api().get('/api/monitoring/policy').expect(200)).body,
        intervals_seconds: { HEALTHY: 600, DEGRADED: 300, CRITICAL: 120, DOWN: 1800 },
      })
      .expect(200);

    await page.goto(`${base}/hosts`);
    await page.locator('tr[data-host="a-healthy"]').waitFor();
    // Worst first by default (hosts of one state in the order of their ids).
    const states = await page
      .locator('tr[data-host] td[data-testid^="state-"] hw-state-badge [data-state]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(states).toEqual([
      'DOWN',
      'DOWN',
      'CRITICAL',
      'DEGRADED',
      'UNKNOWN',
      'UNKNOWN',
      'HEALTHY',
      'MAINTENANCE',
    ]);

    // Defect 5: an inactive host is not scheduled, whatever its stale next_check_at says.
    expect((await page.getByTestId('next-check-h-inactive').textContent())?.trim()).toBe(
      'not scheduled: inactive',
    );
    // Badge tooltips follow the policy in force (HEALTHY every 10 min here).
    await page
      .locator('tr[data-host="a-healthy"] [data-state="HEALTHY"][title*="every 10 min"]')
      .waitFor();

    await page.getByTestId('failing-e-down').filter({ hasText: '40 min' }).waitFor();
    expect((await page.getByTestId('failing-a-healthy').textContent())?.trim()).toBe('—');
    const strip = page.locator('tr[data-host="e-down"]').getByTestId('heartbeat');
    expect(await strip.getAttribute('aria-label')).toBe(
      'Latest checks of e-down: 4 up, 7 down of the last 11 checks',
    );
    expect(await strip.locator('[data-kind="down"]').count()).toBe(7);
    expect(await strip.locator('[data-kind="up"]').count()).toBe(4);
    // Availability over 24 h, 7 d and 30 d comes from the uptime endpoint, which counts time in
    // each state: e-down has been DOWN since it was created a moment ago, a-healthy HEALTHY.
    await page.getByTestId('availability-e-down').filter({ hasText: '0.0 · 0.0 · 0.0' }).waitFor();
    await page
      .getByTestId('availability-a-healthy')
      .filter({ hasText: '100.0 · 100.0 · 100.0' })
      .waitFor();
    expect(await page.getByTestId('uptime-e-down').count()).toBe(0);
    await checkPage('problems-02-hosts');
  });

  it('host details show heartbeats, uptime, failing since and why the state last changed', async () => {
    // Checked a moment ago: opening the page shows that result rather than checking again.
    await set(ids['e-down'], { last_check_at: new Date().toISOString() });
    await page.goto(`${base}/hosts/${ids['e-down']}`);
    const summary = page.getByTestId('summary');
    await summary.getByTestId('down-since').waitFor();
    expect(await summary.getByTestId('down-since').textContent()).toMatch(/Failing for\s+40 min/);
    expect(await summary.getByTestId('detail-uptime').textContent()).toMatch(
      /36\.3%\s+up over the last 11 checks/,
    );
    const reason = summary.getByTestId('last-transition');
    expect(await reason.textContent()).toMatch(/Critical\s*→\s*■?\s*Down/);
    expect(await reason.textContent()).toContain('refused at connect');
    // Seven refusals in a row: the history folds them into runs, the transitions kept apart.
    const history = page.getByTestId('history');
    await history.getByTestId('run-count').first().waitFor();
    expect(await history.getByTestId('run-count').first().textContent()).toBe('×5');
    // The chart: a time range, failures as marks at their duration (said in its name).
    const chart = page.locator('canvas[aria-label^="Response time over the last 24 h"]');
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toContain(
      '4 successful checks from 35 ms to 35 ms; 7 failed checks shown as red marks',
    );
    const asked = page.waitForRequest(
      (r) => r.url().includes('/history?') && r.url().includes('since='),
    );
    await page.getByTestId('chart-ranges').getByRole('button', { name: '7 d' }).click();
    const since = new URL((await asked).url()).searchParams.get('since')!;
    expect(Date.now() - Date.parse(since)).toBeGreaterThan(6.9 * 86_400_000);
    await page.locator('canvas[aria-label^="Response time over the last 7 d"]').waitFor();
    expect(
      await page
        .getByTestId('chart-ranges')
        .getByRole('button', { name: '7 d' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    await checkPage('problems-03-host-details');
  });

  it('the wallboard shows only what is failing and the totals, large, without navigation', async () => {
    await page.goto(`${base}/dashboard`);
    await page.getByTestId('open-wall').click();
    await page.waitForURL(/\/wall$/);
    const panel = page.getByTestId('failing-now');
    await panel.locator('li[data-failing="g-down-longer"]').waitFor();
    expect(await panel.locator('li[data-failing]').count()).toBe(4);
    // Read-only: no navigation, no links, no buttons.
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.getByRole('link').count()).toBe(0);
    expect(await page.getByRole('button').count()).toBe(0);
    expect(await page.getByTestId('wall-DOWN').textContent()).toMatch(/^\s*2\s*■\s*Down\s*$/);
    // Large type that grows with the screen.
    const size = () =>
      panel
        .locator('li[data-failing]')
        .first()
        .evaluate((el) =>
          parseFloat(
            (
              globalThis as unknown as {
                getComputedStyle(e: unknown): { fontSize: string };
              }
            ).getComputedStyle(el).fontSize,
          ),
        );
    await page.setViewportSize({ width: 1920, height: 1080 });
    const tv = await size();
    expect(tv).toBeGreaterThanOrEqual(24);
    await screenshot(page, 'problems-06-wall-1920');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await checkPage('problems-06-wall');
  });

  it('says clearly when live updates stop, with the age of the data, and what a failed read was', async () => {
    // The event stream cannot be reached: the page warns that what it shows may be stale.
    await page.route('**/api/events', (route) => route.abort());
    await page.goto(`${base}/hosts`);
    const banner = page.getByTestId('stale-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Live updates stopped \d+ s ago/);
    await checkPage('problems-07-stale');
    await page.unroute('**/api/events');
    await banner.waitFor({ state: 'detached', timeout: 40_000 });

    // The dashboard says which read failed, not just how.
    await page.route('**/api/monitoring/stats', (route) => route.abort());
    await page.goto(`${base}/dashboard`);
    await page
      .getByRole('alert')
      .filter({ hasText: "Could not read the fleet's figures (GET /api/monitoring/stats)" })
      .waitFor();
    await page.unroute('**/api/monitoring/stats');
  });

  it('opening host details checks only an active host whose last result is stale, and "Check now" on an inactive one changes nothing', async () => {
    // A fresh result (checked 10 s ago): shown, not checked again.
    const fresh = await addHost('fresh-one');
    await set(fresh, { monitoring_state: 'HEALTHY', last_check_at: new Date().toISOString() });
    jitRequests.length = 0;
    await page.goto(`${base}/hosts/${fresh}`);
    await page.getByTestId('jit-skipped').filter({ hasText: 'recent enough' }).waitFor();

    // An inactive host that was never checked: not checked on open.
    const parked = await addHost('parked-inactive', { is_active: false });
    await page.goto(`${base}/hosts/${parked}`);
    await page.getByTestId('jit-skipped').filter({ hasText: 'inactive' }).waitFor();
    // In maintenance: not checked on open either.
    const maint = await addHost('in-maintenance', { monitoring_state: 'MAINTENANCE' });
    await page.goto(`${base}/hosts/${maint}`);
    await page.getByTestId('jit-skipped').filter({ hasText: 'maintenance' }).waitFor();
    expect(jitRequests).toEqual([]);
    const audit = await t.api().get('/api/audit?action=check.jit').expect(200);
    expect(audit.body.total).toBe(0);

    // "Check now" runs the probe and reports, but the inactive host stays UNKNOWN.
    await page.goto(`${base}/hosts/${parked}`);
    await page.getByTestId('jit-skipped').waitFor();
    await page.getByTestId('check-now').click();
    const result = page.getByTestId('jit-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/failed.*Reported only/s);
    const host = await t.api().get(`/api/hosts/${parked}`).expect(200);
    expect(host.body.monitoring_state).toBe('UNKNOWN');
    expect(await page.getByTestId('detail-state').textContent()).toContain('Unknown');
    expect(await page.getByTestId('countdown').textContent()).toContain('not scheduled: inactive');

    // An active host whose last result is stale is checked on open.
    jitRequests.length = 0;
    await page.goto(`${base}/hosts/${ids['c-degraded']}`);
    await page.getByTestId('jit-result').waitFor({ timeout: 30_000 });
    expect(jitRequests).toEqual([`/api/monitoring/hosts/${ids['c-degraded']}/check-connectivity`]);
    await checkPage('problems-04-host-checked-on-open');
  });

  it('"Check now" on many hosts is one request; a refusal by the rate limit is a sentence with its wait', async () => {
    await page.goto(`${base}/hosts?page_size=50`);
    await page.locator('tr[data-host="a-healthy"]').waitFor();
    const selectable = await page.locator('tr[data-host]').count();
    jitRequests.length = 0;
    await page.getByRole('checkbox', { name: 'Select all hosts on this page' }).check();
    await page.getByTestId('bulk-check').click();
    // One POST /api/hosts/bulk; hosts in maintenance or inactive are skipped, and the notice
    // says how many and why.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM host_status WHERE is_active AND monitoring_state <> 'MAINTENANCE'`,
    );
    expect(n).toBeLessThan(selectable);
    await page
      .getByText(`Queued ${n} checks: results appear as they land. ${selectable - n} skipped`)
      .waitFor();
    expect(jitRequests).toEqual(['/api/hosts/bulk']);
    await page.locator('mat-snack-bar-container').getByRole('button').click();

    // Spend what is left of the limit (6 a minute): the refusal says so, with Retry-After.
    const refusal = page.getByText(
      /Too many requests: the rate limit was reached\. Try again in \d+ s\./,
    );
    // Each answer is dismissed as a person would, rather than waited out.
    const snack = page.locator('mat-snack-bar-container');
    for (let i = 0; i < 8 && (await refusal.count()) === 0; i++) {
      if ((await snack.count()) > 0) {
        await snack.getByRole('button').click();
        await snack.waitFor({ state: 'detached' });
      }
      await page.getByTestId('bulk-check').click();
      await snack.waitFor();
    }
    await refusal.waitFor();
    const text = await page.locator('mat-snack-bar-container').textContent();
    expect(text).not.toMatch(/Throttler|Redis/);
    await checkPage('problems-05-rate-limited');
  });

  it('the add-host dialog puts a sentence for people under the field, without covering the next one', async () => {
    await page.setViewportSize(WIDE);
    await page.goto(`${base}/hosts`);
    await page.getByTestId('add-host').click();
    const dialog = page.getByRole('dialog');
    const hostname = dialog.getByTestId('f-hostname');
    const ip = dialog.getByTestId('f-ip');
    const hostnameError = dialog.getByTestId('err-hostname');
    const ipError = dialog
      .getByTestId('err-ip_address')
      .filter({ hasText: /^\s*The IP address must be an IPv4 or IPv6 address\.\s*$/ });
    // Typed while the dialog is still opening, a value can miss the form on a loaded machine:
    // the answer then has no ip_address problem. Type again and save again until it has.
    for (let attempt = 1; ; attempt++) {
      await hostname.fill(attempt % 2 === 1 ? 'bad host name with spaces' : 'bad host name');
      await ip.fill(attempt % 2 === 1 ? '999.1.2.3' : '999.1.2.4');
      await dialog.getByTestId('save-host').click();
      await hostnameError.filter({ hasText: /^\s*The hostname must be a host name/ }).waitFor();
      const shown = await ipError.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (attempt === 3) await ipError.waitFor({ timeout: 1 });
    }
    // The whole message sits above the next field.
    const error = (await hostnameError.boundingBox())!;
    const next = (await dialog.getByTestId('f-ip').boundingBox())!;
    expect(error.y + error.height).toBeLessThanOrEqual(next.y);
    await checkPage('problems-08-host-form-errors');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('the audit log names hosts and links them, and takes times as 24-hour UTC', async () => {
    await page.goto(`${base}/settings/audit?action=check.jit`);
    const table = page.getByTestId('audit-table');
    const target = table.getByTestId('audit-target').filter({ hasText: 'parked-inactive' });
    await target.first().waitFor();
    const link = target.first().getByRole('link', { name: 'parked-inactive' });
    expect(await link.getAttribute('href')).toBe(`/hosts/${ids['parked-inactive']}`);
    for (const cell of await table.getByTestId('audit-target').allTextContents()) {
      expect(cell).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    }

    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const typed = `${hourAgo.slice(0, 10)} ${hourAgo.slice(11, 16)}`;
    const since = page.getByTestId('audit-since');
    expect(await since.getAttribute('placeholder')).toBe('YYYY-MM-DD HH:MM');
    await since.fill(typed);
    await page.getByTestId('audit-apply').click();
    await page.waitForURL(/since=/);
    expect(await since.inputValue()).toBe(typed);
    await target.first().waitFor();
    // A 12-hour time is refused with a sentence saying how to type it.
    await since.fill('12/06/2026 2:30 PM');
    await page.getByTestId('audit-apply').click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'YYYY-MM-DD HH:MM, 24-hour, in UTC' })
      .waitFor();
    await checkPage('problems-09-audit');
  });

  it('on a phone, hosts are cards that fit the width, and the list starts high on the screen', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/hosts`);
    const cards = page.getByTestId('host-cards');
    const first = cards.locator('li[data-host]').first();
    await first.waitFor();
    expect(await page.locator('table[mat-table]').count()).toBe(0);
    // Nothing wider than the screen, and the first host within the top third.
    const scrollWidth = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document.documentElement.scrollWidth,
    );
    expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
    expect((await first.boundingBox())!.y).toBeLessThan(PHONE.height / 3);
    expect(await cards.locator('li[data-host="e-down"]').textContent()).toMatch(/Last check/);
    // Availability from the uptime endpoint: e-down has been DOWN since it was created (its
    // checks all fail), so none over 24 h and 30 d.
    await page
      .getByTestId('card-availability-e-down')
      .filter({ hasText: '24 h 0.0 · 30 d 0.0' })
      .waitFor();
    // The filters fold away behind a button that says how many are set.
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('filter-tag').waitFor();
    await screenshot(page, 'problems-10-hosts-cards-390');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize(WIDE);
  });

  it('relative times never point to the future and tick each second', async () => {
    // A browser whose clock runs behind the server's, in a context of its own.
    const other = await launchChromium();
    const errors: string[] = [];
    try {
      const tab = other.context.pages()[0] ?? (await other.context.newPage());
      collectPageErrors(tab, errors);
      await tab.setViewportSize(WIDE);
      // Inactive, so no check of the specs above lands on it meanwhile.
      const id = await addHost('tick-host', { is_active: false });
      const checked = Date.now();
      await set(id, {
        monitoring_state: 'HEALTHY',
        last_check_at: new Date(checked).toISOString(),
      });
      await tab.clock.install({ time: checked - 30_000 });
      await signIn(tab, base, TEST_ADMIN.username, TEST_ADMIN.password);
      await tab.goto(`${base}/hosts?q=tick-host`);
      const cell = tab.locator('tr[data-host="tick-host"] td.mat-column-last_check_at');
      await cell.waitFor();
      // 2 s before the server's check time on this clock: the check has happened all the same.
      await tab.clock.pauseAt(checked - 2_000);
      await cell.filter({ hasText: 'just now' }).waitFor();
      expect(await cell.textContent()).not.toContain('in ');
      // The display clock ticks once a second, so it shows 3 or 4 s after 6 s more; then one
      // second later, one second more.
      await tab.clock.runFor(6_000);
      await cell.filter({ hasText: /^\s*[34] s ago\s*$/ }).waitFor();
      const seconds = Number((await cell.textContent())!.trim().split(' ')[0]);
      await tab.clock.runFor(1_000);
      await cell.filter({ hasText: `${seconds + 1} s ago` }).waitFor();
    } finally {
      await other.close();
    }
    expect(errors).toEqual([]);
  });
});
