// Layer 3 (configuration and core providers): may import state-machine, common.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { SecretBox } from '../common/secret-box';
import { Telemetry } from '../common/telemetry';
import { JWT_SIGNING_KEY, SECRET_BOX } from '../common/tokens';
import { AppConfig } from './app-config';

/** Process-wide values every module may inject: the config, the clock, the secret box, the
 * token-signing key, and the process's metrics registry (Telemetry). */
@Global()
@Module({})
export class CoreModule {
  static forRoot(
    config: AppConfig,
    credentialsKey: Buffer,
    jwtSecret: Buffer,
    clock: Clock = new SystemClock(),
  ): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: SECRET_BOX, useValue: new SecretBox(credentialsKey) },
        { provide: JWT_SIGNING_KEY, useValue: jwtSecret },
        { provide: Telemetry, useValue: new Telemetry() },
      ],
      exports: [AppConfig, Clock, SECRET_BOX, JWT_SIGNING_KEY, Telemetry],
    };
  }
}
