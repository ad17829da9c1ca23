// Layer 8.5 (domain, owns alerts and alert_events): may import state-machine, common, config, database, audit, users, credentials, settings.
import { Module } from '@nestjs/common';
import { AlertEventsBus } from './alert-events.bus';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

/**
 * Problems (alerts) and their outbox. Applying a check result calls
 * AlertsRepository.recordTransitions in its transaction; the notifications dispatcher takes
 * the outbox through AlertsRepository.takeUndispatched.
 */
@Module({
  controllers: [AlertsController],
  providers: [AlertsRepository, AlertsService, AlertEventsBus],
  exports: [AlertsRepository, AlertsService, AlertEventsBus],
})
export class AlertsModule {}
