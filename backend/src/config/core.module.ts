import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { SECRET_BOX } from '../credentials/credentials.service';
import { SecretBox } from '../credentials/secret-box';
import { AppConfig } from './app-config';

/** Process-wide values every module may inject: the config, the clock, the secret box. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(
    config: AppConfig,
    credentialsKey: Buffer,
    clock: Clock = new SystemClock(),
  ): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: SECRET_BOX, useValue: new SecretBox(credentialsKey) },
      ],
      exports: [AppConfig, Clock, SECRET_BOX],
    };
  }
}
