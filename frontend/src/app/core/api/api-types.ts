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
export type MonitoringState = Host['monitoring_state'];
export type HostSortField = NonNullable<ListHostsQuery['sort']>;
export type ListHostsQuery = NonNullable<operations['HostsController_list']['parameters']['query']>;

export type Credential = Schemas['CredentialResponseDto'];
export type CreateCredential = Schemas['CreateCredentialDto'];
export type UpdateCredential = Schemas['UpdateCredentialDto'];

export type CheckOutcome = Schemas['CheckOutcomeDto'];
export type CheckQueued = Schemas['CheckQueuedResponseDto'];
export type HostState = Schemas['HostStateResponseDto'];
export type HistoryPage = Schemas['HistoryPageDto'];
export type HistoryItem = Schemas['HistoryItemDto'];
export type HistoryQuery = NonNullable<
  operations['MonitoringController_history']['parameters']['query']
>;
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
export type AuditQuery = NonNullable<operations['AuditController_list']['parameters']['query']>;

export type CheckEvent = Schemas['CheckEventDto'];
export type TransitionEvent = Schemas['TransitionEventDto'];
export type PingEvent = Schemas['PingEventDto'];
export type HostCreatedEvent = Schemas['HostCreatedEventDto'];
export type HostUpdatedEvent = Schemas['HostUpdatedEventDto'];
export type HostDeletedEvent = Schemas['HostDeletedEventDto'];
export type HostEvent = HostCreatedEvent | HostUpdatedEvent | HostDeletedEvent;
export type LiveEvent = CheckEvent | TransitionEvent | PingEvent | HostEvent;

/** Every state, in the order the console lists them (worst first after the live ones). */
export const MONITORING_STATES: readonly MonitoringState[] = [
  'HEALTHY',
  'DEGRADED',
  'CRITICAL',
  'DOWN',
  'UNKNOWN',
  'MAINTENANCE',
];

/** The house 400 body: `message` per problem, and the same problems by field. */
export interface ApiErrorBody {
  statusCode?: number;
  error?: string;
  message?: string | string[];
  errors?: { field: string; problem: string }[];
}
