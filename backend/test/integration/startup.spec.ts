import { startApp, StartupError } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { testEnv } from '../support/test-env';

describe('startup', () => {
  it('names PostgreSQL, where it looked and how to start it when it cannot be reached', async () => {
    const config = loadConfig(
      testEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/hostwatch' }),
    );
    const failure = await startApp(config).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as Error).message).toMatch(
      /^Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL\)/,
    );
    expect((failure as Error).message).toMatch(/Start it/);
    expect((failure as Error).message).not.toContain('\n');
  });

  it('names Redis, where it looked and how to start it when it cannot be reached', async () => {
    const config = loadConfig(testEnv({ REDIS_URL: 'redis://127.0.0.1:1' }));
    const failure = await startApp(config).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as Error).message).toMatch(
      /^Cannot reach Redis at 127\.0\.0\.1:1 \(REDIS_URL\)/,
    );
    expect((failure as Error).message).toMatch(/redis-server/);
  });

  it('does not print the database password', async () => {
    const config = loadConfig(
      testEnv({ DATABASE_URL: 'postgres://postgres:s3cret-pw@127.0.0.1:1/hostwatch' }),
    );
    const failure = await startApp(config).catch((e: unknown) => e);
    expect((failure as Error).message).not.toContain('s3cret-pw');
  });
});
