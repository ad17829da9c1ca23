import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { Telemetry } from '../common/telemetry';
import { CredentialsService } from '../credentials/credentials.service';
import { CheckTarget, HostStatusRepository } from '../hosts/host-status.repository';
import { appliesTo, reportedOutcome, type CheckToApply } from './check-decision';
import { CheckResultService } from './check-result.service';
import type { CheckOutcomeDto } from './dto/check-outcome.dto';
import { ProbeCredential, ProbeResult, SSH_PROBE, SshProbe } from '../common/probe.types';
import {
  dueAtOfTask,
  type CheckedBy,
  type CheckJobData,
  type PendingResult,
} from './queue/monitoring.constants';

export type CheckRunOutcome =
  { status: 'applied'; outcome: CheckOutcomeDto } | { status: 'skipped'; reason: string };

/** Thrown when probes ran but some results could not be saved; the job is retried with them. */
export class ApplyFailedError extends Error {
  constructor(
    /** Results probed but not saved, by task id: the retry applies them without probing. */
    readonly pending: Record<string, PendingResult>,
    /** Task ids of this job saved already: the retry skips them. */
    readonly applied: string[],
    cause: unknown,
  ) {
    super(`could not save the check result: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ApplyFailedError';
  }
}

/** One check of a job: its task id and host, with the host as claimed when the producer has it. */
interface JobCheck {
  taskId: string;
  hostId: string;
  target?: CheckTarget;
}

/** How a job's checks run: in which probe slots, and whether this is a run after a stall. */
export interface RunOptions {
  /** Runs a probe in one of the process's probe slots (see ProbeSlots). */
  slot: <T>(priority: number, probe: () => Promise<T>) => Promise<T>;
  /** The job ran before and did not finish (its worker died): skip checks already recorded. */
  rerun: boolean;
  /** Told of each check once it is over (applied or skipped), with its host. */
  settled?: (hostId: string) => void;
}

/**
 * A check job, end to end: for each host, its target (carried by a scheduled job, read for a
 * JIT one), the probe, and the result's application (CheckResultService). The checks of a job
 * run side by side; each probe takes a slot of the process.
 */
@Injectable()
export class CheckRunnerService {
  constructor(
    private readonly status: HostStatusRepository,
    private readonly credentials: CredentialsService,
    private readonly results: CheckResultService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(SSH_PROBE) private readonly probe: SshProbe,
    private readonly telemetry: Telemetry,
  ) {}

  /**
   * Runs every check of a job; returns one outcome per check, in the job's order. If some
   * results could not be saved (a system fault), waits for the others and throws
   * ApplyFailedError with what the retry needs.
   */
  async runJob(jobId: string, data: CheckJobData, options: RunOptions): Promise<CheckRunOutcome[]> {
    const checks = checksOf(jobId, data);
    const done = new Set(data.applied ?? []);
    const earlier = options.rerun
      ? await this.results.recorded(checks.map((c) => c.taskId))
      : new Map<string, CheckOutcomeDto>();
    const pending: Record<string, PendingResult> = {};
    let fault: unknown = null;
    const outcomes = await Promise.all(
      checks.map(async (check): Promise<CheckRunOutcome> => {
        if (done.has(check.taskId))
          return { status: 'skipped', reason: 'applied by an earlier try' };
        const recorded = earlier.get(check.taskId);
        if (recorded) return { status: 'applied', outcome: recorded };
        try {
          const outcome = await this.runCheck(check, data, options, pending);
          options.settled?.(check.hostId);
          return outcome;
        } catch (error) {
          fault ??= error;
          return { status: 'skipped', reason: 'not saved' };
        }
      }),
    );
    if (fault) {
      const applied = checks
        .filter((c, i) => outcomes[i].status === 'applied' || done.has(c.taskId))
        .map((c) => c.taskId);
      throw new ApplyFailedError(pending, applied, fault);
    }
    return outcomes;
  }

  private async runCheck(
    check: JobCheck,
    data: CheckJobData,
    options: RunOptions,
    pending: Record<string, PendingResult>,
  ): Promise<CheckRunOutcome> {
    const checkedBy = data.checked_by;
    const saved = data.pending_results?.[check.taskId];
    if (saved) {
      const applied = await this.applyOnce(
        check.taskId,
        checkedBy,
        { result: saved.result, checkedAt: new Date(saved.checked_at), target: saved.target },
        pending,
      );
      return applied === 'stale' ? { status: 'skipped', reason: 'host edited since' } : applied;
    }
    let target: CheckTarget | undefined = check.target ?? (await this.latest(check.hostId));
    if (!target) return { status: 'skipped', reason: 'host deleted' };
    if (!check.target && !appliesTo(target)) {
      // Out of the schedule: a queued scheduled check no longer runs; a check a person asked
      // for runs and is reported, with nothing changed (state_applied false).
      if (checkedBy === 'scheduler') {
        return { status: 'skipped', reason: 'host inactive or in maintenance' };
      }
      const current = target;
      const probed = await options.slot(data.priority, () => this.probeTarget(current));
      return {
        status: 'applied',
        outcome: reportedOutcome({ taskId: check.taskId, checkedBy, ...probed, target: current }),
      };
    }
    // A host edited while its check was queued or running is probed again, once, as it is now.
    for (let probes = 1; ; probes++) {
      const current: CheckTarget = target;
      const probed = await options.slot(data.priority, () => {
        if (checkedBy === 'scheduler' && probes === 1) this.recordLateness(check.taskId);
        return this.probeTarget(current);
      });
      const applied = await this.applyOnce(
        check.taskId,
        checkedBy,
        { ...probed, target: current },
        pending,
      );
      if (applied !== 'stale') return applied;
      if (probes === 2) return { status: 'skipped', reason: 'host edited while it was checked' };
      target = await this.latest(check.hostId);
      if (!target) return { status: 'skipped', reason: 'host deleted' };
    }
  }

  /** Applies one result; a system fault keeps it in `pending` for the retry and rethrows. */
  private async applyOnce(
    taskId: string,
    checkedBy: CheckedBy,
    probed: Omit<CheckToApply, 'taskId' | 'checkedBy'>,
    pending: Record<string, PendingResult>,
  ): Promise<CheckRunOutcome | 'stale'> {
    try {
      const applied = await this.results.apply({ taskId, checkedBy, ...probed });
      if (applied.status === 'stale') return 'stale';
      return applied;
    } catch (error) {
      pending[taskId] = {
        result: probed.result,
        checked_at: probed.checkedAt.toISOString(),
        target: probed.target,
      };
      throw error;
    }
  }

  /** A scheduled check's lateness: now (its probe starts) minus when it was due. */
  private recordLateness(taskId: string): void {
    const due = dueAtOfTask(taskId);
    if (due === null) return;
    const late = (this.clock.now().getTime() - due.getTime()) / 1000;
    this.telemetry.scheduleLateness.observe(Math.max(0, late));
  }

  private async latest(hostId: string): Promise<CheckTarget | undefined> {
    return (await this.status.findTargets([hostId]))[0];
  }

  private async probeTarget(
    target: CheckTarget,
  ): Promise<{ result: ProbeResult; checkedAt: Date }> {
    const jump = target.jump;
    const [credential, jumpCredential] = await Promise.all([
      this.credentialOf(target),
      jump ? this.credentialOf(jump) : null,
    ]);
    let result = await this.probe.probe({
      host: target.ipAddress ?? target.hostname,
      port: target.port,
      hostKeyPolicy: target.hostKeyPolicy,
      pinnedFingerprint: target.hostKeyFingerprint,
      credential,
      connectTimeoutMs: this.config.probeConnectTimeoutMs,
      timeoutMs: this.config.probeTimeoutMs,
      jump: jump && {
        host: jump.ipAddress ?? jump.hostname,
        port: jump.port,
        hostKeyPolicy: jump.hostKeyPolicy,
        pinnedFingerprint: jump.hostKeyFingerprint,
        credential: jumpCredential,
        key: `${jump.hostId}:${jump.version}:${jump.credentialId ?? '-'}:${jump.credentialVersion ?? '-'}`,
      },
    });
    this.telemetry.probeDuration.observe({ stage: result.stage }, result.response_time_ms / 1000);
    if (result.error_message?.includes('{id}')) {
      // The probe knows no ids; make its advice (".../hosts/{id}/host-key/reset") usable as is:
      // a failure on the jump leg is about the jump host.
      const about = result.stage === 'jump' && jump ? jump.hostId : target.hostId;
      result = { ...result, error_message: result.error_message.replaceAll('{id}', about) };
    }
    return { result, checkedAt: this.clock.now() };
  }

  /** The decrypted credential a host logs in with (its own, or the default), if any. */
  private credentialOf(
    host: Pick<CheckTarget, 'credentialId' | 'credentialVersion'>,
  ): Promise<ProbeCredential | null> {
    if (host.credentialId === null || host.credentialVersion === null) {
      return Promise.resolve(null);
    }
    return this.credentials.probeCredential(host.credentialId, host.credentialVersion);
  }
}

/**
 * A job's checks: a scheduled job's list, or the one host of a JIT job (or of a scheduled job
 * queued by an earlier version), whose task id is the job id.
 */
export function checksOf(jobId: string, data: CheckJobData): JobCheck[] {
  if (data.checks) {
    return data.checks.map((c) => ({ taskId: c.task_id, hostId: c.host_id, target: c.target }));
  }
  return data.host_id ? [{ taskId: jobId, hostId: data.host_id }] : [];
}
