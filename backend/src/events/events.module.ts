import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { JIT_QUEUE, MONITORING_QUEUE } from '../monitoring/queue/monitoring.constants';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { HostEventsModule } from './host-events.module';

/** GET /api/events: the live feed the console listens to. */
@Module({
  imports: [
    BullModule.registerQueue({ name: MONITORING_QUEUE }, { name: JIT_QUEUE }),
    HostEventsModule,
    AlertsModule,
  ],
  controllers: [EventsController],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
