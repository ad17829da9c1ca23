// Layer 13 (live feed): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, maintenance, monitoring, scheduler.
import { Module } from '@nestjs/common';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { AlertsModule } from '../alerts/alerts.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { HostEventsModule } from '../hosts/host-events.module';

/** GET /api/events: the live feed the console listens to. */
@Module({
  imports: [MonitoringModule, HostEventsModule, AlertsModule],
  controllers: [EventsController],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
