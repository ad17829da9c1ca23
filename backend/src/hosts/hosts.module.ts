import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { HostEventsModule } from '../events/host-events.module';
import { SettingsModule } from '../settings/settings.module';
import { HostsController } from './hosts.controller';
import { HostsRepository } from './hosts.repository';
import { HostsService } from './hosts.service';

@Module({
  imports: [CredentialsModule, SettingsModule, HostEventsModule, AlertsModule],
  controllers: [HostsController],
  providers: [HostsRepository, HostsService],
  exports: [HostsRepository, HostsService],
})
export class HostsModule {}
