/**
 * Names for the backend's DTOs, all taken from openapi.gen.ts (generated from the committed
 * openapi.json by `npm run api:types`, which every build runs): a DTO change on the server
 * breaks the console's build here rather than in a user's browser.
 */
import type { components, operations } from './openapi.gen';

type Schemas = components['schemas'];

export type Host = Schemas['HostResponseDto'];
export type HostList = Schemas['HostListResponseDto'];
export type CreateHost = Schemas['CreateHostDto'];
export type UpdateHost = Schemas['UpdateHostDto'];
export type BulkHosts = Schemas['BulkHostsDto'];
export type BulkAction = BulkHosts['action'];
export type BulkResult = Schemas['BulkResultDto'];
export type ImportReport = Schemas['ImportReportDto'];
export type ImportRow = Schemas['ImportRowDto'];
export type Uptime = Schemas['UptimeResponseDto'];
export type HostsUptime = Schemas['HostsUptimeResponseDto'];
export type MonitoringState = Host['monitoring_state'];
export type HostSortField = NonNullable<ListHostsQuery['sort']>;
export type ListHostsQuery = NonNullable<operations['listHosts']['parameters']['query']>;

export type Credential = Schemas['CredentialResponseDto'];
export type CreateCredential = Schemas['CreateCredentialDto'];
export type UpdateCredential = Schemas['UpdateCredentialDto'];

export type CheckOutcome = Schemas['CheckOutcomeDto'];
export type CheckQueued = Schemas['CheckQueuedResponseDto'];
export type HostState = Schemas['HostStateResponseDto'];
export type HistoryPage = Schemas['HistoryPageDto'];
export type HistoryItem = Schemas['HistoryItemDto'];
export type HistoryQuery = NonNullable<operations['listHostHistory']['parameters']['query']>;
export type BulkCheck = Schemas['BulkCheckResponseDto'];
export type Heartbeat = Schemas['HeartbeatDto'];
export type HostHeartbeats = Schemas['HostHeartbeatsDto'];
export type Heartbeats = Schemas['HeartbeatsResponseDto'];
export type RecentTransition = Schemas['RecentTransitionDto'];
export type RecentTransitions = Schemas['TransitionsResponseDto'];
export type Policy = Schemas['PolicyDto'];
export type Scheduler = Schemas['SchedulerDto'];
export type Stats = Schemas['StatsResponseDto'];
export type StatsHistory = Schemas['StatsHistoryResponseDto'];

export type User = Schemas['UserResponseDto'];
export type UserRole = User['role'];
export type CreateUser = Schemas['CreateUserDto'];
export type UpdateUser = Schemas['UpdateUserDto'];

export type ApiToken = Schemas['ApiTokenResponseDto'];
export type CreatedApiToken = Schemas['CreatedApiTokenResponseDto'];
export type CreateApiToken = Schemas['CreateApiTokenDto'];

export type AuditEvent = Schemas['AuditEventDto'];
export type AuditList = Schemas['AuditListResponseDto'];
export type AuditQuery = NonNullable<operations['listAuditEvents']['parameters']['query']>;

export type Alert = Schemas['AlertResponseDto'];
export type AlertDetail = Schemas['AlertDetailResponseDto'];
export type AlertList = Schemas['AlertListResponseDto'];
export type AlertStatus = Alert['status'];
export type ListAlertsQuery = NonNullable<operations['listAlerts']['parameters']['query']>;
export type Delivery = Schemas['DeliveryResponseDto'];
export type AckAlert = Schemas['AckAlertDto'];

export type MaintenanceWindow = Schemas['MaintenanceWindowResponseDto'];
export type CreateMaintenanceWindow = Schemas['CreateMaintenanceWindowDto'];
export type Recurrence = Schemas['RecurrenceDto'];
export type Weekday = NonNullable<Recurrence['weekdays']>[number];
export type Occurrence = Schemas['OccurrenceDto'];

export type Channel = Schemas['ChannelResponseDto'];
export type ChannelType = Channel['type'];
export type CreateChannel = Schemas['CreateChannelDto'];
export type UpdateChannel = Schemas['UpdateChannelDto'];
export type ChannelTestResult = Schemas['ChannelTestResponseDto'];
export type WebhookConfig = Schemas['WebhookConfigDto'];
export type EmailConfig = Schemas['EmailConfigDto'];
export type EmailTls = NonNullable<EmailConfig['tls']>;
export type Rule = Schemas['RuleResponseDto'];
export type RuleEvent = Rule['events'][number];
export type CreateRule = Schemas['CreateRuleDto'];
export type UpdateRule = Schemas['UpdateRuleDto'];

export type CheckEvent = Schemas['CheckEventDto'];
export type TransitionEvent = Schemas['TransitionEventDto'];
export type PingEvent = Schemas['PingEventDto'];
export type HostCreatedEvent = Schemas['HostCreatedEventDto'];
export type HostUpdatedEvent = Schemas['HostUpdatedEventDto'];
export type HostDeletedEvent = Schemas['HostDeletedEventDto'];
export type HostEvent = HostCreatedEvent | HostUpdatedEvent | HostDeletedEvent;
export type AlertOpenedEvent = Schemas['AlertOpenedEventDto'];
export type AlertResolvedEvent = Schemas['AlertResolvedEventDto'];
export type AlertEvent = AlertOpenedEvent | AlertResolvedEvent;
export type AlertUpdatedEvent = Schemas['AlertUpdatedEventDto'];
export type DeliveryFailedEvent = Schemas['DeliveryFailedEventDto'];
export type LiveEvent =
  | CheckEvent
  | TransitionEvent
  | PingEvent
  | HostEvent
  | AlertEvent
  | AlertUpdatedEvent
  | DeliveryFailedEvent;

/** Every state, in the order the console lists them (worst first after the live ones). */
export const MONITORING_STATES: readonly MonitoringState[] = [
  'HEALTHY',
  'DEGRADED',
  'CRITICAL',
  'DOWN',
  'UNKNOWN',
  'MAINTENANCE',
];

/** Channel types, in the order the channel form offers them. */
export const CHANNEL_TYPES: readonly ChannelType[] = [
  'webhook',
  'slack',
  'teams',
  'email',
  'alertmanager',
];

/** The events a rule can send, in the order the rule form offers them. */
export const RULE_EVENTS: readonly RuleEvent[] = [
  'problem_opened',
  'problem_resolved',
  'host_key_mismatch',
  'degraded',
  'flapping_started',
  'flapping_stopped',
];

/** The house 400 body: `message` per problem, and the same problems by field. */
export interface ApiErrorBody {
  statusCode?: number;
  error?: string;
  message?: string | string[];
  errors?: { field: string; problem: string }[];
}
