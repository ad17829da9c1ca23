/**
 * The one place that reads the environment. `loadConfig` validates every variable and
 * returns a typed, frozen AppConfig; a bad value stops boot with a message naming it.
 */
export const APP_ROLES = ['api', 'scheduler', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export class AppConfig {
  readonly nodeEnv!: string;
  readonly isProduction!: boolean;
  readonly databaseUrl!: string;
  readonly redisUrl!: string;
  readonly port!: number;
  readonly roles!: ReadonlySet<AppRole>;
  readonly queuePrefix!: string;
  readonly workerConcurrency!: number;
  /** Worker processes on this machine (this one included) when the worker role runs. */
  readonly workerProcesses!: number;
  readonly schedulerTickMs!: number;
  readonly schedulerBatchSize!: number;
  readonly schedulerLeaseSeconds!: number;
  readonly probeConnectTimeoutMs!: number;
  readonly probeTimeoutMs!: number;
  readonly jitWaitTimeoutMs!: number;
  /** Raw CREDENTIALS_KEY, if set (base64 or hex of 32 bytes); resolved by credentials-key.ts. */
  readonly credentialsKey!: string | undefined;
  readonly credentialsKeyFile!: string;
  readonly logLevel!: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** Folder of the built console (index.html and assets), served at `/`; null: the default. */
  readonly consoleDir!: string | null;

  static from(values: Omit<AppConfig, 'hasRole'>): AppConfig {
    return Object.freeze(Object.assign(new AppConfig(), values));
  }

  hasRole(role: AppRole): boolean {
    return this.roles.has(role);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw)) {
      problems.push(`${name}: must be a whole number between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      problems.push(`${name}: must be between ${min} and ${max}, got ${value}`);
      return fallback;
    }
    return value;
  };

  const url = (name: string, fallback: string, protocols: string[]): string => {
    const raw = read(name) ?? fallback;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name}: must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      }
    } catch {
      problems.push(`${name}: not a valid URL`);
    }
    return raw;
  };

  const nodeEnv = read('NODE_ENV') ?? 'development';
  const databaseUrl = url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/hostwatch', [
    'postgres:',
    'postgresql:',
  ]);
  const redisUrl = url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']);

  const rolesRaw = read('APP_ROLES') ?? APP_ROLES.join(',');
  const roles = new Set<AppRole>();
  for (const part of rolesRaw.split(',').map((r) => r.trim().toLowerCase())) {
    if (part === '') continue;
    if ((APP_ROLES as readonly string[]).includes(part)) roles.add(part as AppRole);
    else problems.push(`APP_ROLES: unknown role "${part}" (allowed: ${APP_ROLES.join(', ')})`);
  }
  if (roles.size === 0 && !problems.some((p) => p.startsWith('APP_ROLES'))) {
    problems.push(`APP_ROLES: name at least one of ${APP_ROLES.join(', ')}`);
  }

  const queuePrefix = read('QUEUE_PREFIX') ?? 'hostwatch';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(queuePrefix)) {
    problems.push('QUEUE_PREFIX: 1-64 characters from letters, digits, "_", "." and "-"');
  }

  const probeConnectTimeoutMs = int('PROBE_CONNECT_TIMEOUT_MS', 5000, 100, 120000);
  const probeTimeoutMs = int('PROBE_TIMEOUT_MS', 10000, 100, 300000);
  if (probeConnectTimeoutMs > probeTimeoutMs) {
    problems.push('PROBE_CONNECT_TIMEOUT_MS: must not exceed PROBE_TIMEOUT_MS');
  }

  const credentialsKey = read('CREDENTIALS_KEY');
  if (nodeEnv === 'production' && credentialsKey === undefined) {
    problems.push(
      'CREDENTIALS_KEY: required when NODE_ENV=production (32 random bytes, base64 or hex: `openssl rand -base64 32`)',
    );
  }

  const logLevel = (read('LOG_LEVEL') ?? 'log').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL: one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const config = AppConfig.from({
    nodeEnv,
    isProduction: nodeEnv === 'production',
    databaseUrl,
    redisUrl,
    port: int('PORT', 3000, 0, 65535),
    roles,
    queuePrefix,
    workerConcurrency: int('WORKER_CONCURRENCY', 64, 1, 4096),
    workerProcesses: int('WORKER_PROCESSES', 1, 1, 64),
    schedulerTickMs: int('SCHEDULER_TICK_MS', 5000, 100, 3600000),
    schedulerBatchSize: int('SCHEDULER_BATCH_SIZE', 5000, 1, 100000),
    schedulerLeaseSeconds: int('SCHEDULER_LEASE_SECONDS', 300, 5, 86400),
    probeConnectTimeoutMs,
    probeTimeoutMs,
    jitWaitTimeoutMs: int('JIT_WAIT_TIMEOUT_MS', 15000, 100, 300000),
    credentialsKey,
    credentialsKeyFile: read('CREDENTIALS_KEY_FILE') ?? '.hostwatch/credentials.key',
    logLevel: logLevel as AppConfig['logLevel'],
    consoleDir: read('CONSOLE_DIR') ?? null,
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
