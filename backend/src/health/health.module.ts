// Layer 14 (health check): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, maintenance, monitoring, fleet, scheduler, events.
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
