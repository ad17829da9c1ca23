import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import type {
  AckAlert,
  Alert,
  CreateMaintenanceWindow,
  MaintenanceWindow,
  AlertDetail,
  AlertList,
  ApiToken,
  Channel,
  ChannelTestResult,
  CreateChannel,
  CreateRule,
  ListAlertsQuery,
  Rule,
  UpdateChannel,
  UpdateRule,
  AuditList,
  BulkCheck,
  Heartbeats,
  RecentTransitions,
  AuditQuery,
  CheckOutcome,
  CheckQueued,
  CreateApiToken,
  CreateCredential,
  CreatedApiToken,
  CreateHost,
  CreateUser,
  Credential,
  HistoryPage,
  HistoryQuery,
  Host,
  HostList,
  HostState,
  ListHostsQuery,
  Policy,
  Scheduler,
  Stats,
  StatsHistory,
  UpdateCredential,
  UpdateHost,
  UpdateUser,
  User,
} from './api-types';

/** Base path of the REST API; the console is served by the same origin. */
export const API = '/api';

function params(query: object): HttpParams {
  let p = new HttpParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    p = p.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return p;
}

/** The REST API, one method per endpoint the console uses, typed by openapi.gen.ts. */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);

  listHosts(query: ListHostsQuery): Observable<HostList> {
    return this.http.get<HostList>(`${API}/hosts`, { params: params(query) });
  }
  getHost(id: string): Observable<Host> {
    return this.http.get<Host>(`${API}/hosts/${id}`);
  }
  createHost(body: CreateHost): Observable<Host> {
    return this.http.post<Host>(`${API}/hosts`, body);
  }
  updateHost(id: string, body: UpdateHost): Observable<Host> {
    return this.http.patch<Host>(`${API}/hosts/${id}`, body);
  }
  deleteHost(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/hosts/${id}`);
  }
  resetHostKey(id: string): Observable<Host> {
    return this.http.post<Host>(`${API}/hosts/${id}/host-key/reset`, null);
  }

  /** Queues a JIT check and answers at once (202) with its task id. */
  checkNow(id: string): Observable<CheckQueued> {
    return this.http.post<CheckQueued>(`${API}/monitoring/hosts/${id}/check-connectivity`, null);
  }
  /** Queues a JIT check and answers with the applied result (or 202 if it took too long). */
  checkAndWait(id: string, timeoutMs = 20000): Observable<CheckOutcome | CheckQueued> {
    return this.http.post<CheckOutcome | CheckQueued>(
      `${API}/monitoring/hosts/${id}/check-connectivity`,
      null,
      { params: params({ wait: true, timeout_ms: timeoutMs }) },
    );
  }
  /** Queues a JIT check of each host in one request (the rate limit counts it once): 202. */
  checkMany(hostIds: readonly string[]): Observable<BulkCheck> {
    return this.http.post<BulkCheck>(`${API}/monitoring/check-connectivity`, {
      host_ids: hostIds,
    });
  }
  /** Each host's latest results (newest first) and when its failing run began. */
  heartbeats(hostIds: readonly string[], limit = 30): Observable<Heartbeats> {
    return this.http.get<Heartbeats>(`${API}/monitoring/heartbeats`, {
      params: params({ host_ids: hostIds, limit }),
    });
  }
  /** The fleet's latest state changes, newest first. */
  recentTransitions(limit = 30): Observable<RecentTransitions> {
    return this.http.get<RecentTransitions>(`${API}/monitoring/transitions`, {
      params: params({ limit }),
    });
  }
  hostState(id: string): Observable<HostState> {
    return this.http.get<HostState>(`${API}/monitoring/hosts/${id}/state`);
  }
  history(id: string, query: HistoryQuery = {}): Observable<HistoryPage> {
    return this.http.get<HistoryPage>(`${API}/monitoring/hosts/${id}/history`, {
      params: params(query),
    });
  }
  stats(): Observable<Stats> {
    return this.http.get<Stats>(`${API}/monitoring/stats`);
  }
  /** Checks, failures and response times per minute, the last `minutes` minutes. */
  statsHistory(minutes = 60): Observable<StatsHistory> {
    return this.http.get<StatsHistory>(`${API}/monitoring/stats/history`, {
      params: params({ minutes }),
    });
  }
  getPolicy(): Observable<Policy> {
    return this.http.get<Policy>(`${API}/monitoring/policy`);
  }
  updatePolicy(body: Policy): Observable<Policy> {
    return this.http.put<Policy>(`${API}/monitoring/policy`, body);
  }
  getScheduler(): Observable<Scheduler> {
    return this.http.get<Scheduler>(`${API}/monitoring/scheduler`);
  }
  setScheduler(enabled: boolean): Observable<Scheduler> {
    return this.http.put<Scheduler>(`${API}/monitoring/scheduler`, { enabled });
  }

  listCredentials(): Observable<Credential[]> {
    return this.http.get<Credential[]>(`${API}/credentials`);
  }
  createCredential(body: CreateCredential): Observable<Credential> {
    return this.http.post<Credential>(`${API}/credentials`, body);
  }
  updateCredential(id: string, body: UpdateCredential): Observable<Credential> {
    return this.http.patch<Credential>(`${API}/credentials/${id}`, body);
  }
  deleteCredential(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/credentials/${id}`);
  }

  listUsers(): Observable<User[]> {
    return this.http.get<User[]>(`${API}/users`);
  }
  createUser(body: CreateUser): Observable<User> {
    return this.http.post<User>(`${API}/users`, body);
  }
  updateUser(id: string, body: UpdateUser): Observable<User> {
    return this.http.patch<User>(`${API}/users/${id}`, body);
  }
  deleteUser(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/users/${id}`);
  }

  /** Your own API tokens, or with `all` (admins) every account's. */
  listApiTokens(all = false): Observable<ApiToken[]> {
    return this.http.get<ApiToken[]>(`${API}/tokens`, {
      params: params({ all: all || undefined }),
    });
  }
  /** The answer carries the secret once: callers show it and then let go of it. */
  createApiToken(body: CreateApiToken): Observable<CreatedApiToken> {
    return this.http.post<CreatedApiToken>(`${API}/tokens`, body);
  }
  revokeApiToken(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/tokens/${id}`);
  }

  listAudit(query: AuditQuery): Observable<AuditList> {
    return this.http.get<AuditList>(`${API}/audit`, { params: params(query) });
  }

  /** Problems: open ones first (newest first), then resolved ones (newest first). */
  listAlerts(query: ListAlertsQuery): Observable<AlertList> {
    return this.http.get<AlertList>(`${API}/alerts`, { params: params(query) });
  }
  /** One problem, with the delivery attempts of the notifications that carried it. */
  getAlert(id: string): Observable<AlertDetail> {
    return this.http.get<AlertDetail>(`${API}/alerts/${id}`);
  }

  /** Notification channels (admins): secrets are never in the answer, only `secret_set`. */
  listChannels(): Observable<Channel[]> {
    return this.http.get<Channel[]>(`${API}/notifications/channels`);
  }
  createChannel(body: CreateChannel): Observable<Channel> {
    return this.http.post<Channel>(`${API}/notifications/channels`, body);
  }
  /** Config fields left out keep their stored values, secrets included; a null secret is removed. */
  updateChannel(id: string, body: UpdateChannel): Observable<Channel> {
    return this.http.patch<Channel>(`${API}/notifications/channels/${id}`, body);
  }
  deleteChannel(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/notifications/channels/${id}`);
  }
  /** Sends a test message now; answers 200 either way, with `ok` and the attempt. */
  testChannel(id: string): Observable<ChannelTestResult> {
    return this.http.post<ChannelTestResult>(`${API}/notifications/channels/${id}/test`, null);
  }

  listRules(): Observable<Rule[]> {
    return this.http.get<Rule[]>(`${API}/notifications/rules`);
  }
  createRule(body: CreateRule): Observable<Rule> {
    return this.http.post<Rule>(`${API}/notifications/rules`, body);
  }
  updateRule(id: string, body: UpdateRule): Observable<Rule> {
    return this.http.patch<Rule>(`${API}/notifications/rules/${id}`, body);
  }
  deleteRule(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/notifications/rules/${id}`);
  }

  ackAlert(id: string, body: AckAlert): Observable<Alert> {
    return this.http.post<Alert>(`${API}/alerts/${id}/ack`, body);
  }
  unackAlert(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/alerts/${id}/ack`);
  }

  listMaintenanceWindows(): Observable<MaintenanceWindow[]> {
    return this.http.get<MaintenanceWindow[]>(`${API}/maintenance-windows`);
  }
  createMaintenanceWindow(body: CreateMaintenanceWindow): Observable<MaintenanceWindow> {
    return this.http.post<MaintenanceWindow>(`${API}/maintenance-windows`, body);
  }
  deleteMaintenanceWindow(id: string): Observable<void> {
    return this.http.delete<void>(`${API}/maintenance-windows/${id}`);
  }
}
