/**
 * A user's own account in a real browser against the real app: changing one's password (the
 * form's own checks, the API's refusal of a wrong current password on its field, then a
 * sign-in with the new one) and the colours, which follow the system until the user picks
 * light or dark. axe and screenshots at 1440×900 and 390×844, light and dark.
 */
import type { Page } from 'playwright-core';
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

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('your account in Chromium', () => {
  let t: TestApp;
  let page: Page;
  let base: string;

  const session = consoleSession(async () => {
    await cleanDatabase();
    return createTestApp({ env: { CONSOLE_DIR, LOG_LEVEL: 'error' } });
  });
  beforeAll(() => {
    ({ t, page } = session);
    base = t.url!;
  });

  async function checkPage(target: Page, name: string): Promise<void> {
    for (const [size, suffix] of [
      [WIDE, '1440'],
      [PHONE, '390'],
    ] as const) {
      await target.setViewportSize(size);
      await screenshot(target, `${name}-${suffix}`);
      expect(await seriousA11yViolations(target)).toEqual([]);
    }
    await target.setViewportSize(WIDE);
  }

  it('a user changes their own password and signs in with it', async () => {
    const operator = await t.userWithRole('operator');
    const browser = await launchChromium();
    const errors: string[] = [];
    try {
      const tab = browser.context.pages()[0] ?? (await browser.context.newPage());
      collectPageErrors(tab, errors);
      await tab.setViewportSize(WIDE);
      await signIn(tab, base, operator.username, operator.password);
      await tab.getByTestId('account-link').click();
      await tab.waitForURL(/\/account$/);
      await tab.getByRole('heading', { name: 'Change your password' }).waitFor();

      // The form's own checks, before any request.
      await tab.getByTestId('pw-current').fill(operator.password);
      await tab.getByTestId('pw-new').fill('short');
      await tab.getByTestId('pw-repeat').fill('shorter');
      await tab.getByTestId('pw-save').click();
      await tab.getByTestId('pw-new-error').filter({ hasText: '12 characters or more' }).waitFor();
      await tab.getByTestId('pw-repeat-error').filter({ hasText: 'differ' }).waitFor();

      // A wrong current password: the API refuses it, on that field.
      const next = 'a-brand-new-password-42';
      await tab.getByTestId('pw-current').fill('not-my-password');
      await tab.getByTestId('pw-new').fill(next);
      await tab.getByTestId('pw-repeat').fill(next);
      await tab.getByTestId('pw-save').click();
      await tab.getByTestId('pw-current-error').waitFor();
      await checkPage(tab, 'account-01-password-refused');

      await tab.getByTestId('pw-current').fill(operator.password);
      await tab.getByTestId('pw-save').click();
      await tab.getByTestId('password-changed').waitFor();
      // The new password signs in; the old one no longer does.
      expect(
        (
          await t
            .api(null)
            .post('/api/auth/login')
            .send({ username: operator.username, password: next })
        ).status,
      ).toBe(200);
      expect(
        (
          await t
            .api(null)
            .post('/api/auth/login')
            .send({ username: operator.username, password: operator.password })
        ).status,
      ).toBe(401);
    } finally {
      await browser.close();
    }
    expect(errors).toEqual([]);
  });

  it('colours follow the system, and the toggle picks the other scheme and back', async () => {
    const background = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as {
          document: { body: unknown; documentElement: { dataset: Record<string, string> } };
          getComputedStyle(e: unknown): { backgroundColor: string };
        };
        return {
          theme: g.document.documentElement.dataset['theme'],
          color: g.getComputedStyle(g.document.body).backgroundColor,
        };
      });
    const dark = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
      return r + g + b < 3 * 96;
    };

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${base}/dashboard`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    let now = await background();
    expect(now.theme).toBe('dark');
    expect(dark(now.color)).toBe(true);
    await checkPage(page, 'account-02-dashboard-dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { documentElement: { dataset: Record<string, string> } };
          }
        ).document.documentElement.dataset['theme'] === 'light',
    );
    now = await background();
    expect(dark(now.color)).toBe(false);

    // The toggle picks dark against the light system, and remembers it across a reload.
    await page.getByTestId('theme-toggle').click();
    expect((await background()).theme).toBe('dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect((await background()).theme).toBe('dark');
    await page.goto(`${base}/hosts`);
    await page.getByRole('heading', { name: 'Hosts', exact: true }).waitFor();
    await checkPage(page, 'account-03-hosts-dark');
    await page.getByTestId('theme-toggle').click();
    expect((await background()).theme).toBe('light');
  });
});
