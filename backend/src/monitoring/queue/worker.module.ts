import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MonitoringModule } from '../monitoring.module';
import { AppConfig } from '../../config/app-config';
import { redisOptions } from '../../config/redis-connection';
import {
  JIT_CHECK_WORKER,
  SCHEDULED_CHECK_WORKER,
  jitCheckProcessor,
  scheduledCheckProcessor,
} from './check.processor';

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
    if (options.scheduled) {
      const worker = scheduledCheckProcessor(connection);
      providers.push(worker, { provide: SCHEDULED_CHECK_WORKER, useExisting: worker });
    }
    if (options.jit) {
      const worker = jitCheckProcessor(connection);
      providers.push(worker, { provide: JIT_CHECK_WORKER, useExisting: worker });
    }
    return { module: WorkerModule, imports: [MonitoringModule], providers };
  }
}
