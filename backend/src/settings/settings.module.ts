// Layer 8 (domain, owns monitoring_settings): may import state-machine, common, config, database, audit, users, credentials.
import { Module } from '@nestjs/common';
import { MonitoringSettingsRepository } from './monitoring-settings.repository';
import { MonitoringSettingsService } from './monitoring-settings.service';

@Module({
  providers: [MonitoringSettingsRepository, MonitoringSettingsService],
  exports: [MonitoringSettingsService],
})
export class SettingsModule {}
