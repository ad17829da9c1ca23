import { Module } from '@nestjs/common';
import { MonitoringSettingsRepository } from './monitoring-settings.repository';
import { MonitoringSettingsService } from './monitoring-settings.service';

@Module({
  providers: [MonitoringSettingsRepository, MonitoringSettingsService],
  exports: [MonitoringSettingsService],
})
export class SettingsModule {}
