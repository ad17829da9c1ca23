import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MonitoringModule } from '../monitoring.module';
import { JitCheckProcessor, ScheduledCheckProcessor } from './check.processor';

/**
 * The BullMQ workers of this process, by its roles: `worker` runs scheduled checks, and JIT
 * checks too unless JIT_CONCURRENCY is 0; `jit-worker` runs JIT checks only, so they can have a
 * process whose event loop no scheduled backlog keeps busy.
 */
@Module({})
export class WorkerModule {
  static forRoles(options: { scheduled: boolean; jit: boolean }): DynamicModule {
    const providers: Provider[] = [];
    if (options.scheduled) providers.push(ScheduledCheckProcessor);
    if (options.jit) providers.push(JitCheckProcessor);
    return { module: WorkerModule, imports: [MonitoringModule], providers };
  }
}
