// Layer 12 (cron that only enqueues): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, maintenance, monitoring.
import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HostsModule } from '../hosts/hosts.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { SettingsModule } from '../settings/settings.module';
import { DueChecksProducer } from './due-checks.producer';
import { SchedulerService } from './scheduler.service';

/** Loaded only in processes with the scheduler role. */
@Module({
  imports: [
    ScheduleModule.forRoot(),
    HostsModule,
    MaintenanceModule,
    MonitoringModule,
    SettingsModule,
  ],
  providers: [DueChecksProducer, SchedulerService],
  exports: [SchedulerService, DueChecksProducer],
})
export class SchedulerModule {}
