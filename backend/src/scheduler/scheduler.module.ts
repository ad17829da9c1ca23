// Layer 12 (cron that only enqueues): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, monitoring, fleet.
import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HostsModule } from '../hosts/hosts.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { SettingsModule } from '../settings/settings.module';
import { DueChecksProducer } from './due-checks.producer';
import { MaintenanceWindows } from './maintenance-windows';
import { SchedulerService } from './scheduler.service';

/** Loaded only in processes with the scheduler role. */
@Module({
  imports: [ScheduleModule.forRoot(), HostsModule, MonitoringModule, SettingsModule],
  providers: [DueChecksProducer, MaintenanceWindows, SchedulerService],
  exports: [SchedulerService, DueChecksProducer],
})
export class SchedulerModule {}
