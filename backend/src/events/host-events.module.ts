import { Module } from '@nestjs/common';
import { HostEventsBus } from './host-events.bus';

/** Host lifecycle events between API processes: published by HostsService, streamed by /api/events. */
@Module({
  providers: [HostEventsBus],
  exports: [HostEventsBus],
})
export class HostEventsModule {}
