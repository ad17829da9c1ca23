// Layer 9 (domain, owns hosts): may import state-machine, common, config, database, audit, users, credentials, settings, alerts.
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { SettingsModule } from '../settings/settings.module';
import { HostEventsModule } from './host-events.module';
import { HostsController } from './hosts.controller';
import { HostsRepository } from './hosts.repository';
import { HostStatusRepository } from './host-status.repository';
import { HostsService } from './hosts.service';

@Module({
  imports: [CredentialsModule, SettingsModule, HostEventsModule, AlertsModule],
  controllers: [HostsController],
  providers: [HostsRepository, HostStatusRepository, HostsService],
  exports: [HostsRepository, HostStatusRepository, HostsService],
})
export class HostsModule {}
