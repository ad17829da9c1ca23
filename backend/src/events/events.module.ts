import { Module } from '@nestjs/common';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { HostEventsModule } from './host-events.module';

/** GET /api/events: the live feed the console listens to. */
@Module({
  imports: [MonitoringModule, HostEventsModule],
  controllers: [EventsController],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
