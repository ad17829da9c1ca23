import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import type { HostEntity } from '../hosts/entities/host.entity';
import { HostsRepository } from '../hosts/hosts.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { currentStatus } from '../hosts/host-status.mapper';
import type { CheckRunOutcome } from './check-runner.service';
import { CheckResultService } from './check-result.service';
import type { CheckOutcomeDto } from './dto/check-outcome.dto';
import type { CheckQueuedResponseDto, CheckStatusResponseDto } from './dto/monitoring.dto';
import { CheckJob, CheckQueues, QueueUnavailableError } from './queue/check-queues';
import { CheckWaiter } from './queue/check-waiter';
import { checksOf } from './check-runner.service';
import type { BulkCheckResponseDto } from './dto/bulk-check.dto';

export type JitResponse =
  { kind: 'queued'; body: CheckQueuedResponseDto } | { kind: 'applied'; body: CheckOutcomeDto };

/**
 * Just-in-time checks: queue one on the JIT queue (worker slots of its own, so it never waits
 * behind scheduled checks), wait for it when asked to, and say where any check is.
 */
@Injectable()
export class JitChecksService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly settings: MonitoringSettingsService,
    private readonly queues: CheckQueues,
    private readonly waiter: CheckWaiter,
    private readonly results: CheckResultService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Queues a JIT check; with wait, answers once it is applied. */
  async checkConnectivity(
    hostId: string,
    wait: boolean,
    timeoutMs: number | undefined,
  ): Promise<JitResponse> {
    const host = await this.requireHost(hostId);
    const policy = await this.settings.getPolicy();
    const priority = policy.priorities.JIT;
    let job: CheckJob;
    try {
      job = await this.queues.addJit(host.id, priority, this.clock.now());
    } catch (error) {
      if (error instanceof QueueUnavailableError) {
        throw new ServiceUnavailableException(`Could not queue the check. ${error.message}`);
      }
      throw new ServiceUnavailableException(
        `Could not queue the check: Redis unreachable (${(error as Error).message}); checks are paused until it is back`,
      );
    }
    const taskId = job.id as string;
    // Recorded while the check runs: the audit row does not hold up the answer.
    const audited = this.audit.record({
      action: 'check.jit',
      targetType: 'host',
      targetId: host.id,
      details: { hostname: host.hostname, task_id: taskId, wait },
    });
    const queued = (status: string, message: string): JitResponse => ({
      kind: 'queued',
      body: {
        host_id: host.id,
        hostname: host.hostname,
        ip_address: host.ipAddress,
        current_state: host.status.monitoringState,
        current_status: currentStatus(host.status.monitoringState),
        last_check: host.status.lastCheckAt ? host.status.lastCheckAt.toISOString() : null,
        response_time_ms: host.status.responseTimeMs,
        check_queued: true,
        task_id: taskId,
        priority,
        message,
        status,
      },
    });
    if (!wait) {
      await audited;
      return queued('queued', 'Fresh connectivity check queued with high priority');
    }
    const [waited] = await Promise.all([
      this.waiter.waitFor(job, timeoutMs ?? this.config.jitWaitTimeoutMs),
      audited,
    ]);
    switch (waited.kind) {
      case 'finished':
        if (waited.outcome.status === 'skipped') {
          throw new NotFoundException(`Host '${hostId}' was deleted before its check ran`);
        }
        return { kind: 'applied', body: waited.outcome.outcome };
      case 'gone': {
        // The queue keeps finished jobs for a while only; history keeps every result.
        const result = await this.resultFromHistory(taskId);
        if (result) return { kind: 'applied', body: result };
        return queued(
          'failed',
          'The check left the queue without a result (the queue was cleared)',
        );
      }
      case 'failed':
        return queued('failed', `The check could not be completed: ${waited.reason}`);
      case 'timeout':
        return queued(
          await this.waiter.state(job),
          `The check has not finished yet; follow it at GET /api/monitoring/checks/${taskId}`,
        );
    }
  }

  /**
   * Queues a JIT check of each of these hosts at once (one request, so the caller's rate limit
   * counts it once). Ids that name no host are listed in `not_found`; nothing waits for results,
   * which arrive on the event stream and at GET /api/monitoring/checks/{task_id}.
   */
  async checkMany(hostIds: readonly string[]): Promise<BulkCheckResponseDto> {
    const unique = [...new Set(hostIds.map((id) => id.toLowerCase()))];
    const hosts = await this.hosts.findByIds(unique);
    const found = new Set(hosts.map((h) => h.id));
    const policy = await this.settings.getPolicy();
    const priority = policy.priorities.JIT;
    const now = this.clock.now();
    let jobs: CheckJob[];
    try {
      jobs = await Promise.all(hosts.map((h) => this.queues.addJit(h.id, priority, now)));
    } catch (error) {
      throw new ServiceUnavailableException(
        `Could not queue the checks: Redis unreachable (${(error as Error).message}); checks are paused until it is back`,
      );
    }
    const queued = hosts.map((h, i) => ({
      host_id: h.id,
      hostname: h.hostname,
      task_id: jobs[i].id as string,
    }));
    await Promise.all(
      queued.map((q) =>
        this.audit.record({
          action: 'check.jit',
          targetType: 'host',
          targetId: q.host_id,
          details: { hostname: q.hostname, task_id: q.task_id, wait: false, bulk: true },
        }),
      ),
    );
    return {
      queued,
      not_found: unique.filter((id) => !found.has(id)),
      priority,
      message: `${queued.length} check${queued.length === 1 ? '' : 's'} queued with high priority`,
    };
  }

  /**
   * Where a check is. A JIT check (or a scheduled job's first check, whose task id names the
   * job) is read from its queue while the queue keeps it; any check, once applied, from history.
   */
  async checkStatus(taskId: string): Promise<CheckStatusResponseDto> {
    let job: CheckJob | undefined;
    let queueError: QueueUnavailableError | null = null;
    try {
      job = await this.waiter.find(taskId);
    } catch (error) {
      // Redis away: an applied check is still in the history.
      if (!(error instanceof QueueUnavailableError)) throw error;
      queueError = error;
    }
    const check = job
      ? checksOf(job.id as string, job.data).find((c) => c.taskId === taskId)
      : null;
    if (job && check) {
      const status = await this.waiter.state(job);
      const value = outcomeOf(job.returnvalue, taskId);
      let result: CheckOutcomeDto | null = null;
      let message: string | null = null;
      if (status === 'completed' && value?.status === 'applied') result = value.outcome;
      if (status === 'completed' && value?.status === 'skipped')
        message = `skipped: ${value.reason}`;
      if (status === 'failed') message = job.failedReason ?? 'failed';
      if (status === 'completed' && !result && !message) {
        result = await this.resultFromHistory(taskId);
      }
      return {
        task_id: taskId,
        host_id: check.hostId,
        status,
        checked_by: job.data.checked_by,
        priority: job.data.priority,
        result,
        message,
      };
    }
    // The queue keeps finished jobs for a while only; history keeps every result.
    const result = await this.resultFromHistory(taskId);
    if (!result && queueError) {
      throw new ServiceUnavailableException(
        `Check '${taskId}' has no result yet and its queue cannot be read. ${queueError.message}`,
      );
    }
    if (!result) throw new NotFoundException(`Check '${taskId}' not found`);
    return {
      task_id: taskId,
      host_id: result.host_id,
      status: 'completed',
      checked_by: result.checked_by,
      priority: null,
      result,
      message: null,
    };
  }

  private async resultFromHistory(taskId: string): Promise<CheckOutcomeDto | null> {
    return (await this.results.recorded([taskId])).get(taskId) ?? null;
  }

  private async requireHost(id: string): Promise<HostEntity> {
    const host = await this.hosts.findById(id);
    if (!host) throw new NotFoundException(`Host '${id}' not found`);
    return host;
  }
}

/** A task's outcome in a job's return value: a JIT job's own, or its entry in a scheduled job's. */
function outcomeOf(returnvalue: unknown, taskId: string): CheckRunOutcome | null {
  if (Array.isArray(returnvalue)) {
    const applied = returnvalue.find(
      (o: CheckRunOutcome) => o?.status === 'applied' && o.outcome.task_id === taskId,
    );
    return (applied as CheckRunOutcome | undefined) ?? null;
  }
  return (returnvalue as CheckRunOutcome | null) ?? null;
}
