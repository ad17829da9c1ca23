import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MonitoringModule } from '../monitoring.module';
import { AppConfig } from '../../config/app-config';
import { redisOptions } from '../../config/redis-connection';
import { jitCheckProcessor, scheduledCheckProcessor } from './check.processor';

/**
 * The BullMQ workers of this process, by its roles: `worker` runs scheduled checks, and JIT
 * checks too unless JIT_CONCURRENCY is 0; `jit-worker` runs JIT checks only, so they can have a
 * process whose event loop no scheduled backlog keeps busy.
 */
@Module({})
export class WorkerModule {
  static forRoles(options: { scheduled: boolean; jit: boolean; config: AppConfig }): DynamicModule {
    const providers: Provider[] = [];
    const connection = redisOptions(options.config);
    if (options.scheduled) providers.push(scheduledCheckProcessor(connection));
    if (options.jit) providers.push(jitCheckProcessor(connection));
    return { module: WorkerModule, imports: [MonitoringModule], providers };
  }
}
