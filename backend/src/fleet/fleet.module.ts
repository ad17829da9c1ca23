// Layer 11.5 (fleet operations: bulk actions): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, maintenance, monitoring.
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { HostEventsModule } from '../hosts/host-events.module';
import { HostsModule } from '../hosts/hosts.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { SettingsModule } from '../settings/settings.module';
import { BulkHostsController } from './bulk-hosts.controller';
import { BulkHostsService } from './bulk-hosts.service';

/** Actions on many hosts at once; they need the check queues, so they sit above monitoring. */
@Module({
  imports: [
    HostsModule,
    HostEventsModule,
    MonitoringModule,
    CredentialsModule,
    SettingsModule,
    AlertsModule,
  ],
  controllers: [BulkHostsController],
  providers: [BulkHostsService],
})
export class FleetModule {}
