// Layer 10.5 (domain, owns notification_*): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth.
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { ChannelTestService } from './channel-test.service';
import { ChannelsController } from './channels.controller';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';
import { DeliveryService } from './delivery.service';
import { DispatchRepository } from './dispatch.repository';
import { NotificationTransport } from './notification-transport';
import { RulesController } from './rules.controller';
import { RulesRepository } from './rules.repository';
import { RulesService } from './rules.service';

/**
 * Channels, rules and the delivery log (the API), and what sending needs in any process. The
 * dispatcher and the delivery queue's worker live in NotificationsWorkerModule.
 */
@Module({
  imports: [AlertsModule],
  controllers: [ChannelsController, RulesController, DeliveriesController],
  providers: [
    ChannelsRepository,
    RulesRepository,
    DeliveriesRepository,
    DispatchRepository,
    ChannelsService,
    RulesService,
    DeliveriesService,
    DeliveryService,
    ChannelTestService,
    NotificationTransport,
  ],
  exports: [
    ChannelsService,
    RulesRepository,
    DispatchRepository,
    DeliveryService,
    NotificationTransport,
  ],
})
export class NotificationsModule {}
