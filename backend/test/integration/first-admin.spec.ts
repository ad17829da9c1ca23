import { createTestApp, type TestApp } from '../support/test-app';
import { cleanDatabase, testEnv } from '../support/test-env';
import { startApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';

/** Nest's log lines written while `run` runs. */
async function logsOf<T>(run: () => Promise<T>): Promise<{ result: T; log: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const grab = ((chunk: unknown) => (chunks.push(String(chunk)), true)) as typeof write;
  process.stdout.write = grab;
  process.stderr.write = grab;
  try {
    return { result: await run(), log: chunks.join('') };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

describe('the first admin', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('without ADMIN_PASSWORD and with no users, gets a random password printed exactly once', async () => {
    await cleanDatabase();
    const env = testEnv({ APP_ROLES: 'api', ADMIN_PASSWORD: '', ADMIN_USERNAME: 'root-admin' });
    const first = await logsOf(() =>
      startApp(loadConfig({ ...env, LOG_LEVEL: 'log', LOG_FORMAT: 'pretty' })),
    );
    // A boxed banner, printed last, with the URL, the user name and the password.
    const banner = first.log.trimEnd().split('\n').slice(-12);
    expect(banner[0]).toMatch(/^┌─+┐$/);
    expect(banner[banner.length - 1]).toMatch(/^└─+┘$/);
    expect(banner.join('\n')).toContain(`hostwatch is ready: ${first.result.url}`);
    expect(banner.join('\n')).toMatch(/│ {3}user name {2}root-admin +│/);
    const match = /│ {3}password {3}(\S+) +│/.exec(first.log);
    expect(match).not.toBeNull();
    const password = match![1];
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(first.log.split(password)).toHaveLength(2); // once
    // Route mapping is kept at debug level, out of the way.
    expect(first.log).not.toContain('Mapped {');
    const server = first.result.http!.getHttpServer();
    const { default: request } = await import('supertest');
    await request(server)
      .post('/api/auth/login')
      .send({ username: 'root-admin', password })
      .expect(200);
    await first.result.app.close();

    // Next boot: the admin exists, nothing is generated or printed.
    const second = await logsOf(() => startApp(loadConfig({ ...env, LOG_LEVEL: 'log' })));
    expect(second.log).not.toContain('generated password');
    expect(second.log).not.toContain(password);
    await second.result.app.close();
  });

  it('comes from ADMIN_USERNAME/ADMIN_PASSWORD, and a restart does not reset a changed password', async () => {
    await cleanDatabase();
    const app = await createTestApp({ env: { ADMIN_USERNAME: 'boss' } });
    apps.push(app);
    await app
      .api()
      .post('/api/auth/password')
      .send({ current_password: app.env.ADMIN_PASSWORD, new_password: 'boss-changed-it-1' })
      .expect(204);
    await app.close();
    apps.pop();
    const again = await createTestApp({ env: { ADMIN_USERNAME: 'boss' } }).catch((e: Error) => e);
    // The env password no longer works: the one the admin chose stands.
    expect((again as Error).message).toMatch(/test admin login failed: 401/);
  });
});
