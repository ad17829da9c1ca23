import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { HostsModule } from '../hosts/hosts.module';
import { SettingsModule } from '../settings/settings.module';
import { CheckResultRepository } from './check-result.repository';
import { CheckResultService } from './check-result.service';
import { CheckRunnerService } from './check-runner.service';
import { MonitoringController } from './monitoring.controller';
import { MonitoringRepository } from './monitoring.repository';
import { MonitoringService } from './monitoring.service';
import { Ssh2Probe } from './probe/ssh2-probe.adapter';
import { SSH_PROBE } from './probe/probe.types';
import { CheckWaiter } from './queue/check-waiter';
import { JIT_QUEUE, MONITORING_QUEUE } from './queue/monitoring.constants';
import { MonitoringProducer } from './queue/monitoring.producer';

/** The queues, the check pipeline and the monitoring API. The workers live in WorkerModule. */
@Module({
  imports: [
    BullModule.registerQueue({ name: MONITORING_QUEUE }, { name: JIT_QUEUE }),
    HostsModule,
    CredentialsModule,
    SettingsModule,
    AlertsModule,
  ],
  controllers: [MonitoringController],
  providers: [
    MonitoringService,
    MonitoringRepository,
    MonitoringProducer,
    CheckWaiter,
    CheckResultRepository,
    CheckResultService,
    CheckRunnerService,
    { provide: SSH_PROBE, useClass: Ssh2Probe },
  ],
  exports: [MonitoringProducer, CheckRunnerService, CheckResultService],
})
export class MonitoringModule {}
