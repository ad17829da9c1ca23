// Layer 13 (live feed): may import state-machine, common, config, database, audit, users, credentials, settings, hosts, auth, monitoring, scheduler.
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { JIT_QUEUE, MONITORING_QUEUE } from '../monitoring/queue/monitoring.constants';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { HostEventsModule } from '../hosts/host-events.module';

/** GET /api/events: the live feed the console listens to. */
@Module({
  imports: [
    BullModule.registerQueue({ name: MONITORING_QUEUE }, { name: JIT_QUEUE }),
    HostEventsModule,
  ],
  controllers: [EventsController],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
