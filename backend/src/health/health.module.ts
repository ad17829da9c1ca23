import { Module } from '@nestjs/common';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [MonitoringModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
