import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AlertsModule } from '../../alerts/alerts.module';
import { NotificationsModule } from '../notifications.module';
import { RemindersRepository } from '../reminders.repository';
import { NotificationDispatcher } from './dispatcher.service';
import { NOTIFICATIONS_QUEUE } from './notifications.constants';
import { NotificationsProcessor } from './notifications.processor';
import { NotificationsProducer } from './notifications.producer';
import { NotificationsPeriodic } from './periodic.service';

/**
 * What runs in worker processes: the dispatcher (outbox -> groups -> messages -> jobs) and the
 * notifications queue's worker (deliveries, the sweeper, the Alertmanager re-send).
 */
@Module({
  imports: [
    BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE }),
    NotificationsModule,
    AlertsModule,
  ],
  providers: [
    RemindersRepository,
    NotificationsProducer,
    NotificationDispatcher,
    NotificationsProcessor,
    NotificationsPeriodic,
  ],
  exports: [NotificationDispatcher, NotificationsPeriodic, NotificationsProducer],
})
export class NotificationsWorkerModule {}
