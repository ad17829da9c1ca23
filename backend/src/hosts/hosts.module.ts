import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { HostEventsModule } from '../events/host-events.module';
import { SettingsModule } from '../settings/settings.module';
import { HostsController } from './hosts.controller';
import { HostsRepository } from './hosts.repository';
import { HostStatusRepository } from './host-status.repository';
import { HostsService } from './hosts.service';

@Module({
  imports: [CredentialsModule, SettingsModule, HostEventsModule],
  controllers: [HostsController],
  providers: [HostsRepository, HostStatusRepository, HostsService],
  exports: [HostsRepository, HostStatusRepository, HostsService],
})
export class HostsModule {}
