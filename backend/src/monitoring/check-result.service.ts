import { Injectable } from '@nestjs/common';
import { AlertsRepository, type AlertChange } from '../alerts/alerts.repository';
import { AlertsService } from '../alerts/alerts.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Telemetry } from '../common/telemetry';
import { sqlState } from '../database/sql-state';
import { HostsRepository } from '../hosts/hosts.repository';
import { CheckTarget, HostStatusRepository } from '../hosts/host-status.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import type { MonitoringState } from '../state-machine';
import {
  appliesTo,
  CheckDecision,
  CheckToApply,
  decideCheck,
  reportedOutcome,
  sameProbeTarget,
} from './check-decision';
import { CheckHistoryRepository } from './check-history.repository';
import type { CheckOutcomeDto } from './dto/check-outcome.dto';
import type { HostCheckHistoryEntity } from './entities/host-check-history.entity';
import { GroupCommit } from './group-commit';

/** What became of a result handed to apply(). */
export type ApplyResult =
  /**
   * Applied now, or earlier under the same task id (then the earlier outcome); or, for a
   * just-in-time check of a host out of the schedule, reported without being applied
   * (`outcome.state_applied` false).
   */
  | { status: 'applied'; outcome: CheckOutcomeDto }
  | { status: 'skipped'; reason: 'host deleted' | 'host inactive or in maintenance' }
  /** The host's inventory changed since the probe: probe `target` again. */
  | { status: 'stale'; target: CheckTarget };

/** Results written by one batch at most (a few hundred bytes each). */
const MAX_RESULTS_PER_BATCH = 128;
/** Times a result is written and found its host changed meanwhile, before giving up. */
const MAX_TRIES = 8;
/** SQLSTATEs of a batch that collided with another writer: it is read again and retried. */
const COLLISIONS = new Set(['23505', '40P01', '40001']);

/** Thrown inside a batch's transaction to undo it: a row could not be written as decided. */
class Collision extends Error {}

/** A result of a batch still to write: its place in the batch, and how often it missed. */
interface Pending {
  index: number;
  check: CheckToApply;
  tries: number;
}

/** What a history row says about the check it records, in the API's shape. */
export function outcomeFromHistory(
  row: HostCheckHistoryEntity,
  host: {
    hostname: string;
    nextCheckAt: Date | null;
    hostKeyFingerprint: string | null;
    flapping: boolean;
  } | null,
): CheckOutcomeDto {
  return {
    task_id: row.taskId,
    host_id: row.hostId,
    hostname: host?.hostname ?? '',
    checked_by: row.checkedBy,
    success: row.success,
    error_type: row.errorType,
    error_message: row.errorMessage,
    response_time_ms: row.responseTimeMs ?? 0,
    stage: row.stage,
    previous_state: (row.previousState ?? row.monitoringState) as MonitoringState,
    new_state: row.monitoringState,
    state_changed: row.previousState !== null && row.previousState !== row.monitoringState,
    checked_at: row.checkTime.toISOString(),
    next_check_at: host?.nextCheckAt ? host.nextCheckAt.toISOString() : null,
    host_key_fingerprint: host?.hostKeyFingerprint ?? null,
    host_key_pinned: host?.hostKeyFingerprint != null,
    state_applied: true,
    unreachable: row.unreachable,
    flapping: host?.flapping ?? false,
  };
}

/**
 * Applies probe results: the one way a result reaches the database. Everything is decided in
 * TypeScript (decideCheck: transition, counters, next check with jitter, priority, host-key
 * pin, history row) against the host as the probe saw it, then written in one transaction per
 * batch, each table by its owner: host_status with one guarded statement (written only while
 * the host still has that state, counters and inventory version), the history rows, the
 * problems the results open or resolve with their outbox rows (AlertsRepository), the pins.
 *
 * Results that arrive while a batch is being written go together in the next one (group
 * commit), so under load a worker writes many results per round trip and per commit. A result
 * whose guard misses (another check of the host landed first, a person changed its state) is
 * read again and evaluated against the host as it is now, in the next round, a bounded number
 * of times; one whose task id is already recorded answers with the recorded outcome, so a
 * check is applied once however often its job runs; one whose host was edited since the probe
 * (address, credential, host key) is handed back to be probed again.
 */
@Injectable()
export class CheckResultService {
  private readonly batches: GroupCommit<CheckToApply, ApplyResult>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly status: HostStatusRepository,
    private readonly hosts: HostsRepository,
    private readonly history: CheckHistoryRepository,
    private readonly settings: MonitoringSettingsService,
    private readonly alerts: AlertsRepository,
    private readonly alertEvents: AlertsService,
    private readonly telemetry: Telemetry,
  ) {
    this.batches = new GroupCommit((batch) => this.applyBatch(batch), MAX_RESULTS_PER_BATCH);
  }

  async apply(check: CheckToApply): Promise<ApplyResult> {
    const end = this.telemetry.applyDuration.startTimer();
    const applied = await this.batches.submit(check);
    end();
    if (applied.status === 'applied' && applied.outcome.state_applied) {
      this.telemetry.checks.inc({
        checked_by: check.checkedBy,
        result: check.result.success ? 'success' : 'failure',
        error_type: check.result.error_type ?? '',
      });
    }
    return applied;
  }

  /** The outcomes recorded for these task ids (checks applied already), by task id. */
  async recorded(taskIds: readonly string[]): Promise<Map<string, CheckOutcomeDto>> {
    const rows = await this.history.findByTaskIds(taskIds);
    const out = new Map<string, CheckOutcomeDto>();
    for (const [taskId, row] of rows) {
      out.set(taskId, outcomeFromHistory(row, await this.hostNow(row.hostId)));
    }
    return out;
  }

  private async applyBatch(checks: CheckToApply[]): Promise<ApplyResult[]> {
    const results: ApplyResult[] = new Array(checks.length);
    const policy = await this.settings.getPolicy();
    let pending: Pending[] = checks.map((check, index) => ({ index, check, tries: 0 }));
    while (pending.length > 0) {
      const [now, later] = onePerHost(pending);
      const decisions = now.map((p) => decideCheck(p.check, policy));
      const written = await this.writeRound(decisions, policy.problem_states);
      const missed: Pending[] = [];
      now.forEach((p, k) => {
        if (written[k]) results[p.index] = { status: 'applied', outcome: decisions[k].outcome };
        else missed.push({ ...p, tries: p.tries + 1 });
      });
      const tooMany = missed.filter((p) => p.tries >= MAX_TRIES).length;
      if (tooMany > 0) {
        throw new Error(
          `could not apply ${tooMany} result(s) in ${MAX_TRIES} tries: their hosts kept changing`,
        );
      }
      pending = [...(await this.readAgain(missed, results)), ...later];
    }
    return results;
  }

  /**
   * One round in one transaction: per decision, whether it was written. A round that collides
   * with another writer (a task id recorded meanwhile, a deadlock, a pin on a host edited in
   * between) is undone as a whole and reads as nothing written.
   */
  private async writeRound(
    decisions: readonly CheckDecision[],
    problemStates: readonly string[],
  ): Promise<boolean[]> {
    try {
      const { written, alerts } = await this.dataSource.transaction((tx) =>
        this.write(tx, decisions, problemStates),
      );
      // Told once they are committed: opened and resolved problems for the live feed.
      this.alertEvents.announce(alerts);
      return written;
    } catch (error) {
      if (error instanceof Collision || COLLISIONS.has(sqlState(error) ?? '')) {
        return decisions.map(() => false);
      }
      throw error;
    }
  }

  private async write(
    tx: EntityManager,
    decisions: readonly CheckDecision[],
    problemStates: readonly string[],
  ): Promise<{ written: boolean[]; alerts: AlertChange[] }> {
    const written = await this.status.applyResults(
      tx,
      decisions.map((d) => d.status),
    );
    const applied = decisions.filter((_, k) => written[k]);
    const recorded = await this.history.insert(
      tx,
      applied.map((d) => d.history),
    );
    // A task id recorded before (its job ran again) must not move its host a second time.
    if (recorded.size !== applied.length) throw new Collision('task id recorded already');
    // Problems open and resolve with the results that cause them, outbox rows included, so a
    // process that dies after this commit still notifies, and a repeated task never does.
    const alerting = applied.filter((d) => d.touchesAlerts);
    const alerts =
      alerting.length === 0
        ? []
        : await this.alerts.recordTransitions(
            tx,
            alerting.map((d) => d.alert),
            problemStates,
          );
    // A host back from down: the failing hosts behind it need not wait out their interval.
    // Due at the check that found the parent back (the clock the checks run by).
    const recovered = applied.filter((d) => d.recovered);
    if (recovered.length > 0) {
      await this.status.dueChildrenOf(
        tx,
        recovered.map((d) => d.status.hostId),
        new Date(Math.max(...recovered.map((d) => d.status.checkedAt.getTime()))),
      );
    }
    // Pins last: the inventory row is locked after the alerts, as HostsService takes them.
    const pins = applied.flatMap((d) => (d.pin ? [d.pin] : []));
    if ((await this.hosts.pinHostKeys(tx, pins)) !== pins.length) {
      throw new Collision('host edited while pinning');
    }
    return { written, alerts };
  }

  /**
   * The results a round did not write, read again: recorded already (its outcome), host gone,
   * host edited since the probe (probe again), or evaluated anew against the host as it is.
   */
  private async readAgain(missed: Pending[], results: ApplyResult[]): Promise<Pending[]> {
    if (missed.length === 0) return [];
    const [targets, recorded] = await Promise.all([
      this.status.findTargets([...new Set(missed.map((p) => p.check.target.hostId))]),
      this.history.findByTaskIds(missed.map((p) => p.check.taskId)),
    ]);
    const byHost = new Map(targets.map((t) => [t.hostId, t]));
    const again: Pending[] = [];
    for (const p of missed) {
      const row = recorded.get(p.check.taskId);
      if (row) {
        results[p.index] = {
          status: 'applied',
          outcome: outcomeFromHistory(row, await this.hostNow(row.hostId)),
        };
        continue;
      }
      const target = byHost.get(p.check.target.hostId);
      if (!target) {
        results[p.index] = { status: 'skipped', reason: 'host deleted' };
      } else if (!appliesTo(target)) {
        // Taken out of the schedule while its check ran: a scheduled result no longer applies;
        // a check a person asked for is reported as such a host's checks are.
        results[p.index] =
          p.check.checkedBy === 'scheduler'
            ? { status: 'skipped', reason: 'host inactive or in maintenance' }
            : { status: 'applied', outcome: reportedOutcome({ ...p.check, target }) };
      } else if (!sameProbeTarget(p.check.target, target, p.check.result.host_key)) {
        results[p.index] = { status: 'stale', target };
      } else {
        again.push({ ...p, check: { ...p.check, target } });
      }
    }
    return again;
  }

  private async hostNow(hostId: string) {
    const host = await this.hosts.findById(hostId);
    return host
      ? {
          hostname: host.hostname,
          nextCheckAt: host.status.nextCheckAt,
          hostKeyFingerprint: host.hostKeyFingerprint,
          flapping: host.status.flapping,
        }
      : null;
  }
}

/**
 * The first result of each host (oldest check first) for this round, and the rest for later
 * rounds, so that two results of one host are applied one after the other, each evaluated
 * against the host as the one before left it.
 */
function onePerHost<P extends { check: CheckToApply }>(pending: P[]): [P[], P[]] {
  const ordered = [...pending].sort(
    (a, b) => a.check.checkedAt.getTime() - b.check.checkedAt.getTime(),
  );
  const seen = new Set<string>();
  const now: P[] = [];
  const later: P[] = [];
  for (const p of ordered) {
    const hostId = p.check.target.hostId;
    if (seen.has(hostId)) later.push(p);
    else {
      seen.add(hostId);
      now.push(p);
    }
  }
  return [now, later];
}
