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
    expect(config.jitConcurrency).toBe(16);
    expect(config.workerNice).toBe(0);
    expect(config.schedulerTickMs).toBe(1000);
    expect(config.schedulerBatchSize).toBe(5000);
    expect(config.probeConnectTimeoutMs).toBe(5000);
    expect(config.probeTimeoutMs).toBe(10000);
  });

  it('reads Redis Sentinels and the primary they watch', () => {
    const config = loadConfig({
      REDIS_SENTINELS: '10.0.0.5:26379, sentinel-2.example:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'main',
    });
    expect(config.redisSentinels).toEqual([
      { host: '10.0.0.5', port: 26379 },
      { host: 'sentinel-2.example', port: 26380 },
      { host: '::1', port: 26381 },
    ]);
    expect(config.redisSentinelName).toBe('main');
    expect(loadConfig({}).redisSentinels).toEqual([]);
    expect(loadConfig({}).redisSentinelName).toBeNull();
  });

  it('reads a subset of roles', () => {
    const config = loadConfig({ APP_ROLES: ' worker , scheduler' });
    expect(config.hasRole('worker')).toBe(true);
    expect(config.hasRole('scheduler')).toBe(true);
    expect(config.hasRole('api')).toBe(false);
  });

  it('runs every role but jit-worker by default, and takes jit-worker when named', () => {
    expect([...loadConfig({}).roles].sort()).toEqual(['api', 'scheduler', 'worker']);
    const jit = loadConfig({ APP_ROLES: 'api,JIT-worker' });
    expect(jit.hasRole('jit-worker')).toBe(true);
    expect(jit.hasRole('worker')).toBe(false);
    // A worker may leave JIT checks to jit-worker processes.
    expect(loadConfig({ APP_ROLES: 'worker', JIT_CONCURRENCY: '0' }).jitConcurrency).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: must be a whole number/],
    [{ PORT: '70000' }, /PORT: must be between 0 and 65535/],
    [{ WORKER_CONCURRENCY: '0' }, /WORKER_CONCURRENCY/],
    [{ JIT_CONCURRENCY: '-1' }, /JIT_CONCURRENCY: must be between 0 and 1024/],
    [
      { APP_ROLES: 'jit-worker', JIT_CONCURRENCY: '0' },
      /JIT_CONCURRENCY: 0 leaves the jit-worker role nothing to run/,
    ],
    [{ JIT_CONCURRENCY: 'many' }, /JIT_CONCURRENCY: must be a whole number/],
    [{ WORKER_NICE: '20' }, /WORKER_NICE: must be between 0 and 19/],
    [{ WORKER_NICE: '-5' }, /WORKER_NICE: must be between 0 and 19/],
    [{ SCHEDULER_TICK_MS: '1.5' }, /SCHEDULER_TICK_MS/],
    [{ APP_ROLES: 'api,web' }, /APP_ROLES: unknown role "web"/],
    [{ APP_ROLES: ',' }, /APP_ROLES: name at least one/],
    [{ DATABASE_URL: 'mysql://x/y' }, /DATABASE_URL: must start with postgres:\/\//],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL: not a valid URL/],
    [
      { REDIS_SENTINELS: '10.0.0.5', REDIS_SENTINEL_NAME: 'main' },
      /REDIS_SENTINELS: "10.0.0.5" is not host:port/,
    ],
    [{ REDIS_SENTINELS: '10.0.0.5:26379' }, /REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/],
    [{ REDIS_SENTINEL_NAME: 'main' }, /REDIS_SENTINELS: required with REDIS_SENTINEL_NAME/],
    [{ REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'has space' }, /REDIS_SENTINEL_NAME: 1-128/],
    [{ QUEUE_PREFIX: 'has space' }, /QUEUE_PREFIX/],
    [
      { PROBE_CONNECT_TIMEOUT_MS: '9000', PROBE_TIMEOUT_MS: '5000' },
      /must not exceed PROBE_TIMEOUT_MS/,
    ],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ NODE_ENV: 'production' }, /CREDENTIALS_KEY: required when NODE_ENV=production/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET: required when NODE_ENV=production/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET: at least 32 characters/],
    [{ ADMIN_PASSWORD: 'tiny' }, /ADMIN_PASSWORD: between 12 and 256/],
    [{ ADMIN_USERNAME: 'has space' }, /ADMIN_USERNAME/],
    [{ ACCESS_TOKEN_TTL_SECONDS: '5' }, /ACCESS_TOKEN_TTL_SECONDS/],
    [{ OIDC_ISSUER: 'https://idp.example', OIDC_ROLE_MAP: 'a:admin' }, /OIDC_AUDIENCE: required/],
    [{ OIDC_ISSUER: 'https://idp.example', OIDC_AUDIENCE: 'hw' }, /OIDC_ROLE_MAP: required/],
    [
      { OIDC_ISSUER: 'https://idp.example', OIDC_AUDIENCE: 'hw', OIDC_ROLE_MAP: 'ops:root' },
      /OIDC_ROLE_MAP: "ops:root"/,
    ],
    [{ OIDC_ISSUER: 'ftp://idp.example' }, /OIDC_ISSUER: must start with/],
    [
      {
        OIDC_ISSUER: 'https://idp.example',
        OIDC_AUDIENCE: 'hw',
        OIDC_ROLE_MAP: 'a:admin',
        OIDC_CLIENT_ID: 'console',
      },
      /OIDC_REDIRECT_URI: required with OIDC_CLIENT_ID/,
    ],
    [{ AUTH_PROXY_HEADER: 'X-User' }, /AUTH_TRUSTED_PROXIES: required/],
    [{ AUTH_PROXY_HEADER: 'X-User', AUTH_TRUSTED_PROXIES: '10.0.0.0/33' }, /AUTH_TRUSTED_PROXIES/],
    [
      {
        AUTH_PROXY_HEADER: 'X-User',
        AUTH_TRUSTED_PROXIES: '10.0.0.1',
        AUTH_PROXY_DEFAULT_ROLE: 'root',
      },
      /AUTH_PROXY_DEFAULT_ROLE/,
    ],
    [{ AUTH_PROXY_HEADER: 'X User', AUTH_TRUSTED_PROXIES: '10.0.0.1' }, /AUTH_PROXY_HEADER/],
    [{ CORS_ORIGINS: 'https://ok.example,not-an-origin' }, /CORS_ORIGINS: "not-an-origin"/],
    [{ CORS_ORIGINS: 'https://console.example/path' }, /CORS_ORIGINS/],
    [{ PROBE_ALLOWED_CIDRS: '10.0.0.0/8,300.1.1.1' }, /PROBE_ALLOWED_CIDRS: "300.1.1.1"/],
    [{ LOGIN_RATE_LIMIT_PER_MINUTE: '0' }, /LOGIN_RATE_LIMIT_PER_MINUTE/],
    [{ AUTH_RETENTION_DAYS: '0' }, /AUTH_RETENTION_DAYS: must be between 1 and 3650/],
    [{ AUTH_RETENTION_DAYS: '30d' }, /AUTH_RETENTION_DAYS: must be a whole number/],
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

  it('reads the access settings', () => {
    const config = loadConfig({
      OIDC_ISSUER: 'https://idp.example/realms/ops',
      OIDC_AUDIENCE: 'hostwatch',
      OIDC_ROLE_MAP: 'ops-admins:admin, ops:operator ,staff:viewer',
      AUTH_PROXY_HEADER: 'X-Forwarded-User',
      AUTH_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8,192.0.2.7',
      CORS_ORIGINS: 'https://console.example.com',
      PROBE_ALLOWED_CIDRS: '10.0.0.0/8',
    });
    expect(config.accessTokenTtlSeconds).toBe(900);
    expect(config.adminUsername).toBe('admin');
    expect(config.oidc?.roleClaim).toBe('groups');
    expect([...config.oidc!.roleMap]).toEqual([
      ['ops-admins', 'admin'],
      ['ops', 'operator'],
      ['staff', 'viewer'],
    ]);
    expect(config.authProxy).toEqual({
      header: 'x-forwarded-user',
      defaultRole: 'viewer',
      trustedProxies: [
        { family: 'ipv4', network: '10.0.0.0', prefix: 8 },
        { family: 'ipv6', network: 'fd00::', prefix: 8 },
        { family: 'ipv4', network: '192.0.2.7', prefix: 32 },
      ],
    });
    expect(config.corsOrigins).toEqual(['https://console.example.com']);
    expect(config.probeAllowedCidrs).toEqual([{ family: 'ipv4', network: '10.0.0.0', prefix: 8 }]);
  });

  it('needs JWT_SECRET in production only where the API runs', () => {
    const production = { NODE_ENV: 'production', CREDENTIALS_KEY: 'x'.repeat(44) };
    expect(() => loadConfig({ ...production, APP_ROLES: 'worker' })).not.toThrow();
    expect(() => loadConfig({ ...production, APP_ROLES: 'api' })).toThrow(/JWT_SECRET/);
  });

  it('leaves OIDC, the proxy, CORS and the probe restriction off by default', () => {
    const config = loadConfig({});
    expect(config.oidc).toBeUndefined();
    expect(config.authProxy).toBeUndefined();
    expect(config.corsOrigins).toEqual([]);
    expect(config.probeAllowedCidrs).toEqual([]);
  });

  it('reads the notification settings, and names a bad one', () => {
    const config = loadConfig({
      NOTIFY_ALLOWED_HOSTS: 'hooks.slack.com, *.Example.com,10.0.0.0/8',
      NOTIFY_CONSOLE_URL: 'https://hostwatch.example.com/',
      NOTIFY_RETRY_HOURS: '48',
    });
    expect(config.notifyAllowedHosts).toEqual({
      names: ['hooks.slack.com', '*.example.com'],
      cidrs: [{ family: 'ipv4', network: '10.0.0.0', prefix: 8 }],
    });
    expect(config.notifyConsoleUrl).toBe('https://hostwatch.example.com');
    expect(config.notifyRetryHours).toBe(48);
    const defaults = loadConfig({});
    expect(defaults.notifyAllowedHosts).toBeNull();
    expect(defaults).toMatchObject({
      notifyConsoleUrl: null,
      notifyRetryHours: 24,
      notifyTimeoutMs: 10000,
      notifyDispatchIntervalMs: 500,
    });
    expect(() => loadConfig({ NOTIFY_ALLOWED_HOSTS: 'hooks slack' })).toThrow(
      /NOTIFY_ALLOWED_HOSTS/,
    );
    expect(() => loadConfig({ NOTIFY_RETRY_HOURS: '0' })).toThrow(/NOTIFY_RETRY_HOURS/);
    expect(() => loadConfig({ NOTIFY_CONSOLE_URL: 'ftp://x' })).toThrow(/NOTIFY_CONSOLE_URL/);
    expect(() => loadConfig({ NOTIFY_RETRY_BASE_MS: '5000', NOTIFY_RETRY_MAX_MS: '1000' })).toThrow(
      /NOTIFY_RETRY_BASE_MS/,
    );
  });

  it('reads the operations settings: log format, metrics and shutdown grace', () => {
    const tty = loadConfig({}, { stdoutIsTty: true });
    expect(tty.logFormat).toBe('pretty');
    expect(loadConfig({}, { stdoutIsTty: false }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'JSON' }, { stdoutIsTty: true }).logFormat).toBe('json');
    expect(tty.metricsToken).toBeUndefined();
    expect(tty.metricsPort).toBeNull();
    expect(tty.metricsHost).toBe('127.0.0.1');
    expect(tty.shutdownGraceMs).toBe(15000);
    const set = loadConfig({
      METRICS_TOKEN: 'a-long-enough-token-123',
      METRICS_PORT: '9464',
      METRICS_HOST: '0.0.0.0',
      SHUTDOWN_GRACE_MS: '30000',
    });
    expect(set.metricsToken).toBe('a-long-enough-token-123');
    expect(set.metricsPort).toBe(9464);
    expect(set.metricsHost).toBe('0.0.0.0');
    expect(set.shutdownGraceMs).toBe(30000);
    try {
      loadConfig({
        LOG_FORMAT: 'xml',
        METRICS_TOKEN: 'short',
        METRICS_PORT: 'x',
        METRICS_HOST: 'not an address',
        SHUTDOWN_GRACE_MS: '-1',
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of [
        'LOG_FORMAT',
        'METRICS_TOKEN',
        'METRICS_PORT',
        'METRICS_HOST',
        'SHUTDOWN_GRACE_MS',
      ]) {
        expect(problems).toContain(`${name}:`);
      }
    }
  });
});
