import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { badRequest } from '../common/validation';
import { HostEntity } from '../hosts/entities/host.entity';
import { HostsRepository } from '../hosts/hosts.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { currentStatus } from '../hosts/host-status.mapper';
import {
  fromQueuePriority,
  MONITORING_STATES,
  MonitoringPolicy,
  QUEUE_PRIORITIES_IN_USE,
} from '../state-machine';
import { describeInterval } from './check-interval.mapper';
import { CheckResultRepository } from './check-result.repository';
import type { CheckRunOutcome } from './check-runner.service';
import { outcomeFromHistory } from './check-result.service';
import type { CheckOutcomeDto } from './dto/check-outcome.dto';
import {
  CheckQueuedResponseDto,
  CheckStatusResponseDto,
  HistoryItemDto,
  HistoryPageDto,
  HistoryQueryDto,
  HostStateResponseDto,
  StatsResponseDto,
} from './dto/monitoring.dto';
import { STATS_HISTORY_DEFAULT_MINUTES, StatsHistoryResponseDto } from './dto/stats-history.dto';
import { HostCheckHistoryEntity } from './entities/host-check-history.entity';
import { MonitoringRepository } from './monitoring.repository';
import { CheckWaiter } from './queue/check-waiter';
import { CheckHostJobData, JIT_QUEUE, MONITORING_QUEUE } from './queue/monitoring.constants';
import { MonitoringProducer } from './queue/monitoring.producer';

/** A host is "overdue" when its check is this much later than due. */
const OVERDUE_AFTER_SECONDS = 60;

export type JitResponse =
  { kind: 'queued'; body: CheckQueuedResponseDto } | { kind: 'applied'; body: CheckOutcomeDto };

function toHistoryItem(row: HostCheckHistoryEntity): HistoryItemDto {
  return {
    id: row.id,
    task_id: row.taskId,
    check_time: row.checkTime.toISOString(),
    monitoring_state: row.monitoringState,
    state: row.monitoringState,
    previous_state: row.previousState,
    response_time_ms: row.responseTimeMs,
    success: row.success,
    error_message: row.errorMessage,
    error_type: row.errorType,
    checked_by: row.checkedBy,
    stage: row.stage,
  };
}

function encodeCursor(row: HostCheckHistoryEntity): string {
  return Buffer.from(JSON.stringify([row.checkTime.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { checkTime: Date; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const checkTime = new Date(time);
    if (
      Number.isNaN(checkTime.getTime()) ||
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    )
      throw new Error();
    return { checkTime, id };
  } catch {
    throw badRequest([{ field: 'cursor', problem: 'is not a cursor this API returned' }]);
  }
}

@Injectable()
export class MonitoringService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly settings: MonitoringSettingsService,
    private readonly producer: MonitoringProducer,
    private readonly waiter: CheckWaiter,
    private readonly monitoring: MonitoringRepository,
    private readonly results: CheckResultRepository,
    @InjectQueue(MONITORING_QUEUE) private readonly queue: Queue<CheckHostJobData>,
    @InjectQueue(JIT_QUEUE) private readonly jitQueue: Queue<CheckHostJobData>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /**
   * Queues a JIT check on the JIT queue (worker slots of its own, so it never waits behind
   * scheduled checks); with wait, answers once it is applied.
   */
  async checkConnectivity(
    hostId: string,
    wait: boolean,
    timeoutMs: number | undefined,
  ): Promise<JitResponse> {
    const host = await this.requireHost(hostId);
    const policy = await this.settings.getPolicy();
    const priority = policy.priorities.JIT;
    let job: Job<CheckHostJobData, CheckRunOutcome>;
    try {
      job = await this.producer.enqueueJit(host.id, priority, this.clock.now());
    } catch (error) {
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
        current_state: host.monitoringState,
        current_status: currentStatus(host.monitoringState),
        last_check: host.lastCheckAt ? host.lastCheckAt.toISOString() : null,
        response_time_ms: host.responseTimeMs,
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

  async checkStatus(taskId: string): Promise<CheckStatusResponseDto> {
    const job = await this.waiter.find(taskId);
    if (job) {
      const status = await this.waiter.state(job);
      const value = job.returnvalue;
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
        host_id: job.data.host_id,
        status,
        checked_by: job.data.checked_by,
        priority: job.data.priority,
        result,
        message,
      };
    }
    // The queue keeps finished jobs for a while only; history keeps every result.
    const result = await this.resultFromHistory(taskId);
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

  async hostState(hostId: string): Promise<HostStateResponseDto> {
    const host = await this.requireHost(hostId);
    const policy = await this.settings.getPolicy();
    const recent = await this.monitoring.historyPage({ hostId, limit: 10 });
    return {
      host_id: host.id,
      hostname: host.hostname,
      ip_address: host.ipAddress,
      current_state: host.monitoringState,
      current_status: currentStatus(host.monitoringState),
      consecutive_failures: host.consecutiveFailures,
      consecutive_successes: host.consecutiveSuccesses,
      next_check_time: host.nextCheckAt ? host.nextCheckAt.toISOString() : null,
      last_state_change: host.lastStateChangeAt ? host.lastStateChangeAt.toISOString() : null,
      check_priority: host.checkPriority,
      response_time_ms: host.responseTimeMs,
      last_check: host.lastCheckAt ? host.lastCheckAt.toISOString() : null,
      last_check_stage: host.lastCheckStage,
      last_error_type: host.lastErrorType,
      last_error_message: host.lastErrorMessage,
      host_key_fingerprint: host.hostKeyFingerprint,
      check_interval_info: describeInterval(host.monitoringState, policy),
      recent_history: recent.map((r) => ({
        check_time: r.checkTime.toISOString(),
        state: r.monitoringState,
        previous_state: r.previousState,
        response_time_ms: r.responseTimeMs,
        success: r.success,
        error_message: r.errorMessage,
        error_type: r.errorType,
        checked_by: r.checkedBy,
        stage: r.stage,
        task_id: r.taskId,
      })),
    };
  }

  async history(hostId: string, query: HistoryQueryDto): Promise<HistoryPageDto> {
    await this.requireHost(hostId);
    if (query.since && query.until && query.since >= query.until) {
      throw badRequest([{ field: 'since', problem: 'must be earlier than until' }]);
    }
    const limit = query.limit ?? 50;
    const rows = await this.monitoring.historyPage({
      hostId,
      limit: limit + 1,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
      since: query.since,
      until: query.until,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map(toHistoryItem),
      next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  getPolicy(): Promise<MonitoringPolicy> {
    return this.settings.getPolicy();
  }

  async updatePolicy(input: unknown): Promise<MonitoringPolicy> {
    const policy = await this.settings.updatePolicy(input);
    await this.audit.record({
      action: 'settings.policy_update',
      targetType: 'settings',
      targetId: 'policy',
      details: { changed: input as Record<string, unknown> },
    });
    return policy;
  }

  async getScheduler(): Promise<{ enabled: boolean }> {
    return { enabled: await this.settings.isSchedulerEnabled() };
  }

  async setScheduler(enabled: boolean): Promise<{ enabled: boolean }> {
    const now = await this.settings.setSchedulerEnabled(enabled);
    await this.audit.record({
      action: 'settings.scheduler_update',
      targetType: 'settings',
      targetId: 'scheduler',
      details: { enabled: now },
    });
    return { enabled: now };
  }

  async stats(): Promise<StatsResponseDto> {
    const now = this.clock.now();
    const [byState, overdue, lastHour, enabled, queue] = await Promise.all([
      this.monitoring.hostsByState(),
      this.monitoring.overdueCount(new Date(now.getTime() - OVERDUE_AFTER_SECONDS * 1000)),
      this.monitoring.windowStats(new Date(now.getTime() - 3600 * 1000)),
      this.settings.isSchedulerEnabled(),
      this.queueStats(),
    ]);
    const hostsByState = Object.fromEntries(MONITORING_STATES.map((s) => [s, byState[s] ?? 0]));
    return {
      total_hosts: Object.values(hostsByState).reduce((a, b) => a + b, 0),
      hosts_by_state: hostsByState,
      overdue_hosts: overdue,
      overdue_after_seconds: OVERDUE_AFTER_SECONDS,
      queue,
      last_hour: lastHour,
      scheduler_enabled: enabled,
      generated_at: now.toISOString(),
    };
  }

  /** Per-minute checks, failures and response times for the last `minutes` minutes. */
  async statsHistory(minutes = STATS_HISTORY_DEFAULT_MINUTES): Promise<StatsHistoryResponseDto> {
    const until = this.clock.now();
    const lastMinute = Math.floor(until.getTime() / 60_000) * 60_000;
    const firstMinute = lastMinute - (minutes - 1) * 60_000;
    const rows = await this.monitoring.perMinute(
      new Date(firstMinute),
      new Date(lastMinute),
      until,
    );
    return {
      minutes,
      until: until.toISOString(),
      buckets: rows.map((r) => ({
        minute: r.minute.toISOString(),
        checks: r.checks,
        failures: r.failures,
        response_time_samples: r.samples,
        avg_response_time_ms: r.avg_ms,
        p95_response_time_ms: r.p95_ms,
      })),
    };
  }

  /**
   * How many worker processes each queue has: BullMQ names its workers' connections, and Redis
   * lists them (CLIENT LIST, which some managed Redis services refuse: then null).
   */
  private async workerCounts(): Promise<StatsResponseDto['queue']['workers']> {
    try {
      const [scheduled, jit] = await Promise.all([
        this.queue.getWorkersCount(),
        this.jitQueue.getWorkersCount(),
      ]);
      return { scheduled, jit };
    } catch {
      return null;
    }
  }

  /** Both queues together: scheduled checks by priority, JIT checks (their own queue) as `jit`. */
  private async queueStats(): Promise<StatsResponseDto['queue']> {
    try {
      const queues = [this.queue, this.jitQueue];
      const [counts, perPriority] = await Promise.all([
        Promise.all(
          queues.map((q) =>
            q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
          ),
        ),
        Promise.all(queues.map((q) => q.getCountsPerPriority([...QUEUE_PRIORITIES_IN_USE]))),
      ]);
      const depth: Record<string, number> = {};
      for (const [queuePriority, n] of perPriority.flatMap((p) => Object.entries(p))) {
        const { apiPriority, kind } = fromQueuePriority(Number(queuePriority));
        const key = kind === 'jit' ? 'jit' : String(apiPriority);
        depth[key] = (depth[key] ?? 0) + n;
      }
      const total = (state: string): number => counts.reduce((sum, c) => sum + (c[state] ?? 0), 0);
      return {
        available: true,
        workers: await this.workerCounts(),
        waiting: total('waiting') + total('prioritized'),
        active: total('active'),
        delayed: total('delayed'),
        failed: total('failed'),
        depth_by_priority: depth,
      };
    } catch {
      return {
        available: false,
        workers: null,
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
        depth_by_priority: {},
      };
    }
  }

  private async resultFromHistory(taskId: string): Promise<CheckOutcomeDto | null> {
    const row = await this.results.findByTaskId(null, taskId);
    if (!row) return null;
    const host = await this.hosts.findById(row.hostId);
    return outcomeFromHistory(row, host);
  }

  private async requireHost(id: string): Promise<HostEntity> {
    const host = await this.hosts.findById(id);
    if (!host) throw new NotFoundException(`Host '${id}' not found`);
    return host;
  }
}
