import { Module } from '@nestjs/common';
import { MonitoringModule } from '../monitoring.module';
import { CheckProcessor } from './monitoring.processor';

/** Loaded only in processes with the worker role: registers the BullMQ worker. */
@Module({
  imports: [MonitoringModule],
  providers: [CheckProcessor],
})
export class WorkerModule {}
