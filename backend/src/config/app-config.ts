import { isIPv4, isIPv6 } from 'node:net';
import { USER_ROLES, type UserRole } from '../common/auth/roles';

/**
 * The one place that reads the environment. `loadConfig` validates every variable and
 * returns a typed, frozen AppConfig; a bad value stops boot with a message naming it.
 */
export const APP_ROLES = ['api', 'scheduler', 'worker', 'jit-worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];
/**
 * The roles of a process when APP_ROLES is not set: everything. `worker` runs scheduled and
 * JIT checks, so `jit-worker` (JIT checks only) is for a process of its own.
 */
export const DEFAULT_APP_ROLES: readonly AppRole[] = ['api', 'scheduler', 'worker'];

/** One CIDR block: an address family, a network address and a prefix length. */
export interface Cidr {
  family: 'ipv4' | 'ipv6';
  network: string;
  prefix: number;
}

/** NOTIFY_ALLOWED_HOSTS: the destinations notifications may go to. */
export interface NotifyAllowedHosts {
  /** Host names, lower case; `*.example.com` matches any name under example.com. */
  names: readonly string[];
  cidrs: readonly Cidr[];
}

/** A host and port, as REDIS_SENTINELS lists them. */
export interface HostPort {
  host: string;
  port: number;
}

/** OpenID Connect settings; absent when OIDC_ISSUER is not set. */
export interface OidcConfig {
  issuer: string;
  audience: string;
  roleClaim: string;
  /** Claim value -> role; the highest role any value maps to wins. */
  roleMap: ReadonlyMap<string, UserRole>;
  usernameClaim: string;
  jwksCacheSeconds: number;
  /** For the console's authorization-code + PKCE login; absent without OIDC_CLIENT_ID. */
  clientId: string | undefined;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  scopes: string;
}

/** SSO-proxy mode; absent when AUTH_PROXY_HEADER is not set. */
export interface AuthProxyConfig {
  header: string;
  trustedProxies: readonly Cidr[];
  defaultRole: UserRole;
}

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
  /**
   * Redis Sentinels to ask for the current primary (REDIS_SENTINELS); empty: connect to
   * REDIS_URL's host directly. With sentinels, REDIS_URL still gives the password, user, db
   * and TLS of the primary.
   */
  readonly redisSentinels!: readonly HostPort[];
  /** The primary's name as the sentinels know it (REDIS_SENTINEL_NAME); null without sentinels. */
  readonly redisSentinelName!: string | null;
  readonly port!: number;
  readonly roles!: ReadonlySet<AppRole>;
  readonly queuePrefix!: string;
  readonly workerConcurrency!: number;
  /** Worker slots per worker process kept for JIT checks (their own queue). */
  readonly jitConcurrency!: number;
  /** Worker processes on this machine (this one included) when the worker role runs. */
  readonly workerProcesses!: number;
  /**
   * CPU scheduling priority (nice) taken by a process whose only role is `worker`: scheduled
   * probes then yield a saturated CPU to the API and to JIT checks.
   */
  readonly workerNice!: number;
  readonly schedulerTickMs!: number;
  readonly schedulerBatchSize!: number;
  readonly schedulerLeaseSeconds!: number;
  /** Hosts of one priority that share a scheduled job, at most. */
  readonly schedulerChecksPerJob!: number;
  readonly probeConnectTimeoutMs!: number;
  readonly probeTimeoutMs!: number;
  readonly jitWaitTimeoutMs!: number;
  /** Raw CREDENTIALS_KEY, if set (base64 or hex of 32 bytes); resolved by credentials-key.ts. */
  readonly credentialsKey!: string | undefined;
  readonly credentialsKeyFile!: string;
  readonly logLevel!: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** json: one JSON object per line (for log pipelines); pretty: Nest's coloured text. */
  readonly logFormat!: 'json' | 'pretty';
  /** Folder of the built console (index.html and assets), served at `/`; null: the default. */
  readonly consoleDir!: string | null;
  /** Raw JWT_SECRET, if set; resolved (or generated outside production) by jwt-secret.ts. */
  readonly jwtSecret!: string | undefined;
  readonly jwtSecretFile!: string;
  readonly accessTokenTtlSeconds!: number;
  readonly refreshTokenTtlSeconds!: number;
  /** Days an expired or revoked login session (and its refresh tokens) is kept before deletion. */
  readonly authRetentionDays!: number;
  readonly adminUsername!: string;
  readonly adminPassword!: string | undefined;
  readonly oidc!: OidcConfig | undefined;
  readonly authProxy!: AuthProxyConfig | undefined;
  readonly loginRateLimitPerMinute!: number;
  readonly jitRateLimitPerMinute!: number;
  /** The largest host import accepted, in bytes; past it a 413. */
  readonly importMaxBytes!: number;
  /** Days of check history kept (the policy may say otherwise); older rows are deleted. */
  readonly historyRetentionDays!: number;
  /** Days of state changes kept, for uptime and SLA reports; longer than history. */
  readonly rollupRetentionDays!: number;
  /** Origins allowed by CORS; empty: CORS closed (no CORS headers at all). */
  readonly corsOrigins!: readonly string[];
  /** Networks hosts may be in; empty: any address. */
  readonly probeAllowedCidrs!: readonly Cidr[];
  /**
   * Where notifications may be sent; null: anywhere except link-local and cloud-metadata
   * addresses (which are refused unless listed here).
   */
  readonly notifyAllowedHosts!: NotifyAllowedHosts | null;
  /** The console's address as receivers should link to it; null: messages carry no links. */
  readonly notifyConsoleUrl!: string | null;
  /** How long a message is retried before it is marked failed. */
  readonly notifyRetryHours!: number;
  /** First retry delay; each next one doubles (with jitter), up to notifyRetryMaxMs. */
  readonly notifyRetryBaseMs!: number;
  readonly notifyRetryMaxMs!: number;
  /** Deadline of one delivery attempt (HTTP request or SMTP conversation). */
  readonly notifyTimeoutMs!: number;
  /** Deliveries in flight per worker process (their own slots, apart from checks). */
  readonly notifyConcurrency!: number;
  /** How often a worker process's dispatcher moves outbox rows into groups and messages. */
  readonly notifyDispatchIntervalMs!: number;
  /** How often open alerts are re-sent to Alertmanager channels (it expects re-sends). */
  readonly notifyAlertmanagerResendSeconds!: number;

  /**
   * Bearer token that GET /metrics on the main port requires; undefined: /metrics is not served
   * there (only on METRICS_PORT, if set).
   */
  readonly metricsToken!: string | undefined;
  /** A listener of its own for /metrics; null: none. */
  readonly metricsPort!: number | null;
  readonly metricsHost!: string;
  /** How long in-flight work may take to finish after SIGTERM before it is cut off. */
  readonly shutdownGraceMs!: number;
  /** 0 for the process `npm start` runs; 1..N-1 for the workers WORKER_PROCESSES starts. */
  readonly workerSlot!: number;

  static from(values: Omit<AppConfig, 'hasRole'>): AppConfig {
    return Object.freeze(Object.assign(new AppConfig(), values));
  }

  hasRole(role: AppRole): boolean {
    return this.roles.has(role);
  }
}

/** Usernames: what login forms, proxies and IdPs commonly use, nothing that needs escaping. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}$/;
export const USERNAME_RULE =
  '1-100 characters from letters, digits, ".", "_", "@", "+" and "-", starting with a letter or digit';

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/** Parses `host:port` or `[v6]:port`; null if malformed. */
export function parseHostPort(text: string): HostPort | null {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  const host = match[1] ?? match[2];
  if (match[1] !== undefined && !isIPv6(host)) return null;
  return { host, port };
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address (a /32 or /128); null if malformed. */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || !address) return null;
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (!family) return null;
  const max = family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { family, network: address, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { family, network: address, prefix: Number(prefixText) };
}

/**
 * `stdoutIsTty` decides LOG_FORMAT's default: pretty on a terminal, JSON lines otherwise (a
 * container, a service manager, a pipe).
 */
export function loadConfig(
  env: Env = process.env,
  { stdoutIsTty = process.stdout.isTTY === true }: { stdoutIsTty?: boolean } = {},
): AppConfig {
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

  const redisSentinels: HostPort[] = [];
  for (const part of (read('REDIS_SENTINELS') ?? '').split(',')) {
    if (part.trim() === '') continue;
    const parsed = parseHostPort(part);
    if (parsed) redisSentinels.push(parsed);
    else
      problems.push(
        `REDIS_SENTINELS: "${part.trim()}" is not host:port (e.g. "10.0.0.5:26379,10.0.0.6:26379,10.0.0.7:26379")`,
      );
  }
  const redisSentinelName = read('REDIS_SENTINEL_NAME') ?? null;
  if (redisSentinelName !== null && !/^[A-Za-z0-9_.-]{1,128}$/.test(redisSentinelName)) {
    problems.push(
      'REDIS_SENTINEL_NAME: 1-128 characters from letters, digits, "_", "." and "-" (the name in `sentinel monitor <name> ...`)',
    );
  }
  if (redisSentinelName !== null && read('REDIS_SENTINELS') === undefined) {
    problems.push(
      "REDIS_SENTINELS: required with REDIS_SENTINEL_NAME (the sentinels' host:port list)",
    );
  }
  if (redisSentinelName === null && read('REDIS_SENTINELS') !== undefined) {
    problems.push(
      "REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the primary's name in `sentinel monitor <name> ...`)",
    );
  }

  const rolesRaw = read('APP_ROLES') ?? DEFAULT_APP_ROLES.join(',');
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

  const logFormat = (read('LOG_FORMAT') ?? (stdoutIsTty ? 'pretty' : 'json')).toLowerCase();
  if (logFormat !== 'json' && logFormat !== 'pretty') {
    problems.push(`LOG_FORMAT: json or pretty, got "${logFormat}"`);
  }

  const list = (name: string): string[] =>
    (read(name) ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  const cidrs = (name: string): Cidr[] =>
    list(name).flatMap((part) => {
      const cidr = parseCidr(part);
      if (!cidr)
        problems.push(`${name}: "${part}" is not an address or CIDR block (10.0.0.0/8, fd00::/8)`);
      return cidr ? [cidr] : [];
    });
  const role = (name: string, fallback: UserRole): UserRole => {
    const raw = (read(name) ?? fallback).toLowerCase();
    if ((USER_ROLES as readonly string[]).includes(raw)) return raw as UserRole;
    problems.push(`${name}: one of ${USER_ROLES.join(', ')}, got "${raw}"`);
    return fallback;
  };

  const jwtSecret = read('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    problems.push('JWT_SECRET: at least 32 characters (`openssl rand -base64 32`)');
  }
  if (nodeEnv === 'production' && jwtSecret === undefined && roles.has('api')) {
    problems.push(
      'JWT_SECRET: required when NODE_ENV=production with the api role (at least 32 random characters: `openssl rand -base64 32`)',
    );
  }
  const adminUsername = read('ADMIN_USERNAME') ?? 'admin';
  if (!USERNAME_PATTERN.test(adminUsername)) {
    problems.push(`ADMIN_USERNAME: ${USERNAME_RULE}`);
  }
  const adminPassword =
    env.ADMIN_PASSWORD === undefined || env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD;
  if (adminPassword !== undefined && (adminPassword.length < 12 || adminPassword.length > 256)) {
    problems.push('ADMIN_PASSWORD: between 12 and 256 characters');
  }

  let oidc: OidcConfig | undefined;
  const issuer = read('OIDC_ISSUER');
  if (issuer !== undefined) {
    url('OIDC_ISSUER', issuer, ['https:', 'http:']);
    const audience = read('OIDC_AUDIENCE');
    if (audience === undefined) {
      problems.push(
        'OIDC_AUDIENCE: required with OIDC_ISSUER (the audience your IdP puts in tokens for hostwatch)',
      );
    }
    const roleMap = new Map<string, UserRole>();
    for (const pair of list('OIDC_ROLE_MAP')) {
      const cut = pair.lastIndexOf(':');
      const value = pair.slice(0, cut).trim();
      const mapped = pair
        .slice(cut + 1)
        .trim()
        .toLowerCase();
      if (cut <= 0 || !(USER_ROLES as readonly string[]).includes(mapped)) {
        problems.push(
          `OIDC_ROLE_MAP: "${pair}" is not claim-value:role with a role among ${USER_ROLES.join(', ')} (e.g. "ops-admins:admin,ops:operator")`,
        );
      } else roleMap.set(value, mapped as UserRole);
    }
    if (roleMap.size === 0 && !problems.some((p) => p.startsWith('OIDC_ROLE_MAP'))) {
      problems.push(
        'OIDC_ROLE_MAP: required with OIDC_ISSUER, e.g. "ops-admins:admin,ops:operator,staff:viewer"',
      );
    }
    const clientId = read('OIDC_CLIENT_ID');
    const redirectUri = read('OIDC_REDIRECT_URI');
    if (clientId !== undefined && redirectUri === undefined) {
      problems.push(
        'OIDC_REDIRECT_URI: required with OIDC_CLIENT_ID (https://hostwatch.example/api/auth/oidc/callback)',
      );
    }
    if (redirectUri !== undefined) url('OIDC_REDIRECT_URI', redirectUri, ['https:', 'http:']);
    oidc = {
      issuer,
      audience: audience ?? '',
      roleClaim: read('OIDC_ROLE_CLAIM') ?? 'groups',
      roleMap,
      usernameClaim: read('OIDC_USERNAME_CLAIM') ?? 'preferred_username',
      jwksCacheSeconds: int('OIDC_JWKS_CACHE_SECONDS', 600, 1, 86400),
      clientId,
      clientSecret: read('OIDC_CLIENT_SECRET'),
      redirectUri,
      scopes: read('OIDC_SCOPES') ?? 'openid profile email',
    };
  }

  let authProxy: AuthProxyConfig | undefined;
  const proxyHeader = read('AUTH_PROXY_HEADER');
  if (proxyHeader !== undefined) {
    if (!/^[A-Za-z0-9-]{1,100}$/.test(proxyHeader)) {
      problems.push(
        'AUTH_PROXY_HEADER: a header name (letters, digits and "-"), e.g. X-Forwarded-User',
      );
    }
    const trustedProxies = cidrs('AUTH_TRUSTED_PROXIES');
    if (
      trustedProxies.length === 0 &&
      !problems.some((p) => p.startsWith('AUTH_TRUSTED_PROXIES'))
    ) {
      problems.push(
        'AUTH_TRUSTED_PROXIES: required with AUTH_PROXY_HEADER: the addresses or CIDRs of your authenticating proxies',
      );
    }
    authProxy = {
      header: proxyHeader.toLowerCase(),
      trustedProxies,
      defaultRole: role('AUTH_PROXY_DEFAULT_ROLE', 'viewer'),
    };
  }

  const corsOrigins = list('CORS_ORIGINS');
  for (const origin of corsOrigins) {
    let ok = false;
    try {
      const parsed = new URL(origin);
      ok =
        (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.origin === origin;
    } catch {
      ok = false;
    }
    if (!ok)
      problems.push(`CORS_ORIGINS: "${origin}" is not an origin like https://console.example.com`);
  }

  // 0: this process's worker role leaves JIT checks to jit-worker processes.
  const jitConcurrency = int('JIT_CONCURRENCY', 16, 0, 1024);
  if (jitConcurrency === 0 && roles.has('jit-worker')) {
    problems.push('JIT_CONCURRENCY: 0 leaves the jit-worker role nothing to run; use 1 or more');
  }

  let notifyAllowedHosts: NotifyAllowedHosts | null = null;
  if (read('NOTIFY_ALLOWED_HOSTS') !== undefined) {
    const names: string[] = [];
    const allowedCidrs: Cidr[] = [];
    for (const part of list('NOTIFY_ALLOWED_HOSTS')) {
      const cidr = parseCidr(part);
      if (cidr) allowedCidrs.push(cidr);
      else if (
        /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(
          part,
        )
      )
        names.push(part.toLowerCase());
      else
        problems.push(
          `NOTIFY_ALLOWED_HOSTS: "${part}" is not a host name, *.domain, address or CIDR block (hooks.slack.com, *.example.com, 10.0.0.0/8)`,
        );
    }
    notifyAllowedHosts = { names, cidrs: allowedCidrs };
  }
  let notifyConsoleUrl: string | null = null;
  const consoleUrl = read('NOTIFY_CONSOLE_URL');
  if (consoleUrl !== undefined) {
    url('NOTIFY_CONSOLE_URL', consoleUrl, ['https:', 'http:']);
    notifyConsoleUrl = consoleUrl.replace(/\/+$/, '');
  }
  const notifyRetryBaseMs = int('NOTIFY_RETRY_BASE_MS', 10000, 10, 3600000);
  const notifyRetryMaxMs = int('NOTIFY_RETRY_MAX_MS', 600000, 10, 86400000);
  if (notifyRetryBaseMs > notifyRetryMaxMs) {
    problems.push('NOTIFY_RETRY_BASE_MS: must not exceed NOTIFY_RETRY_MAX_MS');
  }

  const metricsToken = read('METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,256}$/.test(metricsToken)) {
    problems.push(
      'METRICS_TOKEN: 16-256 printable characters without spaces (`openssl rand -hex 24`)',
    );
  }
  const metricsPortRaw = read('METRICS_PORT');
  const metricsPort = metricsPortRaw === undefined ? null : int('METRICS_PORT', 0, 0, 65535);
  const metricsHost = read('METRICS_HOST') ?? '127.0.0.1';
  if (!isIPv4(metricsHost) && !isIPv6(metricsHost) && metricsHost !== 'localhost') {
    problems.push(
      `METRICS_HOST: an address to listen on (127.0.0.1, 0.0.0.0, ::), got "${metricsHost}"`,
    );
  }

  const config = AppConfig.from({
    nodeEnv,
    isProduction: nodeEnv === 'production',
    databaseUrl,
    redisUrl,
    redisSentinels,
    redisSentinelName,
    port: int('PORT', 3000, 0, 65535),
    roles,
    queuePrefix,
    workerConcurrency: int('WORKER_CONCURRENCY', 64, 1, 4096),
    jitConcurrency,
    workerProcesses: int('WORKER_PROCESSES', 1, 1, 64),
    workerNice: int('WORKER_NICE', 0, 0, 19),
    schedulerTickMs: int('SCHEDULER_TICK_MS', 1000, 100, 3600000),
    schedulerBatchSize: int('SCHEDULER_BATCH_SIZE', 5000, 1, 100000),
    schedulerLeaseSeconds: int('SCHEDULER_LEASE_SECONDS', 300, 5, 86400),
    schedulerChecksPerJob: int('SCHEDULER_CHECKS_PER_JOB', 16, 1, 256),
    probeConnectTimeoutMs,
    probeTimeoutMs,
    jitWaitTimeoutMs: int('JIT_WAIT_TIMEOUT_MS', 15000, 100, 300000),
    credentialsKey,
    credentialsKeyFile: read('CREDENTIALS_KEY_FILE') ?? '.hostwatch/credentials.key',
    logLevel: logLevel as AppConfig['logLevel'],
    logFormat: logFormat === 'json' ? 'json' : 'pretty',
    consoleDir: read('CONSOLE_DIR') ?? null,
    jwtSecret,
    jwtSecretFile: read('JWT_SECRET_FILE') ?? '.hostwatch/jwt.secret',
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
    refreshTokenTtlSeconds: int('REFRESH_TOKEN_TTL_SECONDS', 1209600, 60, 31536000),
    authRetentionDays: int('AUTH_RETENTION_DAYS', 30, 1, 3650),
    adminUsername,
    adminPassword,
    oidc,
    authProxy,
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 100000),
    jitRateLimitPerMinute: int('JIT_RATE_LIMIT_PER_MINUTE', 60, 1, 100000),
    importMaxBytes: int('IMPORT_MAX_BYTES', 50 * 1024 * 1024, 1, 2 ** 31 - 1),
    historyRetentionDays: int('HISTORY_RETENTION_DAYS', 90, 1, 36500),
    rollupRetentionDays: int('ROLLUP_RETENTION_DAYS', 400, 1, 36500),
    corsOrigins,
    probeAllowedCidrs: cidrs('PROBE_ALLOWED_CIDRS'),
    notifyAllowedHosts,
    notifyConsoleUrl,
    notifyRetryHours: int('NOTIFY_RETRY_HOURS', 24, 1, 720),
    notifyRetryBaseMs,
    notifyRetryMaxMs,
    notifyTimeoutMs: int('NOTIFY_TIMEOUT_MS', 10000, 100, 120000),
    notifyConcurrency: int('NOTIFY_CONCURRENCY', 8, 1, 256),
    notifyDispatchIntervalMs: int('NOTIFY_DISPATCH_INTERVAL_MS', 500, 20, 60000),
    notifyAlertmanagerResendSeconds: int('NOTIFY_ALERTMANAGER_RESEND_SECONDS', 60, 5, 3600),
    metricsToken,
    metricsPort,
    metricsHost,
    workerSlot: int('HOSTWATCH_WORKER_SLOT', 0, 0, 64),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 15000, 0, 600000),
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
