// Layer 10.5 (domain, owns maintenance_windows): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth.
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { HostEventsModule } from '../hosts/host-events.module';
import { HostsModule } from '../hosts/hosts.module';
import { SettingsModule } from '../settings/settings.module';
import { MaintenanceScheduleService } from './maintenance-schedule.service';
import { MaintenanceWindowsController } from './maintenance-windows.controller';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { MaintenanceWindowsService } from './maintenance-windows.service';

/**
 * Maintenance windows (the API) and applying them to hosts (MaintenanceScheduleService), which
 * the scheduler runs every tick.
 */
@Module({
  imports: [AlertsModule, HostsModule, HostEventsModule, SettingsModule],
  controllers: [MaintenanceWindowsController],
  providers: [MaintenanceWindowsRepository, MaintenanceWindowsService, MaintenanceScheduleService],
  exports: [MaintenanceScheduleService],
})
export class MaintenanceModule {}
