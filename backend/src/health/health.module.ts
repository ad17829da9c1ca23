// Layer 14 (health check): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, maintenance, monitoring, fleet, scheduler, events.
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  // Terminus's own failure log is off: HealthService logs readiness changes once each.
  imports: [MonitoringModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthService],
  exports: [HealthService],
})
export class HealthModule {}
