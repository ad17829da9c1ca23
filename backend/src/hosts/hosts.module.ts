// Layer 9 (domain, owns hosts): may import state-machine, common, config, database, audit, users, credentials, settings, alerts.
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { SettingsModule } from '../settings/settings.module';
import { HostEventsModule } from './host-events.module';
import { HostsController } from './hosts.controller';
import { HostImportService } from './host-import.service';
import { HostsExportService } from './hosts-export.service';
import { HostStateChangesRepository } from './host-state-changes.repository';
import { HostsTransferController } from './hosts-transfer.controller';
import { HostsRepository } from './hosts.repository';
import { HostStatusRepository } from './host-status.repository';
import { HostsService } from './hosts.service';

@Module({
  imports: [CredentialsModule, SettingsModule, HostEventsModule, AlertsModule],
  // The transfer routes first: GET /hosts/export must win over GET /hosts/:id.
  controllers: [HostsTransferController, HostsController],
  providers: [
    HostsRepository,
    HostStatusRepository,
    HostsService,
    HostImportService,
    HostsExportService,
    HostStateChangesRepository,
  ],
  exports: [HostsRepository, HostStatusRepository, HostsService, HostStateChangesRepository],
})
export class HostsModule {}
