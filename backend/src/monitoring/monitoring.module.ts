// Layer 11 (probe, queue, apply; owns host_check_history): may import state-machine, common, config, database, audit, users, credentials, settings, alerts, hosts, auth, notifications, maintenance.
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { HostsModule } from '../hosts/hosts.module';
import { SettingsModule } from '../settings/settings.module';
import { AppConfig } from '../config/app-config';
import { failFast, redisOptions } from '../config/redis-connection';
import { CheckHistoryRepository } from './check-history.repository';
import { CheckResultService } from './check-result.service';
import { CheckRunnerService } from './check-runner.service';
import { DependencyWatch } from './dependency-watch.service';
import { HistoryExportService } from './history-export.service';
import { HistoryRetentionService } from './history-retention.service';
import { StateRollupService } from './state-rollup.service';
import { HostMonitoringService } from './host-monitoring.service';
import { JitChecksService } from './jit-checks.service';
import { MonitoringController } from './monitoring.controller';
import { PolicyService } from './policy.service';
import { Ssh2Probe } from './probe/ssh2-probe.adapter';
import { SSH_PROBE } from '../common/probe.types';
import { CheckQueues } from './queue/check-queues';
import { CheckWaiter } from './queue/check-waiter';
import { JIT_QUEUE, MONITORING_QUEUE } from './queue/monitoring.constants';
import { SettingsController } from './settings.controller';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';
import { UptimeController } from './uptime.controller';
import { UptimeService } from './uptime.service';

/**
 * The check pipeline (probe, queues, result application) and the monitoring API. The
 * workers live in WorkerModule, the producer in SchedulerModule.
 */
@Module({
  imports: [
    // The queues' own clients fail at once while Redis is away (failFast), so a JIT request
    // or the stats answer instead of waiting for it; workers and event streams get clients of
    // their own that wait (CheckQueues.queueEvents, WorkerModule).
    BullModule.registerQueueAsync(
      {
        name: MONITORING_QUEUE,
        inject: [AppConfig],
        // A completed scheduled job's event carries the outcomes of all its checks (the live
        // feed relays them as they come); keeping the last thousand bounds the stream's memory.
        useFactory: (config: AppConfig) => ({
          connection: failFast(redisOptions(config)),
          streams: { events: { maxLen: 1000 } },
        }),
      },
      {
        name: JIT_QUEUE,
        inject: [AppConfig],
        useFactory: (config: AppConfig) => ({ connection: failFast(redisOptions(config)) }),
      },
    ),
    HostsModule,
    CredentialsModule,
    SettingsModule,
    AlertsModule,
  ],
  // In this order, so the API document lists the routes as it always has.
  controllers: [MonitoringController, SettingsController, StatsController, UptimeController],
  providers: [
    CheckQueues,
    CheckWaiter,
    CheckHistoryRepository,
    CheckResultService,
    DependencyWatch,
    CheckRunnerService,
    JitChecksService,
    HostMonitoringService,
    HistoryExportService,
    HistoryRetentionService,
    StateRollupService,
    UptimeService,
    StatsService,
    PolicyService,
    { provide: SSH_PROBE, useClass: Ssh2Probe },
  ],
  exports: [CheckQueues, CheckRunnerService, CheckResultService],
})
export class MonitoringModule {}
