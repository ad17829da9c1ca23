// Layer 14 (Prometheus metrics): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, maintenance, monitoring, fleet, scheduler, events.
import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { HostsModule } from '../hosts/hosts.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { MetricsController } from './metrics.controller';
import { MetricsListener } from './metrics.listener';
import { MetricsService } from './metrics.service';

/** Prometheus metrics: GET /metrics on the main port (METRICS_TOKEN) or on METRICS_PORT. */
@Module({
  imports: [HostsModule, MonitoringModule, EventsModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsListener],
  exports: [MetricsService, MetricsListener],
})
export class MetricsModule {}
