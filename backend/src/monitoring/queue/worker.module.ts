import { Module } from '@nestjs/common';
import { MonitoringModule } from '../monitoring.module';
import { JitCheckProcessor } from './jit.processor';
import { CheckProcessor } from './monitoring.processor';

/** Loaded only in processes with the worker role: the BullMQ workers of both check queues. */
@Module({
  imports: [MonitoringModule],
  providers: [CheckProcessor, JitCheckProcessor],
})
export class WorkerModule {}
