/**
 * Debian's Chromium driven by playwright-core (browsers cannot be downloaded here), with an
 * axe-core check and screenshots saved under test-artifacts/console/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from '../../../backend/test/support/test-app';
import { TEST_ADMIN } from '../../../backend/test/support/test-env';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = join(__dirname, '..', '..', '..');
export const CONSOLE_DIR = join(ROOT, 'dist', 'console', 'browser');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile per run (a persistent context is how Playwright takes a user data dir). */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'hw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2.x A/AA rules) on the page; returns serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // A snack bar that starts to fade out while axe runs reads as low contrast: dismiss open ones
  // first, as a user would, and wait until they are gone.
  const snack = page.locator('mat-snack-bar-container');
  if ((await snack.count()) > 0) {
    await snack
      .getByRole('button')
      .first()
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await snack.first().waitFor({ state: 'detached', timeout: 15000 });
  }
  // Colours are judged as they end up, not halfway through a fade-in.
  await page.evaluate(async () => {
    const doc = (
      globalThis as unknown as {
        document: { getAnimations(): { finished: Promise<unknown> }[] };
      }
    ).document;
    await Promise.all(doc.getAnimations().map((a) => a.finished.catch(() => undefined)));
  });
  // Evaluated over the DevTools protocol: the app's Content-Security-Policy (no inline scripts)
  // stays in force for the page itself.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{
            violations: {
              id: string;
              impact: string | null;
              help: string;
              nodes: { target: unknown[] }[];
            }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Collects the page's uncaught errors and anything the server's Content-Security-Policy blocked
 * into `errors`: the app runs under that policy, so a blocked script or style is a bug (an
 * inline onload, for one, leaves the stylesheet unapplied).
 */
export function collectPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/.test(message.text())) {
      errors.push(message.text());
    }
  });
}

/** Signs in through the login page at `base`, as a person does, and waits to leave it. */
export async function signIn(
  page: Page,
  base: string,
  username: string,
  password: string,
): Promise<void> {
  if (!new URL(page.url(), base).pathname.startsWith('/login')) await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A signed-in console in Chromium, against an app a spec started. */
export interface ConsoleSession {
  t: TestApp;
  chromium: LaunchedBrowser;
  /** The first tab, signed in as the first admin. */
  page: Page;
  /** What every watched page threw or refused (CSP); each test must end with none. */
  pageErrors: string[];
}

/**
 * The hooks most browser specs share. Before all: `start` prepares the database and starts
 * the app, Chromium starts, its first tab is watched for errors and signs in as the first
 * admin. After each test: no page errors. After all: Chromium and the app stop. The fields
 * are set once the first hook has run (a spec's own beforeAll, registered later, can read them).
 */
export function consoleSession(start: () => Promise<TestApp>): ConsoleSession {
  const session = { pageErrors: [] as string[] } as ConsoleSession;
  beforeAll(async () => {
    session.t = await start();
    session.chromium = await launchChromium();
    const context = session.chromium.context;
    session.page = context.pages()[0] ?? (await context.newPage());
    collectPageErrors(session.page, session.pageErrors);
    await signIn(session.page, session.t.url!, TEST_ADMIN.username, TEST_ADMIN.password);
  });
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
  });
  afterAll(async () => {
    await session.chromium?.close();
    await session.t?.close();
  });
  return session;
}
