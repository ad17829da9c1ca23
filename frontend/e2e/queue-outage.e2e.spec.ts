/**
 * The console while Redis is away, in Chromium against the real app on a Redis of its own
 * (a private redis-server, killed and started again; never the machine's): a banner says
 * since when checks are paused, the pages keep working, and the banner goes once Redis is back.
 */
import { startRedis, type RedisServer } from '../../tools/peers/redis';
import { createTestApp } from '../../backend/test/support/test-app';
import { cleanDatabase } from '../../backend/test/support/test-env';
import { CONSOLE_DIR, consoleSession, screenshot } from './support/browser';

/** The banner polls the stats every 10 s; the watcher notices within a second or two. */
const BANNER_TIMEOUT = 45_000;

describe('the console while the queue is unavailable', () => {
  let redis: RedisServer;
  const session = consoleSession(async () => {
    redis = await startRedis();
    await cleanDatabase();
    return createTestApp({
      roles: 'api',
      env: { CONSOLE_DIR, REDIS_URL: redis.url, LOG_LEVEL: 'error' },
    });
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('shows "queue unavailable: checks paused since HH:MM" instead of errors, and drops it when Redis is back', async () => {
    const { page, t } = session;
    await page.goto(`${t.url}/dashboard`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByTestId('queue-banner').count()).toBe(0);

    await redis.crash();
    try {
      await outage(page);
    } finally {
      if (!redis.running) await redis.start();
    }
    await page.getByTestId('queue-banner').waitFor({ state: 'detached', timeout: BANNER_TIMEOUT });
  });

  async function outage(page: (typeof session)['page']): Promise<void> {
    const banner = page.getByTestId('queue-banner');
    await banner.waitFor({ timeout: BANNER_TIMEOUT });
    expect(await banner.textContent()).toMatch(/queue unavailable: checks paused since \d\d:\d\d/);

    // The rest of the console keeps working: the host list loads.
    await page.getByRole('link', { name: 'Hosts', exact: true }).click();
    await page.waitForURL(/\/hosts$/);
    await page.getByRole('heading', { name: 'Hosts', exact: true }).waitFor();
    expect(await banner.isVisible()).toBe(true);
    await screenshot(page, 'queue-outage-banner');
  }
});
