import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { prepared } from '../database/prepared';
import type { MonitoringState } from '../state-machine';
import type { AlertEventKind, AlertKind, AlertPayload, AlertSuppression } from './alert-vocabulary';
import { AlertEntity } from './entities/alert.entity';

/** One check result just applied, as the alerts module needs to see it. */
export interface AppliedCheck {
  hostId: string;
  /** The history row's task id: the check that opens or resolves an alert. */
  taskId: string;
  checkedAt: Date;
  previousState: MonitoringState;
  state: MonitoringState;
  success: boolean;
  errorType: string | null;
  errorMessage: string | null;
  stage: string | null;
  /**
   * Why its events notify nobody: the host was unreachable (its parent or jump host is down),
   * or it is flapping. Problems still open and resolve, and show in the console.
   */
  suppressedBy: AlertSuppression | null;
  /** The host started or stopped flapping with this result. */
  flapChange: 'started' | 'stopped' | null;
  /** Its flap percentage after this result. */
  flapPercent: number;
}

/** An alert opened or resolved by a write, for the live events sent once it commits. */
export interface AlertChange {
  change: 'opened' | 'resolved';
  alert: AlertEntity;
}

/** An outbox row taken by the dispatcher. */
export interface TakenEvent {
  id: string;
  seq: string;
  alertId: string | null;
  hostId: string | null;
  kind: AlertEventKind;
  payload: AlertPayload;
  createdAt: Date;
  /** Set when the event notifies nobody (its host was unreachable or flapping). */
  suppressedBy: AlertSuppression | null;
  /** Set for an event addressed to one rule (a reminder, an escalation): that rule only. */
  ruleId: string | null;
  /** With ruleId: the channels it goes to. */
  channelIds: string[] | null;
}

/** An open problem that may be told again (not held), for reminders and escalation. */
export interface NotifiableAlert {
  id: string;
  kind: AlertKind;
  tags: string[];
  openedAt: Date;
  acknowledged: boolean;
}

/** An outbox row addressed to one rule and some of its (or its escalations') channels. */
export interface AddressedEvent {
  alertId: string;
  ruleId: string;
  kind: 'problem_opened' | 'host_key_mismatch' | 'problem_resolved';
  /** What it is: a reminder, or an escalation. Carried in the payload as `notice`. */
  notice: string;
  channelIds: string[];
}

export interface AlertListFilter {
  status?: 'open' | 'resolved';
  tag?: string;
  hostId?: string;
  offset: number;
  limit: number;
}

/** An attempt to deliver a message that carried an alert (GET /api/alerts/{id}). */
export interface AlertDeliveryRow {
  id: string;
  message_id: string;
  channel_id: string;
  channel_name: string;
  channel_type: string;
  rule_id: string | null;
  attempt: number;
  status: string;
  response: string | null;
  http_status: number | null;
  latency_ms: number;
  error: string | null;
  at: Date;
}

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The outbox payload of an event about alert `a` (an alias with the alerts columns): the alert
 * as the webhook shows it, with the state, previous state and error given as SQL expressions.
 */
function payloadSql(
  a: string,
  kind: string,
  state: string,
  previous: string,
  error: { type: string; message: string; stage: string },
): string {
  return `jsonb_build_object(
      'alert_id', ${a}.id, 'kind', ${kind}, 'alert_kind', ${a}.kind, 'severity', ${a}.severity,
      'host', jsonb_build_object('id', ${a}.host_id, 'hostname', ${a}.hostname,
        'ip_address', ${a}.ip_address, 'port', ${a}.port, 'tags', to_jsonb(${a}.tags)),
      'state', ${state}, 'previous_state', ${previous},
      'error_type', ${error.type}, 'error_message', ${error.message}, 'stage', ${error.stage},
      'opened_at', ${iso(`${a}.opened_at`)}, 'resolved_at', ${iso(`${a}.resolved_at`)},
      'resolve_reason', ${a}.resolve_reason, 'state_at_open', ${a}.state_at_open,
      'opening_error_type', ${a}.opening_error_type)`;
}

const ALERT_COLUMNS = `id, host_id, hostname, ip_address, port, tags, kind, severity,
  state_at_open, current_state, opening_error_type, last_error_type, last_error_message,
  last_stage, opened_at, resolved_at, opened_by_task_id, resolved_by_task_id, resolve_reason,
  updated_at, acknowledged_by, acknowledged_at, ack_comment, ack_sticky, ack_expires_at`;

/** A normal acknowledgement is cleared by any change of its host's state; a sticky one is not. */
const ACK_CLEARED = `(i.state <> i.previous_state AND NOT a.ack_sticky)`;

/**
 * Opens, updates and resolves the alerts of a batch of applied results, and writes their
 * outbox rows, in one statement (one round trip, whatever the batch size). Each host appears
 * at most once per batch (recordTransitions splits a batch that repeats one).
 *
 * - resolved: an open problem of a host now HEALTHY, an open host-key alert of a host whose
 *   check succeeded (the key matches again).
 * - updated: another open alert of a host whose state changed or whose check failed: its
 *   current state and last error (no event); a state change clears a normal (not sticky)
 *   acknowledgement. An alert held (opened while its host was
 *   unreachable or flapping) is told when the host fails on its own (neither unreachable nor
 *   flapping): its opening event, late. A success leaves it held; it may resolve untold.
 * - opened: a problem when the host entered a problem state ($10) and none is open; a host-key
 *   alert when the check failed with host_key_mismatch on the host's own leg (not its jump
 *   host's) and none is open. The partial unique index uq_alerts_open_host_kind makes "none is
 *   open" hold against concurrent writers too.
 * - events: problem_resolved, problem_opened or host_key_mismatch per alert, degraded for a
 *   host that entered DEGRADED, flapping_started and flapping_stopped, in the batch's order.
 *   An event of an unreachable or flapping host is recorded with its suppressed_by, and so are
 *   the resolution of an alert whose opening was never told and a recovering host's degraded
 *   while its problem is held: the dispatcher skips them.
 *
 * Served by uq_alerts_open_host_kind (host_id = ... AND resolved_at IS NULL) and the primary
 * keys of hosts and alerts.
 */
const RECORD_TRANSITIONS_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[], $4::varchar[],
      $5::varchar[], $6::boolean[], $7::varchar[], $8::text[], $9::varchar[], $11::varchar[],
      $12::varchar[], $13::real[])
      WITH ORDINALITY AS i(host_id, task_id, checked_at, previous_state, state, success,
        error_type, error_message, stage, suppressed_by, flap_change, flap_percent, n)
  ), resolved AS (
    UPDATE alerts a SET resolved_at = i.checked_at, resolved_by_task_id = i.task_id,
        resolve_reason = 'recovered', current_state = i.state, updated_at = now()
      FROM input i
     WHERE a.host_id = i.host_id AND a.resolved_at IS NULL
       AND ((a.kind = 'problem' AND i.state = 'HEALTHY')
         OR (a.kind = 'host_key_mismatch' AND i.success))
    RETURNING a.*, i.n, i.previous_state AS result_previous_state,
      COALESCE(a.suppressed_by, i.suppressed_by) AS event_suppressed_by
  ), updated AS (
    UPDATE alerts a SET current_state = i.state,
        last_error_type = CASE WHEN i.success THEN a.last_error_type ELSE i.error_type END,
        last_error_message = CASE WHEN i.success THEN a.last_error_message ELSE i.error_message END,
        last_stage = CASE WHEN i.success THEN a.last_stage ELSE i.stage END,
        suppressed_by = CASE WHEN i.success THEN a.suppressed_by ELSE i.suppressed_by END,
        acknowledged_by = CASE WHEN ${ACK_CLEARED} THEN NULL ELSE a.acknowledged_by END,
        acknowledged_at = CASE WHEN ${ACK_CLEARED} THEN NULL ELSE a.acknowledged_at END,
        ack_comment = CASE WHEN ${ACK_CLEARED} THEN NULL ELSE a.ack_comment END,
        ack_expires_at = CASE WHEN ${ACK_CLEARED} THEN NULL ELSE a.ack_expires_at END,
        ack_sticky = CASE WHEN ${ACK_CLEARED} THEN false ELSE a.ack_sticky END,
        updated_at = now()
      FROM input i, alerts before
     WHERE a.host_id = i.host_id AND a.resolved_at IS NULL AND before.id = a.id
       AND NOT ((a.kind = 'problem' AND i.state = 'HEALTHY')
             OR (a.kind = 'host_key_mismatch' AND i.success))
       AND (i.state <> i.previous_state OR NOT i.success)
    RETURNING a.*, i.n, i.previous_state AS result_previous_state,
      i.checked_at AS result_checked_at,
      (before.suppressed_by IS NOT NULL AND NOT i.success AND i.suppressed_by IS NULL)
        AS told_late
  ), opened AS (
    INSERT INTO alerts (host_id, hostname, ip_address, port, tags, kind, severity,
        state_at_open, current_state, opening_error_type, last_error_type, last_error_message,
        last_stage, opened_at, opened_by_task_id, suppressed_by)
    SELECT i.host_id, h.hostname, h.ip_address, h.port, h.tags, k.kind,
        CASE WHEN k.kind = 'host_key_mismatch' OR i.state = 'DOWN' THEN 'critical'
             ELSE 'warning' END,
        i.state, i.state, i.error_type, i.error_type, i.error_message, i.stage, i.checked_at,
        i.task_id, i.suppressed_by
      FROM input i
      JOIN hosts h ON h.id = i.host_id
     CROSS JOIN (VALUES ('problem'), ('host_key_mismatch')) AS k(kind)
     WHERE (k.kind = 'problem' AND i.state = ANY($10::varchar[])
            AND i.state <> i.previous_state)
        OR (k.kind = 'host_key_mismatch' AND NOT i.success
            AND i.error_type = 'host_key_mismatch' AND i.stage <> 'jump')
     ORDER BY i.n, k.kind
    ON CONFLICT (host_id, kind) WHERE resolved_at IS NULL DO NOTHING
    RETURNING *
  ), opened_n AS (
    SELECT o.*, i.n, i.previous_state AS result_previous_state
      FROM opened o JOIN input i ON i.host_id = o.host_id
  ), told AS (
    SELECT ${ALERT_COLUMNS}, suppressed_by, n, result_previous_state, opened_at AS told_at
      FROM opened_n
    UNION ALL
    SELECT ${ALERT_COLUMNS}, suppressed_by, n, result_previous_state, result_checked_at
      FROM updated
     WHERE told_late
  ), events AS (
    INSERT INTO alert_events (alert_id, host_id, kind, payload, created_at, suppressed_by)
    SELECT e.alert_id, e.host_id, e.kind, e.payload, e.created_at, e.suppressed_by FROM (
      SELECT r.n, 1 AS ord, r.id AS alert_id, r.host_id, 'problem_resolved' AS kind,
             r.resolved_at AS created_at,
             ${payloadSql('r', `'problem_resolved'`, 'r.current_state', 'r.result_previous_state', { type: 'r.last_error_type', message: 'r.last_error_message', stage: 'r.last_stage' })} AS payload,
             r.event_suppressed_by AS suppressed_by
        FROM resolved r
      UNION ALL
      SELECT o.n, 2, o.id, o.host_id,
             CASE WHEN o.kind = 'problem' THEN 'problem_opened' ELSE 'host_key_mismatch' END,
             o.told_at,
             ${payloadSql('o', `CASE WHEN o.kind = 'problem' THEN 'problem_opened' ELSE 'host_key_mismatch' END`, 'o.current_state', 'o.result_previous_state', { type: 'o.last_error_type', message: 'o.last_error_message', stage: 'o.last_stage' })},
             o.suppressed_by
        FROM told o
      UNION ALL
      SELECT i.n, 3, NULL, i.host_id, 'degraded', i.checked_at,
             jsonb_build_object('alert_id', NULL, 'kind', 'degraded', 'alert_kind', NULL,
               'severity', NULL,
               'host', jsonb_build_object('id', h.id, 'hostname', h.hostname,
                 'ip_address', h.ip_address, 'port', h.port, 'tags', to_jsonb(h.tags)),
               'state', i.state, 'previous_state', i.previous_state,
               'error_type', i.error_type, 'error_message', i.error_message, 'stage', i.stage,
               'opened_at', NULL, 'resolved_at', NULL, 'resolve_reason', NULL,
               'state_at_open', NULL, 'opening_error_type', NULL),
             COALESCE(i.suppressed_by, (
               SELECT held.suppressed_by FROM alerts held
                WHERE held.host_id = i.host_id AND held.kind = 'problem'
                  AND held.resolved_at IS NULL))
        FROM input i JOIN hosts h ON h.id = i.host_id
       WHERE i.state = 'DEGRADED' AND i.previous_state <> 'DEGRADED'
      UNION ALL
      SELECT i.n, CASE WHEN i.flap_change = 'stopped' THEN 0 ELSE 4 END, NULL, i.host_id,
             'flapping_' || i.flap_change, i.checked_at,
             jsonb_build_object('alert_id', NULL, 'kind', 'flapping_' || i.flap_change,
               'alert_kind', NULL, 'severity', NULL,
               'host', jsonb_build_object('id', h.id, 'hostname', h.hostname,
                 'ip_address', h.ip_address, 'port', h.port, 'tags', to_jsonb(h.tags)),
               'state', i.state, 'previous_state', i.previous_state,
               'error_type', i.error_type, 'error_message', i.error_message, 'stage', i.stage,
               'opened_at', NULL, 'resolved_at', NULL, 'resolve_reason', NULL,
               'state_at_open', NULL, 'opening_error_type', NULL,
               'flap_percent', i.flap_percent),
             CASE WHEN i.suppressed_by = 'unreachable' THEN 'unreachable' END
        FROM input i JOIN hosts h ON h.id = i.host_id
       WHERE i.flap_change IS NOT NULL
    ) e ORDER BY e.n, e.ord
    RETURNING 1
  )
  SELECT 'resolved' AS change, ${ALERT_COLUMNS} FROM resolved
  UNION ALL
  SELECT 'opened' AS change, ${ALERT_COLUMNS} FROM opened`;

/**
 * Resolves the open alerts (of some kinds) of hosts ($1) for a reason other than a check
 * result, with their outbox rows; $5, when given, is the hosts' new state (MAINTENANCE). A
 * problem still held (its opening never told) resolves untold, as it does on recovery. Served
 * by uq_alerts_open_host_kind.
 */
const RESOLVE_FOR_HOSTS_SQL = `
  WITH before AS (
    SELECT id, current_state AS old_state FROM alerts
     WHERE host_id = ANY($1::uuid[]) AND resolved_at IS NULL AND kind = ANY($4::varchar[])
  ), resolved AS (
    UPDATE alerts a SET resolved_at = $2, resolve_reason = $3,
        current_state = COALESCE($5::varchar, a.current_state), updated_at = now()
      FROM before b
     WHERE a.id = b.id
    RETURNING a.*, b.old_state
  ), events AS (
    INSERT INTO alert_events (alert_id, host_id, kind, payload, created_at, suppressed_by)
    SELECT r.id, r.host_id, 'problem_resolved', ${payloadSql('r', `'problem_resolved'`, 'r.current_state', 'r.old_state', { type: 'r.last_error_type', message: 'r.last_error_message', stage: 'r.last_stage' })},
           r.resolved_at, r.suppressed_by
      FROM resolved r ORDER BY r.host_id, r.opened_at
    RETURNING 1
  )
  SELECT 'resolved' AS change, ${ALERT_COLUMNS} FROM resolved`;

/**
 * Outbox rows addressed to one rule ($1: a JSON array of AddressedEvent, in order; $2: now): the
 * problem as it is now, its event kind, and `notice` (reminder, escalation). Served by the
 * primary key of alerts.
 */
const RECORD_ADDRESSED_SQL = `
  WITH n AS (
    SELECT ord, (x->>'alertId')::uuid AS alert_id, (x->>'ruleId')::uuid AS rule_id,
           x->>'kind' AS kind, x->>'notice' AS notice,
           ARRAY(SELECT jsonb_array_elements_text(x->'channelIds'))::uuid[] AS channel_ids
      FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(x, ord)
  )
  INSERT INTO alert_events (alert_id, host_id, kind, payload, created_at, rule_id, channel_ids)
  SELECT a.id, a.host_id, n.kind,
         ${payloadSql('a', 'n.kind', 'a.current_state', 'NULL::varchar', { type: 'a.last_error_type', message: 'a.last_error_message', stage: 'a.last_stage' })}
           || jsonb_build_object('notice', n.notice),
         $2, n.rule_id, n.channel_ids
    FROM n JOIN alerts a ON a.id = n.alert_id
   ORDER BY n.ord`;

/**
 * The dispatcher's take: the oldest undispatched outbox rows, marked dispatched. Served by
 * idx_alert_events_undispatched; SKIP LOCKED so that two takers never take the same row.
 */
const TAKE_UNDISPATCHED_SQL = `
  WITH taken AS (
    SELECT id FROM alert_events WHERE dispatched_at IS NULL
     ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
  ), marked AS (
    UPDATE alert_events e SET dispatched_at = $2 FROM taken WHERE e.id = taken.id
    RETURNING e.id, e.seq, e.alert_id, e.host_id, e.kind, e.payload, e.created_at,
      e.suppressed_by, e.rule_id, e.channel_ids
  )
  SELECT * FROM marked ORDER BY seq`;

interface AlertRow {
  change?: 'opened' | 'resolved';
  id: string;
  host_id: string | null;
  hostname: string;
  ip_address: string | null;
  port: number;
  tags: string[];
  kind: AlertKind;
  severity: AlertEntity['severity'];
  state_at_open: MonitoringState;
  current_state: MonitoringState;
  opening_error_type: string | null;
  last_error_type: string | null;
  last_error_message: string | null;
  last_stage: string | null;
  opened_at: Date;
  resolved_at: Date | null;
  opened_by_task_id: string | null;
  resolved_by_task_id: string | null;
  resolve_reason: string | null;
  updated_at: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  ack_comment: string | null;
  ack_sticky: boolean;
  ack_expires_at: Date | null;
}

/** An acknowledgement to record on an open alert. */
export interface Acknowledgement {
  by: string;
  at: Date;
  comment: string;
  sticky: boolean;
  expiresAt: Date | null;
}

function fromRow(row: AlertRow): AlertEntity {
  return Object.assign(new AlertEntity(), {
    id: row.id,
    hostId: row.host_id,
    hostname: row.hostname,
    ipAddress: row.ip_address,
    port: row.port,
    tags: row.tags,
    kind: row.kind,
    severity: row.severity,
    stateAtOpen: row.state_at_open,
    currentState: row.current_state,
    openingErrorType: row.opening_error_type,
    lastErrorType: row.last_error_type,
    lastErrorMessage: row.last_error_message,
    lastStage: row.last_stage,
    openedAt: new Date(row.opened_at),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
    openedByTaskId: row.opened_by_task_id,
    resolvedByTaskId: row.resolved_by_task_id,
    resolveReason: row.resolve_reason,
    updatedAt: new Date(row.updated_at),
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at) : null,
    ackComment: row.ack_comment,
    ackSticky: row.ack_sticky,
    ackExpiresAt: row.ack_expires_at ? new Date(row.ack_expires_at) : null,
  });
}

function changesOf(rows: AlertRow[]): AlertChange[] {
  return rows.map((row) => ({ change: row.change!, alert: fromRow(row) }));
}

/** Splits results into consecutive runs in which no host appears twice, keeping their order. */
export function withDistinctHosts(results: AppliedCheck[]): AppliedCheck[][] {
  const parts: AppliedCheck[][] = [];
  let part: AppliedCheck[] = [];
  let hosts = new Set<string>();
  for (const result of results) {
    if (hosts.has(result.hostId)) {
      parts.push(part);
      part = [];
      hosts = new Set();
    }
    part.push(result);
    hosts.add(result.hostId);
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** The alerts table and its outbox (alert_events): nothing else writes them. */
@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The hook into applying check results: runs in the caller's transaction (the one that
   * applied `results`), opens, updates and resolves alerts and writes their outbox rows, in one
   * statement per batch. Pass every result just applied; the rules pick the ones that matter.
   * The caller applies a task id once, so a retried check never records twice.
   */
  async recordTransitions(
    manager: EntityManager,
    results: AppliedCheck[],
    problemStates: readonly string[],
  ): Promise<AlertChange[]> {
    const changes: AlertChange[] = [];
    for (const part of withDistinctHosts(results)) {
      const column = <T>(pick: (r: AppliedCheck) => T) => part.map(pick);
      const rows = await prepared<AlertRow>(
        manager,
        'hostwatch_record_transitions',
        RECORD_TRANSITIONS_SQL,
        [
          column((r) => r.hostId),
          column((r) => r.taskId),
          column((r) => r.checkedAt.toISOString()),
          column((r) => r.previousState),
          column((r) => r.state),
          column((r) => r.success),
          column((r) => r.errorType),
          column((r) => r.errorMessage),
          column((r) => r.stage),
          [...problemStates],
          column((r) => r.suppressedBy),
          column((r) => r.flapChange),
          column((r) => r.flapPercent),
        ],
      );
      changes.push(...changesOf(rows));
    }
    return changes;
  }

  /**
   * Resolves a host's open alerts (all kinds unless given) for `reason`, in the caller's
   * transaction, with their outbox rows. `state`: the host's new state, if it changes.
   */
  resolveForHost(
    manager: EntityManager,
    hostId: string,
    reason: string,
    at: Date,
    options: { kinds?: readonly AlertKind[]; state?: MonitoringState } = {},
  ): Promise<AlertChange[]> {
    return this.resolveForHosts(manager, [hostId], reason, at, options);
  }

  /** resolveForHost for many hosts at once (a maintenance window starting), in one statement. */
  async resolveForHosts(
    manager: EntityManager,
    hostIds: readonly string[],
    reason: string,
    at: Date,
    options: { kinds?: readonly AlertKind[]; state?: MonitoringState } = {},
  ): Promise<AlertChange[]> {
    if (hostIds.length === 0) return [];
    const rows: AlertRow[] = await manager.query(RESOLVE_FOR_HOSTS_SQL, [
      hostIds,
      at.toISOString(),
      reason,
      options.kinds ?? ['problem', 'host_key_mismatch'],
      options.state ?? null,
    ]);
    return changesOf(rows);
  }

  /**
   * Records an acknowledgement on an open alert (replacing any earlier one). Returns the alert,
   * or null when no open alert has this id (then `findById` tells unknown from resolved).
   */
  async acknowledge(id: string, ack: Acknowledgement): Promise<AlertEntity | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE alerts SET acknowledged_by = $2, acknowledged_at = $3, ack_comment = $4,
              ack_sticky = $5, ack_expires_at = $6, updated_at = now()
        WHERE id = $1 AND resolved_at IS NULL
       RETURNING ${ALERT_COLUMNS}`,
      [id, ack.by, ack.at, ack.comment, ack.sticky, ack.expiresAt],
    )) as [AlertRow[], number];
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  /** Removes the acknowledgement of an open alert; null when no open alert has this id. */
  async unacknowledge(id: string): Promise<AlertEntity | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE alerts SET acknowledged_by = NULL, acknowledged_at = NULL, ack_comment = NULL,
              ack_sticky = false, ack_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND resolved_at IS NULL
       RETURNING ${ALERT_COLUMNS}`,
      [id],
    )) as [AlertRow[], number];
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  /** Takes up to `limit` undispatched outbox rows, oldest first, in the caller's transaction. */
  async takeUndispatched(manager: EntityManager, limit: number, now: Date): Promise<TakenEvent[]> {
    const rows: Array<{
      id: string;
      seq: string;
      alert_id: string | null;
      host_id: string | null;
      kind: AlertEventKind;
      payload: AlertPayload;
      created_at: Date;
      suppressed_by: AlertSuppression | null;
      rule_id: string | null;
      channel_ids: string[] | null;
    }> = await manager.query(TAKE_UNDISPATCHED_SQL, [limit, now.toISOString()]);
    // UPDATE ... RETURNING keeps no order.
    return rows
      .map((r) => ({
        id: r.id,
        seq: String(r.seq),
        alertId: r.alert_id,
        hostId: r.host_id,
        kind: r.kind,
        payload: r.payload,
        createdAt: new Date(r.created_at),
        suppressedBy: r.suppressed_by,
        ruleId: r.rule_id,
        channelIds: r.channel_ids,
      }))
      .sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
  }

  /**
   * Open problems that are not held (told already), with whether an acknowledgement holds at
   * `now`: what reminders and escalations look at. Served by idx_alerts_open_opened_at.
   */
  async findNotifiable(tx: EntityManager, now: Date): Promise<NotifiableAlert[]> {
    const rows: Array<{
      id: string;
      kind: AlertKind;
      tags: string[];
      opened_at: Date;
      acknowledged: boolean;
    }> = await tx.query(
      `SELECT id, kind, tags, opened_at,
              (acknowledged_at IS NOT NULL
               AND (ack_expires_at IS NULL OR ack_expires_at > $1)) AS acknowledged
         FROM alerts
        WHERE resolved_at IS NULL AND suppressed_by IS NULL
        ORDER BY opened_at`,
      [now.toISOString()],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      tags: r.tags,
      openedAt: new Date(r.opened_at),
      acknowledged: r.acknowledged,
    }));
  }

  /** Writes outbox rows addressed to one rule each (reminders, escalations), in order. */
  async recordAddressed(tx: EntityManager, events: AddressedEvent[], at: Date): Promise<void> {
    if (events.length === 0) return;
    await tx.query(RECORD_ADDRESSED_SQL, [JSON.stringify(events), at.toISOString()]);
  }

  /** Outbox rows not yet taken (the stats, and specs waiting for the dispatcher). */
  async countUndispatched(): Promise<number> {
    const [row] = await this.dataSource.query(
      'SELECT count(*)::int AS n FROM alert_events WHERE dispatched_at IS NULL',
    );
    return row.n;
  }

  findById(id: string): Promise<AlertEntity | null> {
    return this.dataSource.getRepository(AlertEntity).findOneBy({ id });
  }

  /**
   * A page of alerts: open ones first, newest first (by opened_at), then resolved ones, newest
   * first (by resolved_at). Served by idx_alerts_open_opened_at and idx_alerts_resolved_at
   * for a status filter, idx_alerts_host_opened_at for a host, idx_alerts_tags for a tag.
   */
  async list(filter: AlertListFilter): Promise<{ items: AlertEntity[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status === 'open') where.push('resolved_at IS NULL');
    if (filter.status === 'resolved') where.push('resolved_at IS NOT NULL');
    if (filter.hostId !== undefined) {
      params.push(filter.hostId);
      where.push(`host_id = $${params.length}`);
    }
    if (filter.tag !== undefined) {
      params.push(filter.tag);
      where.push(`tags @> ARRAY[$${params.length}::text]`);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const order =
      filter.status === 'open'
        ? 'opened_at DESC, id DESC'
        : filter.status === 'resolved'
          ? 'resolved_at DESC, id DESC'
          : '(resolved_at IS NULL) DESC, COALESCE(resolved_at, opened_at) DESC, id DESC';
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT ${ALERT_COLUMNS} FROM alerts ${clause} ORDER BY ${order}
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, filter.limit, filter.offset],
      ) as Promise<AlertRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS n FROM alerts ${clause}`, params) as Promise<
        Array<{ n: number }>
      >,
    ]);
    return { items: rows.map(fromRow), total: count[0]?.n ?? 0 };
  }

  /**
   * Open alerts of these kinds on hosts carrying any of `tags` (empty: any host), for the
   * periodic re-send to Alertmanager. Served by idx_alerts_open_opened_at.
   */
  async findOpen(kinds: readonly AlertKind[], tags: readonly string[]): Promise<AlertEntity[]> {
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM alerts
        WHERE resolved_at IS NULL AND kind = ANY($1::varchar[])
          AND (cardinality($2::text[]) = 0 OR tags && $2::text[])
        ORDER BY opened_at`,
      [kinds, tags],
    );
    return rows.map(fromRow);
  }

  /**
   * The delivery attempts of every message that carried one of this alert's events, newest
   * first (read from the notifications module's tables; served by
   * idx_notification_group_items_alert_id and idx_notification_deliveries_message_id).
   */
  deliveriesOf(alertId: string): Promise<AlertDeliveryRow[]> {
    return this.dataSource.query(
      `SELECT d.id, d.message_id, d.channel_id, c.name AS channel_name, c.type AS channel_type,
              d.rule_id, d.attempt, d.status, d.response, d.http_status, d.latency_ms, d.error,
              d.at
         FROM notification_deliveries d
         JOIN notification_channels c ON c.id = d.channel_id
        WHERE d.message_id IN (SELECT message_id FROM notification_group_items
                                WHERE alert_id = $1 AND message_id IS NOT NULL)
        ORDER BY d.at DESC, d.id DESC
        LIMIT 500`,
      [alertId],
    );
  }
}
