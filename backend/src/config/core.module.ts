// Layer 3 (configuration and core providers): may import state-machine, common.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { SecretBox } from '../common/secret-box';
import { Telemetry } from '../common/telemetry';
import { JWT_SIGNING_KEY, SECRET_BOX } from '../common/tokens';
import { AppConfig } from './app-config';
import { DependencyStatus } from './dependency-status';
import { describeRedis } from './redis-connection';

/** Process-wide values every module may inject: the config, the clock, the secret box, the
 * token-signing key, the process's metrics registry (Telemetry), and what this process knows
 * of its dependencies (DependencyStatus). */
@Global()
@Module({})
export class CoreModule {
  static forRoot(
    config: AppConfig,
    credentialsKey: Buffer,
    jwtSecret: Buffer,
    clock: Clock = new SystemClock(),
  ): DynamicModule {
    const dependencies = new DependencyStatus(clock);
    dependencies.describe('redis', describeRedis(config));
    dependencies.describe('database', describeDatabase(config.databaseUrl));
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: SECRET_BOX, useValue: new SecretBox(credentialsKey) },
        { provide: JWT_SIGNING_KEY, useValue: jwtSecret },
        { provide: Telemetry, useValue: new Telemetry() },
        { provide: DependencyStatus, useValue: dependencies },
      ],
      exports: [AppConfig, Clock, SECRET_BOX, JWT_SIGNING_KEY, Telemetry, DependencyStatus],
    };
  }
}

/** "PostgreSQL at db.example:5432/hostwatch", for logs (no credentials). */
function describeDatabase(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
