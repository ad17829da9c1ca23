// Layer 16 (app): may import every folder.
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { Clock } from './common/clock';
import { AppConfig } from './config/app-config';
import { CoreModule } from './config/core.module';
import { redisOptions } from './config/redis-connection';
import { CredentialsModule } from './credentials/credentials.module';
import { dataSourceOptions } from './data-source';
import { EventsModule } from './events/events.module';
import { FleetModule } from './fleet/fleet.module';
import { HealthModule } from './health/health.module';
import { HostsModule } from './hosts/hosts.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MetricsModule } from './metrics/metrics.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { NotificationsModule } from './notifications/notifications.module';
import { NotificationsWorkerModule } from './notifications/queue/notifications-worker.module';
import { WorkerModule } from './monitoring/queue/worker.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SettingsModule } from './settings/settings.module';
import { UsersModule } from './users/users.module';

export interface AppModuleOptions {
  config: AppConfig;
  credentialsKey: Buffer;
  jwtSecret: Buffer;
  clock?: Clock;
}

/**
 * The whole application, shaped by APP_ROLES: the API modules always load (their controllers
 * are only served when the api role starts an HTTP server); the producer and the worker load
 * only in processes with the scheduler or worker role.
 */
@Module({})
export class AppModule {
  static forRoot({ config, credentialsKey, jwtSecret, clock }: AppModuleOptions): DynamicModule {
    const imports = [
      CoreModule.forRoot(config, credentialsKey, jwtSecret, clock),
      TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl)),
      BullModule.forRoot({
        connection: redisOptions(config),
        prefix: config.queuePrefix,
      }),
      AuditModule,
      UsersModule,
      AuthModule,
      SettingsModule,
      CredentialsModule,
      HostsModule,
      AlertsModule,
      NotificationsModule,
      MaintenanceModule,
      MonitoringModule,
      FleetModule,
      EventsModule,
      HealthModule,
      MetricsModule,
    ];
    if (config.hasRole('scheduler')) imports.push(SchedulerModule);
    const scheduled = config.hasRole('worker');
    const jit = config.hasRole('jit-worker') || (scheduled && config.jitConcurrency > 0);
    if (scheduled || jit) imports.push(WorkerModule.forRoles({ scheduled, jit, config }));
    // Notifications are dispatched and delivered by worker processes, beside (never in the
    // slots of) scheduled checks.
    if (scheduled) imports.push(NotificationsWorkerModule);
    return { module: AppModule, imports };
  }
}
