import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { iso, Recordset } from '../database/recordset';
import { prepared } from '../database/prepared';
import type { HostKeyPolicy, ProbeErrorType, ProbeStage } from '../common/probe.types';
import type { MonitoringState, StatePricing } from '../state-machine';

/**
 * What a check needs of a host, read in one statement: where to connect, the host-key policy
 * and pin, which credential (the host's own, else the default) at which version, the inventory
 * version, and the state the result will be evaluated against. No secret: the decrypted
 * credential is cached per version in the worker (CredentialsService.probeCredential).
 */
export interface CheckTarget {
  hostId: string;
  hostname: string;
  ipAddress: string | null;
  port: number;
  hostKeyPolicy: HostKeyPolicy;
  hostKeyFingerprint: string | null;
  credentialId: string | null;
  /** The credential's updated_at, to the microsecond: a new value means it was edited. */
  credentialVersion: string | null;
  /** hosts.version: raised by every inventory change. */
  version: number;
  isActive: boolean;
  state: MonitoringState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** The flap history (state-machine/flapping): the last changes as bits, and whether it flaps. */
  flapChanges: number;
  flapping: boolean;
  /** The state of the host in front of this one: its parent, else its jump host; null if none. */
  parentState: MonitoringState | null;
  /** The host this one is probed through, if any. */
  jump: JumpTarget | null;
}

/** A jump host as a check needs it: where to connect, its key policy and its credential. */
export interface JumpTarget {
  hostId: string;
  hostname: string;
  ipAddress: string | null;
  port: number;
  hostKeyPolicy: HostKeyPolicy;
  hostKeyFingerprint: string | null;
  credentialId: string | null;
  credentialVersion: string | null;
  version: number;
}

/** A host claimed by the producer: its target, its priority, and the due time it was claimed for. */
export interface ClaimedCheck extends CheckTarget {
  /** API scale, 0..9. */
  priority: number;
  dueAt: Date;
}

/** One result to write: the host's new schedule and state, if it is still as `expected`. */
export interface StatusWrite {
  hostId: string;
  /** The snapshot the result was evaluated against: written only if the host still has it. */
  expected: Pick<CheckTarget, 'state' | 'consecutiveFailures' | 'consecutiveSuccesses' | 'version'>;
  state: MonitoringState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  stateChanged: boolean;
  nextCheckAt: Date | null;
  checkedAt: Date;
  checkPriority: number;
  responseTimeMs: number;
  stage: ProbeStage;
  errorType: ProbeErrorType | null;
  errorMessage: string | null;
  unreachable: boolean;
  flapChanges: number;
  flapPercent: number;
  flapping: boolean;
}

// The target's columns, from host_status s, hosts h and the credential c it uses (its own, or
// for a host without one the default, found by uq_credentials_single_default; the uncorrelated
// subquery runs once, if at all); the state of the host in front of it (ps: its parent, else its
// jump host); and its jump host j with that host's credential jc, as one JSON value. Served by
// the primary keys of all of them.
const TARGET_COLUMNS = `
  s.host_id AS "hostId", h.hostname, h.ip_address AS "ipAddress", h.port,
  h.host_key_policy AS "hostKeyPolicy", h.host_key_fingerprint AS "hostKeyFingerprint",
  c.id AS "credentialId", c.updated_at::text AS "credentialVersion", h.version,
  s.is_active AS "isActive", s.monitoring_state AS state,
  s.consecutive_failures AS "consecutiveFailures",
  s.consecutive_successes AS "consecutiveSuccesses",
  s.flap_changes AS "flapChanges", s.flapping, ps.monitoring_state AS "parentState",
  CASE WHEN j.id IS NOT NULL THEN json_build_object(
    'hostId', j.id, 'hostname', j.hostname, 'ipAddress', j.ip_address, 'port', j.port,
    'hostKeyPolicy', j.host_key_policy, 'hostKeyFingerprint', j.host_key_fingerprint,
    'credentialId', jc.id, 'credentialVersion', jc.updated_at::text, 'version', j.version)
  END AS jump`;
const TARGET_JOINS = `
  JOIN hosts h ON h.id = s.host_id
  LEFT JOIN credentials c
    ON c.id = COALESCE(h.credential_id, (SELECT d.id FROM credentials d WHERE d.is_default))
  LEFT JOIN host_status ps ON ps.host_id = COALESCE(h.parent_host_id, h.jump_host_id)
  LEFT JOIN hosts j ON j.id = h.jump_host_id
  LEFT JOIN credentials jc
    ON jc.id = COALESCE(j.credential_id, (SELECT d.id FROM credentials d WHERE d.is_default))`;

/**
 * The producer's claim ($1 now, $2 lease in seconds, $3 batch size); see claimDue. A SELECT
 * over the data-modifying CTE, so the rows come back in urgency order with their targets.
 * Exported for the bench, which explains it.
 */
export const CLAIM_DUE_SQL = `WITH due AS (
     SELECT host_id,
            CASE WHEN claimed_at >= next_check_at
                 THEN claimed_at + make_interval(secs => $2)
                 ELSE next_check_at END AS due_at
       FROM host_status
      WHERE is_active
        AND monitoring_state <> 'MAINTENANCE'
        AND next_check_at <= $1
        AND (claimed_at IS NULL
             OR claimed_at < next_check_at
             OR claimed_at <= $1::timestamptz - make_interval(secs => $2))
      ORDER BY check_priority DESC, next_check_at ASC
      LIMIT $3
      FOR UPDATE SKIP LOCKED
   ), claimed AS (
     UPDATE host_status s
        SET claimed_at = $1
       FROM due
      WHERE s.host_id = due.host_id
     RETURNING s.*, due.due_at
   )
   SELECT ${TARGET_COLUMNS}, s.check_priority AS priority, s.due_at AS "dueAt"
     FROM claimed s ${TARGET_JOINS}
    ORDER BY s.check_priority DESC, s.due_at ASC`;

const FIND_TARGETS_SQL = `SELECT ${TARGET_COLUMNS} FROM host_status s ${TARGET_JOINS}
  WHERE s.host_id = ANY($1::uuid[])`;

/** A batch of results: the guard, then the values a result writes. */
const RESULTS = new Recordset({
  n: 'integer',
  host_id: 'uuid',
  expected_state: 'varchar',
  expected_failures: 'integer',
  expected_successes: 'integer',
  expected_version: 'integer',
  state_changed: 'boolean',
  monitoring_state: 'varchar',
  consecutive_failures: 'integer',
  consecutive_successes: 'integer',
  next_check_at: 'timestamptz',
  last_check_at: 'timestamptz',
  check_priority: 'smallint',
  response_time_ms: 'integer',
  last_check_stage: 'varchar',
  last_error_type: 'varchar',
  last_error_message: 'text',
  unreachable: 'boolean',
  flap_changes: 'integer',
  flap_percent: 'real',
  flapping: 'boolean',
});
/** The host_status columns a result sets as they are. */
const RESULT_WRITES = [
  'monitoring_state',
  'consecutive_failures',
  'consecutive_successes',
  'next_check_at',
  'last_check_at',
  'check_priority',
  'response_time_ms',
  'last_check_stage',
  'last_error_type',
  'last_error_message',
  'unreachable',
  'flap_changes',
  'flap_percent',
  'flapping',
] as const;

/**
 * Each result is written only while its host exists with the state, counters and inventory
 * version it was evaluated against: no lock is taken before, and a result whose host moved on
 * (another check landed first, the address was edited) is not written, so its caller can read
 * the host again and decide anew. Served by the primary keys of host_status and hosts. Two
 * results for one host in one batch write it once; the other reads as not written.
 */
const APPLY_RESULTS_SQL = `
  UPDATE host_status s
     SET ${RESULTS.assign(RESULT_WRITES, 'i')},
         last_state_change_at = CASE WHEN i.state_changed THEN i.last_check_at
                                     ELSE s.last_state_change_at END
    FROM ${RESULTS.from(1, 'i')}
    JOIN hosts h ON h.id = i.host_id
   WHERE s.host_id = i.host_id
     AND s.monitoring_state = i.expected_state
     AND s.consecutive_failures = i.expected_failures
     AND s.consecutive_successes = i.expected_successes
     AND h.version = i.expected_version
  RETURNING i.n`;

/**
 * The children ($1: parent ids) of hosts that came back up, due now ($2) if they were failing
 * or unreachable: they need not wait out a long DOWN interval to be found up again. Served by
 * idx_hosts_parent_host_id and idx_hosts_jump_host_id.
 */
const DUE_CHILDREN_SQL = `
  UPDATE host_status s
     SET next_check_at = $2
    FROM hosts h
   WHERE h.id = s.host_id
     AND (h.parent_host_id = ANY($1::uuid[]) OR h.jump_host_id = ANY($1::uuid[]))
     AND s.is_active
     AND s.monitoring_state <> 'MAINTENANCE'
     AND (s.unreachable OR s.monitoring_state <> 'HEALTHY')
     AND s.next_check_at > $2
  RETURNING s.host_id AS "hostId"`;

/** An active maintenance window as host_status needs it: whom it covers, until when, why. */
export interface MaintenanceCover {
  windowId: string;
  hostIds: readonly string[];
  tags: readonly string[];
  endsAt: Date;
  reason: string | null;
}

/**
 * The hosts the active windows ($1, a JSON array of MaintenanceCover) cover, by id or by tag,
 * each with the covering window that ends last. Served by the primary key of hosts (ids) and
 * the GIN index idx_hosts_tags (tags &&).
 */
const COVERED_CTE = `
  win AS (
    SELECT (x->>'windowId')::uuid AS window_id, (x->>'endsAt')::timestamptz AS ends_at,
           x->>'reason' AS reason,
           ARRAY(SELECT jsonb_array_elements_text(x->'hostIds'))::uuid[] AS host_ids,
           ARRAY(SELECT jsonb_array_elements_text(x->'tags')) AS tags
      FROM jsonb_array_elements($1::jsonb) AS x
  ), covering AS (
    SELECT h.id AS host_id, win.window_id, win.ends_at, win.reason
      FROM win JOIN hosts h ON h.id = ANY(win.host_ids)
    UNION ALL
    SELECT h.id, win.window_id, win.ends_at, win.reason
      FROM win JOIN hosts h ON h.tags && win.tags
  ), covered AS (
    SELECT DISTINCT ON (host_id) host_id, window_id, ends_at, reason
      FROM covering ORDER BY host_id, ends_at DESC, window_id
  )`;

/**
 * Hosts whose maintenance is over ($2 now, $3 UNKNOWN's priority): put there by a window that
 * no longer covers them (it ended, was deleted or edited, or they lost its tag), or by a person
 * with an end time now past. They become UNKNOWN with cleared counters, due at once. Served by
 * idx_host_status_state (monitoring_state = 'MAINTENANCE').
 */
const LEAVE_MAINTENANCE_SQL = `
  WITH ${COVERED_CTE}
  UPDATE host_status s
     SET monitoring_state = 'UNKNOWN', consecutive_failures = 0, consecutive_successes = 0,
         next_check_at = $2, check_priority = $3, last_state_change_at = $2,
         unreachable = false, maintenance_window_id = NULL, maintenance_ends_at = NULL,
         maintenance_reason = NULL
   WHERE s.monitoring_state = 'MAINTENANCE'
     AND ((s.maintenance_window_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM covered c WHERE c.host_id = s.host_id))
       OR (s.maintenance_window_id IS NULL AND s.maintenance_ends_at <= $2))
  RETURNING s.host_id AS "hostId"`;

/**
 * Covered hosts ($2 now, $3 MAINTENANCE's priority) that are not in maintenance enter it: not
 * scheduled, held by their window until its occurrence ends. Hosts a window holds already
 * follow it (a window extended or edited). A host a person put in maintenance stays theirs.
 * Returns the hosts that entered.
 */
const ENTER_MAINTENANCE_SQL = `
  WITH ${COVERED_CTE}, target AS (
    SELECT s.host_id, s.monitoring_state AS old_state, c.window_id, c.ends_at, c.reason
      FROM covered c JOIN host_status s ON s.host_id = c.host_id
     WHERE s.monitoring_state <> 'MAINTENANCE'
        OR (s.maintenance_window_id IS NOT NULL
            AND (s.maintenance_window_id <> c.window_id
                 OR s.maintenance_ends_at IS DISTINCT FROM c.ends_at
                 OR s.maintenance_reason IS DISTINCT FROM c.reason))
       FOR UPDATE OF s
  )
  UPDATE host_status s
     SET monitoring_state = 'MAINTENANCE', next_check_at = NULL, check_priority = $3,
         last_state_change_at = CASE WHEN t.old_state <> 'MAINTENANCE' THEN $2
                                     ELSE s.last_state_change_at END,
         unreachable = false, maintenance_window_id = t.window_id,
         maintenance_ends_at = t.ends_at, maintenance_reason = t.reason
    FROM target t
   WHERE s.host_id = t.host_id
  RETURNING s.host_id AS "hostId", t.old_state AS "oldState"`;

const PRICING = new Recordset({
  monitoring_state: 'varchar',
  check_priority: 'smallint',
  interval_seconds: 'integer',
});

/**
 * A new policy for hosts already scheduled: each state's priority, and a next check no later
 * than the last check plus the state's new interval (a shorter interval takes effect at once;
 * a longer one at the next check). Values per state come from the state machine.
 */
const REPRICE_SQL = `
  UPDATE host_status s
     SET check_priority = p.check_priority,
         next_check_at = CASE
           WHEN p.interval_seconds IS NOT NULL AND s.last_check_at IS NOT NULL
                AND s.next_check_at IS NOT NULL
           THEN LEAST(s.next_check_at, s.last_check_at + make_interval(secs => p.interval_seconds))
           ELSE s.next_check_at END
    FROM ${PRICING.from(1, 'p')}
   WHERE s.monitoring_state = p.monitoring_state`;

/** The rows of an UPDATE ... RETURNING: TypeORM answers an UPDATE with [rows, count]. */
function updatedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/**
 * UNKNOWN, counters cleared, due at once, out of any maintenance (no window, end or reason, as
 * HostsService.enterState leaves a host a person puts in UNKNOWN); `now` and `priority` name
 * the statement's parameters.
 */
const resetSql = (now: string, priority: string): string => `
  UPDATE host_status
     SET last_state_change_at = CASE WHEN monitoring_state <> 'UNKNOWN' THEN ${now}::timestamptz
                                     ELSE last_state_change_at END,
         monitoring_state = 'UNKNOWN', consecutive_failures = 0, consecutive_successes = 0,
         next_check_at = ${now}::timestamptz, check_priority = ${priority},
         maintenance_window_id = NULL, maintenance_ends_at = NULL, maintenance_reason = NULL`;

/**
 * The hosts module's writer of host_status, and the reads that scan it: the producer's claim,
 * the result of every check, a policy's new priorities, and the fleet's counts.
 */
@Injectable()
export class HostStatusRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` due hosts, most urgent first, in one statement, and returns them with
   * their targets. FOR UPDATE SKIP LOCKED makes concurrent claims (two producers, overlapping
   * ticks) take disjoint sets: a row another claim committed meanwhile fails the claimable test
   * on re-check.
   *
   * The lease is `claimed_at`: a claim covers the host's current next_check_at (claimed_at >=
   * next_check_at) for `leaseSeconds`. Applying a result moves next_check_at past it, so the
   * host is claimable when it next comes due; a host whose job was lost is claimable again once
   * the lease runs out. next_check_at itself is left alone (the API keeps showing when the
   * check was due), and as no index covers claimed_at the UPDATE can be HOT.
   *
   * `dueAt` (it names the check) is next_check_at, or for a claim whose lease ran out, the end
   * of that lease: a new task id, so a permanently failed check kept under the old id does not
   * swallow the new claim.
   *
   * Served by idx_host_status_due (next_check_at <= $1, active, not in maintenance); the
   * claimed_at test and the priority order read the rows the index finds.
   */
  async claimDue(now: Date, leaseSeconds: number, limit: number): Promise<ClaimedCheck[]> {
    const rows: Array<ClaimedCheck & { dueAt: Date | string }> = await this.dataSource.query(
      CLAIM_DUE_SQL,
      [now, leaseSeconds, limit],
    );
    return rows.map((r) => ({ ...r, dueAt: new Date(r.dueAt) }));
  }

  /** The targets of these hosts, in no particular order; a deleted host has none. */
  findTargets(hostIds: readonly string[]): Promise<CheckTarget[]> {
    if (hostIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(FIND_TARGETS_SQL, [hostIds]);
  }

  /**
   * Writes a batch of results in one statement, inside the caller's transaction. Returns, per
   * input in order, whether it was written.
   */
  async applyResults(tx: EntityManager, writes: readonly StatusWrite[]): Promise<boolean[]> {
    const rows = writes.map((w, n) => ({
      n,
      host_id: w.hostId,
      expected_state: w.expected.state,
      expected_failures: w.expected.consecutiveFailures,
      expected_successes: w.expected.consecutiveSuccesses,
      expected_version: w.expected.version,
      state_changed: w.stateChanged,
      monitoring_state: w.state,
      consecutive_failures: w.consecutiveFailures,
      consecutive_successes: w.consecutiveSuccesses,
      next_check_at: iso(w.nextCheckAt),
      last_check_at: iso(w.checkedAt),
      check_priority: w.checkPriority,
      response_time_ms: w.responseTimeMs,
      last_check_stage: w.stage,
      last_error_type: w.errorType,
      last_error_message: w.errorMessage,
      unreachable: w.unreachable,
      flap_changes: w.flapChanges,
      flap_percent: w.flapPercent,
      flapping: w.flapping,
    }));
    const written = await prepared<{ n: number }>(
      tx,
      'hostwatch_apply_results',
      APPLY_RESULTS_SQL,
      RESULTS.values(rows),
    );
    const out = writes.map(() => false);
    for (const { n } of written) out[n] = true;
    return out;
  }

  /**
   * Makes the failing children of these (recovered) hosts due now, inside the caller's
   * transaction; returns their ids.
   */
  async dueChildrenOf(
    tx: EntityManager,
    parentIds: readonly string[],
    now: Date,
  ): Promise<string[]> {
    if (parentIds.length === 0) return [];
    const rows: { hostId: string }[] = await tx.query(DUE_CHILDREN_SQL, [parentIds, now]);
    return rows.map((r) => r.hostId);
  }

  /**
   * Ends the maintenance of hosts no window covers any longer and of hosts whose manual end
   * time is past, inside the caller's transaction; returns their ids.
   */
  async leaveMaintenance(
    tx: EntityManager,
    covers: readonly MaintenanceCover[],
    now: Date,
    unknownPriority: number,
  ): Promise<string[]> {
    const rows = updatedRows<{ hostId: string }>(
      await tx.query(LEAVE_MAINTENANCE_SQL, [JSON.stringify(covers), now, unknownPriority]),
    );
    return rows.map((r) => r.hostId);
  }

  /**
   * Puts the hosts the active windows cover in MAINTENANCE, inside the caller's transaction;
   * returns those that were not in maintenance before, with the state they were in.
   */
  async enterMaintenance(
    tx: EntityManager,
    covers: readonly MaintenanceCover[],
    now: Date,
    maintenancePriority: number,
  ): Promise<Array<{ hostId: string; oldState: MonitoringState }>> {
    if (covers.length === 0) return [];
    const rows = updatedRows<{ hostId: string; oldState: MonitoringState }>(
      await tx.query(ENTER_MAINTENANCE_SQL, [JSON.stringify(covers), now, maintenancePriority]),
    );
    return rows.filter((r) => r.oldState !== 'MAINTENANCE');
  }

  /** Brings every host's priority and next check in line with a policy's per-state values. */
  async reprice(tx: EntityManager, pricing: readonly StatePricing[]): Promise<void> {
    await tx.query(
      REPRICE_SQL,
      PRICING.values(
        pricing.map((p) => ({
          monitoring_state: p.state,
          check_priority: p.priority,
          interval_seconds: p.intervalSeconds,
        })),
      ),
    );
  }

  /**
   * Puts these hosts in maintenance by hand (never scheduled), inside the caller's transaction,
   * which holds their rows: the manual maintenance of PATCH /api/hosts/:id (no window holds it;
   * `endsAt` null: until a person ends it), which the scheduler's maintenance step ends at
   * `maintenance_ends_at`. A host already in maintenance keeps its state change time and
   * becomes the person's, with the end and reason given. Served by the primary key.
   */
  async enterManualMaintenance(
    tx: EntityManager,
    ids: readonly string[],
    manual: { now: Date; endsAt: Date | null; reason: string | null; priority: number },
  ): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(
      `UPDATE host_status
          SET last_state_change_at = CASE WHEN monitoring_state <> 'MAINTENANCE' THEN $2
                                          ELSE last_state_change_at END,
              monitoring_state = 'MAINTENANCE', next_check_at = NULL, check_priority = $5,
              maintenance_window_id = NULL, maintenance_ends_at = $3, maintenance_reason = $4
        WHERE host_id = ANY($1::uuid[])`,
      [ids, manual.now, manual.endsAt, manual.reason, manual.priority],
    );
  }

  /**
   * Puts these hosts in UNKNOWN, counters cleared and due at once (leaving maintenance, or a
   * reset), inside the caller's transaction. Served by the primary key.
   */
  async resetToUnknown(
    tx: EntityManager,
    ids: readonly string[],
    now: Date,
    priority: number,
  ): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(`${resetSql('$2', '$3')} WHERE host_id = ANY($1::uuid[])`, [ids, now, priority]);
  }

  /** Hosts per state; served by idx_host_status_state. */
  async countByState(): Promise<Record<string, number>> {
    const rows: { state: string; n: number }[] = await this.dataSource.query(
      'SELECT monitoring_state AS state, count(*)::int AS n FROM host_status GROUP BY monitoring_state',
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /**
   * Hosts per state, with how many of them are unreachable (behind a failed parent or jump
   * host) and flapping, for the metrics; one pass over host_status (idx_host_status_state).
   */
  async countsForMetrics(): Promise<
    Array<{ state: string; hosts: number; unreachable: number; flapping: number }>
  > {
    return this.dataSource.query(
      `SELECT monitoring_state AS state, count(*)::int AS hosts,
              (count(*) FILTER (WHERE unreachable))::int AS unreachable,
              (count(*) FILTER (WHERE flapping))::int AS flapping
         FROM host_status GROUP BY monitoring_state`,
    );
  }

  /** Active, scheduled hosts due before `dueBefore`; served by idx_host_status_due. */
  async overdueCount(dueBefore: Date): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM host_status
        WHERE is_active AND monitoring_state <> 'MAINTENANCE' AND next_check_at < $1`,
      [dueBefore],
    );
    return row.n;
  }
}
