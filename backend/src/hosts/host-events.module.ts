import { Module } from '@nestjs/common';
import { HostEventsBus } from './host-events.bus';

/**
 * Host lifecycle events between API processes: hosts publish their own (HostsService), and
 * the events module, above hosts, subscribes to stream them on /api/events.
 */
@Module({
  providers: [HostEventsBus],
  exports: [HostEventsBus],
})
export class HostEventsModule {}
