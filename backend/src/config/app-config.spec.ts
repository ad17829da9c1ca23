import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has defaults that run against a local Postgres and Redis with every role', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/hostwatch');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.port).toBe(3000);
    expect([...config.roles].sort()).toEqual(['api', 'scheduler', 'worker']);
    expect(config.queuePrefix).toBe('hostwatch');
    expect(config.workerConcurrency).toBe(64);
    expect(config.schedulerTickMs).toBe(5000);
    expect(config.schedulerBatchSize).toBe(5000);
    expect(config.probeConnectTimeoutMs).toBe(5000);
    expect(config.probeTimeoutMs).toBe(10000);
  });

  it('reads a subset of roles', () => {
    const config = loadConfig({ APP_ROLES: ' worker , scheduler' });
    expect(config.hasRole('worker')).toBe(true);
    expect(config.hasRole('scheduler')).toBe(true);
    expect(config.hasRole('api')).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: must be a whole number/],
    [{ PORT: '70000' }, /PORT: must be between 0 and 65535/],
    [{ WORKER_CONCURRENCY: '0' }, /WORKER_CONCURRENCY/],
    [{ SCHEDULER_TICK_MS: '1.5' }, /SCHEDULER_TICK_MS/],
    [{ APP_ROLES: 'api,web' }, /APP_ROLES: unknown role "web"/],
    [{ APP_ROLES: ',' }, /APP_ROLES: name at least one/],
    [{ DATABASE_URL: 'mysql://x/y' }, /DATABASE_URL: must start with postgres:\/\//],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL: not a valid URL/],
    [{ QUEUE_PREFIX: 'has space' }, /QUEUE_PREFIX/],
    [
      { PROBE_CONNECT_TIMEOUT_MS: '9000', PROBE_TIMEOUT_MS: '5000' },
      /must not exceed PROBE_TIMEOUT_MS/,
    ],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ NODE_ENV: 'production' }, /CREDENTIALS_KEY: required when NODE_ENV=production/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', WORKER_CONCURRENCY: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});
