import { DataSource, DataSourceOptions } from 'typeorm';
import { AuditEventEntity } from './audit/entities/audit-event.entity';
import { ApiTokenEntity } from './auth/entities/api-token.entity';
import { AuthSessionEntity } from './auth/entities/auth-session.entity';
import { RefreshTokenEntity } from './auth/entities/refresh-token.entity';
import { UserEntity } from './users/entities/user.entity';
import { CredentialEntity } from './credentials/entities/credential.entity';
import { HostEntity } from './hosts/entities/host.entity';
import { HostStatusEntity } from './hosts/entities/host-status.entity';
import { HostCheckHistoryEntity } from './monitoring/entities/host-check-history.entity';
import { MonitoringSettingEntity } from './settings/entities/monitoring-setting.entity';
import { MIGRATIONS } from '../../migrations';
import { AlertEventEntity } from './alerts/entities/alert-event.entity';
import { AlertEntity } from './alerts/entities/alert.entity';
import { NotificationChannelEntity } from './notifications/entities/notification-channel.entity';
import { NotificationDeliveryEntity } from './notifications/entities/notification-delivery.entity';
import { NotificationGroupItemEntity } from './notifications/entities/notification-group-item.entity';
import { NotificationGroupEntity } from './notifications/entities/notification-group.entity';
import { NotificationMessageEntity } from './notifications/entities/notification-message.entity';
import { NotificationRuleEntity } from './notifications/entities/notification-rule.entity';
import { NotificationReminderEntity } from './notifications/entities/notification-reminder.entity';
import { MaintenanceWindowEntity } from './maintenance/entities/maintenance-window.entity';

/**
 * Every entity of every module, and the connection options built from them. The list names
 * all domain modules, so it belongs to the app layer, not to database/ (generic helpers).
 */
export const ENTITIES = [
  CredentialEntity,
  HostEntity,
  HostStatusEntity,
  HostCheckHistoryEntity,
  MonitoringSettingEntity,
  UserEntity,
  AuthSessionEntity,
  RefreshTokenEntity,
  ApiTokenEntity,
  AuditEventEntity,
  AlertEntity,
  AlertEventEntity,
  NotificationChannelEntity,
  NotificationRuleEntity,
  NotificationGroupEntity,
  NotificationGroupItemEntity,
  NotificationMessageEntity,
  NotificationDeliveryEntity,
  MaintenanceWindowEntity,
  NotificationReminderEntity,
];

export function dataSourceOptions(databaseUrl: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // The schema comes only from reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
    // Off: TypeORM's error log prints query parameters, and those can hold secrets. Failed
    // queries surface as exceptions, which the callers and the HTTP filter report.
    logging: false,
  };
}

export function createDataSource(databaseUrl: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, poolSize));
}
