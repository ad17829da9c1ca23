import { INestApplication, INestApplicationContext, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import helmet from 'helmet';
import IORedis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { AppModule } from './app.module';
import { BEARER_SCHEME } from './common/auth/auth.decorators';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { Clock } from './common/clock';
import { rejectDeepJson } from './common/json-depth';
import { httpObserver } from './common/http-observer';
import { JsonLogger } from './common/json-logger';
import { PrettyLogger } from './common/pretty-logger';
import { requestContextMiddleware } from './common/request-context';
import { Telemetry } from './common/telemetry';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { resolveCredentialsKey } from './config/credentials-key';
import { resolveJwtSecret } from './config/jwt-secret';
import { redisOptions } from './config/redis-connection';
import { serveConsole } from './console/console-static';
import { createDataSource } from './data-source';
import { finishDocument, operationKey, OPERATIONS } from './openapi-operations';
import { printFirstAdminBanner } from './startup-banner';
import { UsersService } from './users/users.service';
import { ensureDatabase, runMigrations } from './database/ensure-database';

/** A startup fault that deserves one clear line, not a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/** Creates the database if needed and applies pending migrations. */
export async function prepareDatabase(config: AppConfig, logger: Logger): Promise<void> {
  try {
    if (await ensureDatabase(config.databaseUrl)) {
      const name = decodeURIComponent(new URL(config.databaseUrl).pathname.slice(1));
      logger.log(
        `Created the database '${name}' on ${where(config.databaseUrl)}; applying the migrations next`,
      );
    }
  } catch (error) {
    throw new StartupError(
      `Cannot reach PostgreSQL at ${where(config.databaseUrl)} (DATABASE_URL): ${(error as Error).message}. ` +
        'Start it (for example `pg_ctlcluster 15 main start`, or `docker compose -f docker/compose.yml up -d postgres`) or point DATABASE_URL at a running server.',
    );
  }
  const dataSource = createDataSource(config.databaseUrl, 2);
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
  } finally {
    await dataSource.destroy();
  }
}

export async function checkRedis(config: AppConfig): Promise<void> {
  const client = new IORedis({
    ...redisOptions(config),
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new StartupError(
      `Cannot reach Redis at ${where(config.redisUrl)} (REDIS_URL): ${(error as Error).message || 'connection failed'}. ` +
        'Start it (for example `redis-server --daemonize yes`, or `docker compose -f docker/compose.yml up -d redis`) or point REDIS_URL at a running server.',
    );
  } finally {
    client.disconnect();
  }
}

export function openApiConfig() {
  return (
    new DocumentBuilder()
      .setTitle('hostwatch')
      .setDescription(
        'SSH host-reachability monitoring: hosts, credentials, state machine, just-in-time checks.',
      )
      .setVersion('0.1.0')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          description:
            'An access token from POST /api/auth/login (or the OIDC callback), an API token (hwt_...), or a JWT from the configured OpenID provider',
        },
        BEARER_SCHEME,
      )
      // Relative: the document describes the server that serves it.
      .addServer('/', 'The hostwatch server that serves this document')
      .addTag('hosts', 'The inventory: hosts, their addresses, credentials and host keys')
      .addTag('credentials', 'SSH logins; their secrets are write-only')
      .addTag('monitoring', 'Checks, states, history, the policy, the scheduler and statistics')
      .addTag('alerts', 'Problems opened and resolved by checks, and their acknowledgement')
      .addTag('maintenance', 'Maintenance windows: planned times when hosts are not checked')
      .addTag('notifications', 'Channels, rules and deliveries of notifications')
      .addTag('events', 'The live event stream (Server-Sent Events)')
      .addTag('auth', 'Signing in and out, sessions and single sign-on')
      .addTag('tokens', 'API tokens for scripts and generated clients')
      .addTag('users', 'Local accounts and service accounts (admins)')
      .addTag('audit', 'Who changed what (admins)')
      .addTag('health', 'Liveness and readiness probes, without a token')
      .build()
  );
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, openApiConfig(), {
    // Stable, verb-first names (listHosts, checkHostConnectivity, ...): see OPERATIONS.
    operationIdFactory: (controller, method) => {
      const named = OPERATIONS[operationKey(controller, method)];
      if (!named) {
        throw new Error(
          `OpenAPI: ${controller}.${method} has no operationId; add it to backend/src/openapi-operations.ts`,
        );
      }
      return named.id;
    },
  });
  return finishDocument(document);
}

/**
 * Global prefix, request context, security headers, CORS (closed unless CORS_ORIGINS),
 * validation, error mapping, body limits, the OpenAPI UI and the console.
 */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  app.use(requestContextMiddleware);
  app.use(httpObserver(app.get(Telemetry), config.logFormat === 'json'));
  // No upgrade-insecure-requests: hostwatch is often reached over plain http on a private
  // network or behind a TLS proxy, and the OpenAPI UI's assets must still load.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  app.setGlobalPrefix('api', { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  // A bulk action may list up to 20,000 host ids (about 800 kB); every other body stays small.
  app.use('/api/hosts/bulk', json({ limit: '1mb' }));
  app.useBodyParser('json', { limit: '256kb' });
  app.use(rejectDeepJson);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The OpenAPI UI, its assets and the document are public, so a browser can open them: the
  // document is the committed openapi.json and holds no data. Every operation still needs its
  // bearer token, which the UI's Authorize box takes (kept across reloads in this browser).
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  serveConsole(app, config.consoleDir);
}

export interface StartedApp {
  app: INestApplicationContext;
  http: NestExpressApplication | null;
  url: string | null;
}

/** Everything `npm start` does after reading the config. */
/** Nest's logger for this process: JSON lines (LOG_FORMAT=json) or Nest's own at LOG_LEVEL. */
function appLogger(config: AppConfig): PrettyLogger | JsonLogger {
  if (config.logFormat === 'json') return new JsonLogger(config.logLevel);
  return new PrettyLogger(LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1));
}

export async function startApp(config: AppConfig, clock?: Clock): Promise<StartedApp> {
  const nestLogger = appLogger(config);
  Logger.overrideLogger(nestLogger);
  const logger = new Logger('hostwatch');
  await prepareDatabase(config, logger);
  await checkRedis(config);
  const credentialsKey = resolveCredentialsKey(config, (m) => logger.warn(m));
  // Only the API signs and checks tokens; other roles never see the secret.
  const jwtSecret = config.hasRole('api')
    ? resolveJwtSecret(config, (m) => logger.warn(m))
    : randomBytes(32);
  const module = AppModule.forRoot({ config, credentialsKey, jwtSecret, clock });
  const roles = [...config.roles].join(',');
  if (config.hasRole('worker') && config.jitConcurrency === 0 && !config.hasRole('jit-worker')) {
    logger.log('JIT_CONCURRENCY=0: JIT checks run in jit-worker processes, not in this one');
  }

  if (config.hasRole('api')) {
    const http = await NestFactory.create<NestExpressApplication>(module, {
      logger: nestLogger,
      bodyParser: false,
    });
    configureHttpApp(http, config);
    await http.listen(config.port);
    const address = http.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://127.0.0.1:${port}`;
    logger.log(`hostwatch (${roles}) listening on ${url}; API docs at ${url}/api/docs`);
    const admin = http.get(UsersService).takeGeneratedAdmin();
    if (admin) printFirstAdminBanner(admin, url, config.logFormat);
    return { app: http, http, url };
  }
  const app = await NestFactory.createApplicationContext(module, { logger: nestLogger });
  logger.log(`hostwatch (${roles}) started`);
  return { app, http: null, url: null };
}
