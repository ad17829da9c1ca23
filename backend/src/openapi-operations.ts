import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Every operation's public name: a stable, verb-first operationId (what generated clients
 * call their functions), and a summary where the route's decorators give none. Keyed by
 * `Controller.method`; a route missing here stops `npm run openapi` (and the spec that
 * compares the committed document with the code), so a new route must be named.
 */
export const OPERATIONS: Record<string, { id: string; summary?: string }> = {
  'AuditController.list': { id: 'listAuditEvents' },
  'UsersController.create': { id: 'createUser' },
  'UsersController.list': { id: 'listUsers', summary: 'List users and service accounts' },
  'UsersController.get': { id: 'getUser', summary: 'Get one user' },
  'UsersController.update': { id: 'updateUser' },
  'UsersController.delete': {
    id: 'deleteUser',
    summary: 'Delete a user and its sessions and tokens',
  },
  'AuthController.login': { id: 'login' },
  'AuthController.refresh': { id: 'refreshSession' },
  'AuthController.logout': { id: 'logout' },
  'AuthController.me': { id: 'getCurrentIdentity' },
  'AuthController.changePassword': { id: 'changeOwnPassword' },
  'AuthController.providers': { id: 'listSignInProviders' },
  'AuthController.oidcLogin': { id: 'startOidcLogin' },
  'AuthController.oidcCallback': { id: 'completeOidcLogin' },
  'AuthController.oidcSession': { id: 'collectOidcSession' },
  'ApiTokensController.create': { id: 'createApiToken' },
  'ApiTokensController.list': { id: 'listApiTokens' },
  'ApiTokensController.revoke': { id: 'revokeApiToken' },
  'CredentialsController.create': {
    id: 'createCredential',
    summary: 'Add an SSH login (its secrets are write-only)',
  },
  'CredentialsController.list': {
    id: 'listCredentials',
    summary: 'List SSH logins, without secrets',
  },
  'CredentialsController.get': {
    id: 'getCredential',
    summary: 'Get one SSH login, without secrets',
  },
  'CredentialsController.update': { id: 'updateCredential', summary: 'Change an SSH login' },
  'CredentialsController.delete': {
    id: 'deleteCredential',
    summary: 'Delete an SSH login that no host uses',
  },
  'HostsController.create': { id: 'createHost' },
  'HostsController.list': { id: 'listHosts' },
  'HostsController.get': { id: 'getHost', summary: 'Get one host' },
  'HostsController.update': {
    id: 'updateHost',
    summary: 'Change a host, or put it into or out of maintenance',
  },
  'HostsController.delete': { id: 'deleteHost', summary: 'Delete a host and its history' },
  'HostsController.resetHostKey': { id: 'resetHostKey' },
  'HostsTransferController.import': { id: 'importHosts' },
  'HostsTransferController.export': { id: 'exportHosts' },
  'BulkHostsController.run': { id: 'runBulkHostAction' },
  'AlertsController.list': { id: 'listAlerts' },
  'AlertsController.get': { id: 'getAlert' },
  'AlertsController.acknowledge': { id: 'acknowledgeAlert' },
  'AlertsController.unacknowledge': { id: 'unacknowledgeAlert' },
  'MaintenanceWindowsController.create': { id: 'createMaintenanceWindow' },
  'MaintenanceWindowsController.list': { id: 'listMaintenanceWindows' },
  'MaintenanceWindowsController.get': {
    id: 'getMaintenanceWindow',
    summary: 'Get one maintenance window, with its next five occurrences',
  },
  'MaintenanceWindowsController.update': { id: 'updateMaintenanceWindow' },
  'MaintenanceWindowsController.delete': { id: 'deleteMaintenanceWindow' },
  'ChannelsController.create': { id: 'createNotificationChannel' },
  'ChannelsController.list': { id: 'listNotificationChannels' },
  'ChannelsController.get': {
    id: 'getNotificationChannel',
    summary: 'Get one notification channel',
  },
  'ChannelsController.update': { id: 'updateNotificationChannel' },
  'ChannelsController.delete': {
    id: 'deleteNotificationChannel',
    summary: 'Delete a notification channel that no rule uses',
  },
  'ChannelsController.test': { id: 'testNotificationChannel' },
  'RulesController.create': { id: 'createNotificationRule' },
  'RulesController.list': { id: 'listNotificationRules', summary: 'List notification rules' },
  'RulesController.get': { id: 'getNotificationRule', summary: 'Get one notification rule' },
  'RulesController.update': { id: 'updateNotificationRule' },
  'RulesController.delete': { id: 'deleteNotificationRule', summary: 'Delete a notification rule' },
  'DeliveriesController.list': { id: 'listNotificationDeliveries' },
  'MonitoringController.checkConnectivity': { id: 'checkHostConnectivity' },
  'MonitoringController.checkMany': { id: 'checkHostsConnectivity' },
  'MonitoringController.heartbeats': { id: 'listHeartbeats' },
  'MonitoringController.transitions': { id: 'listTransitions' },
  'MonitoringController.checkStatus': { id: 'getCheck' },
  'MonitoringController.hostState': { id: 'getHostState' },
  'MonitoringController.history': { id: 'listHostHistory' },
  'MonitoringController.exportHistory': { id: 'exportCheckHistory' },
  'UptimeController.host': { id: 'getHostUptime' },
  'UptimeController.fleet': { id: 'getFleetUptime' },
  'UptimeController.hosts': { id: 'listHostsUptime' },
  'SettingsController.getPolicy': { id: 'getPolicy', summary: 'Get the state policy' },
  'SettingsController.updatePolicy': { id: 'updatePolicy' },
  'SettingsController.getScheduler': {
    id: 'getScheduler',
    summary: 'Whether scheduled checks are on',
  },
  'SettingsController.setScheduler': { id: 'setScheduler' },
  'StatsController.stats': {
    id: 'getStats',
    summary: 'Hosts per state, overdue hosts, queues, workers and the last hour of checks',
  },
  'StatsController.statsHistory': { id: 'getStatsHistory' },
  'EventsController.stream': { id: 'streamEvents' },
  'HealthController.check': {
    id: 'getHealth',
    summary: 'Database and Redis answer (kept for existing checks)',
  },
  'HealthController.live': { id: 'getLiveness' },
  'HealthController.ready': { id: 'getReadiness' },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The key of an operation in OPERATIONS, from the id Nest gave it (`Controller_method`). */
export const operationKey = (controller: string, method: string): string =>
  `${controller}.${method}`;

/**
 * What generated clients and linters need beyond what the decorators say: summaries where
 * missing, `security: []` on the public operations (so no client sends a token there and no
 * linter takes them for undocumented), and the license.
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  const summaries = new Map(Object.values(OPERATIONS).map((o) => [o.id, o.summary]));
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const summary = summaries.get(operation.operationId ?? '');
      if (!operation.summary && summary) operation.summary = summary;
      if (!operation.summary) {
        throw new Error(`OpenAPI: operation ${operation.operationId} has no summary`);
      }
      if (!operation.security) operation.security = [];
    }
  }
  document.info.license = { name: 'UNLICENSED' };
  return document;
}
