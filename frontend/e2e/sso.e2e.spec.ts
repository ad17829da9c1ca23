/**
 * "Sign in with SSO" in a real browser: the console, the real app and a real OpenID Provider
 * (oidc-provider on loopback) that shows its own sign-in page. The person clicks the button,
 * signs in at the IdP and lands in the console signed in, on the page they wanted.
 */
import type { Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../backend/test/support/test-app';
import { cleanDatabase } from '../../backend/test/support/test-env';
import {
  freePort,
  type OidcProviderProcess,
  signingKey,
  startOidcProvider,
} from '../../backend/test/support/oidc';
import {
  CONSOLE_DIR,
  launchChromium,
  screenshot,
  seriousA11yViolations,
  type LaunchedBrowser,
  collectPageErrors,
} from './support/browser';

describe('single sign-on from the console in Chromium', () => {
  let idp: OidcProviderProcess;
  let t: TestApp;
  let chromium: LaunchedBrowser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];
  const requestedUrls: string[] = [];

  beforeAll(async () => {
    await cleanDatabase();
    const [idpPort, appPort] = [await freePort(), await freePort()];
    const redirectUri = `http://127.0.0.1:${appPort}/api/auth/oidc/callback`;
    idp = await startOidcProvider({
      port: idpPort,
      jwk: await signingKey('console-key'),
      redirectUri,
      resource: 'https://hostwatch.test/api',
      loginForm: true,
    });
    t = await createTestApp({
      env: {
        CONSOLE_DIR,
        LOG_LEVEL: 'error',
        PORT: String(appPort),
        OIDC_ISSUER: idp.issuer,
        OIDC_AUDIENCE: 'https://hostwatch.test/api',
        OIDC_ROLE_MAP: 'ops-admins:admin,ops:operator,staff:viewer',
        OIDC_CLIENT_ID: 'hostwatch-console',
        OIDC_CLIENT_SECRET: 'console-secret',
        OIDC_REDIRECT_URI: redirectUri,
        OIDC_SCOPES: 'openid profile',
      },
    });
    base = t.url!;
    chromium = await launchChromium();
    page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    collectPageErrors(page, pageErrors);
    page.on('request', (request) => requestedUrls.push(request.url()));
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
    await idp?.stop();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  /** Clicks "Sign in with SSO" and answers the IdP's sign-in page. */
  async function signInAtIdp(action: 'Sign in at the IdP' | 'Cancel', user = ''): Promise<void> {
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    if (user) await page.getByLabel('IdP username').fill(user);
    await page.getByRole('button', { name: action }).click();
    await page.waitForURL((url) => url.origin === base);
  }

  it('offers "Sign in with SSO" on the login page, and a person who cancels at the IdP is told so', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login\?next=%2Fdashboard$/);
    await page.getByRole('link', { name: 'Sign in with SSO' }).waitFor();
    await screenshot(page, 'sso-01-login');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await signInAtIdp('Cancel');
    await page
      .getByRole('alert')
      .filter({ hasText: 'cancelled at your identity provider' })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    const stored = await page.evaluate(() =>
      (
        globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
      ).localStorage.getItem('hostwatch.refresh_token'),
    );
    expect(stored).toBeNull();
  });

  it('signs in at the IdP and lands on the dashboard signed in; a reload keeps the session', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    await signInAtIdp('Sign in at the IdP', 'oidc-olga');
    await page.waitForURL(/\/dashboard$/);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('oidc-olga (operator)').waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
    // The person never saw JSON, and no token ever travelled in a URL.
    expect(await page.content()).not.toContain('"access_token"');
    expect(requestedUrls.filter((u) => /hw[rt]_|eyJ|access_token|refresh_token/.test(u))).toEqual(
      [],
    );
    await screenshot(page, 'sso-02-dashboard');

    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('oidc-olga (operator)').waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
  });

  it('comes back to the page that asked for sign-in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${base}/hosts?state=DEGRADED`);
    await page.waitForURL(/\/login\?next=/);
    // The IdP remembers the person now: single sign-on goes straight through.
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.waitForURL((url) => url.pathname === '/hosts');
    expect(new URL(page.url()).searchParams.get('state')).toBe('DEGRADED');
    await page.getByRole('heading', { name: 'Hosts' }).waitFor();
    await page.getByText('oidc-olga (operator)').waitFor();
  });
});
