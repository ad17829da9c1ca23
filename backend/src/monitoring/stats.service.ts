import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { Dependency, DependencyStatus } from '../config/dependency-status';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { fromQueuePriority, MONITORING_STATES } from '../state-machine';
import { CheckHistoryRepository } from './check-history.repository';
import type { StatsResponseDto } from './dto/monitoring.dto';
import { STATS_HISTORY_DEFAULT_MINUTES, StatsHistoryResponseDto } from './dto/stats-history.dto';
import { CheckQueues } from './queue/check-queues';

/** A host is "overdue" when its check is this much later than due. */
const OVERDUE_AFTER_SECONDS = 60;

/** The fleet in figures: hosts per state, overdue hosts, the queues, recent checks. */
@Injectable()
export class StatsService {
  constructor(
    private readonly status: HostStatusRepository,
    private readonly history: CheckHistoryRepository,
    private readonly settings: MonitoringSettingsService,
    private readonly queues: CheckQueues,
    private readonly clock: Clock,
    private readonly dependencies: DependencyStatus,
  ) {}

  async stats(): Promise<StatsResponseDto> {
    const now = this.clock.now();
    const [byState, overdue, lastHour, enabled, queue] = await Promise.all([
      this.status.countByState(),
      this.status.overdueCount(new Date(now.getTime() - OVERDUE_AFTER_SECONDS * 1000)),
      this.history.windowStats(new Date(now.getTime() - 3600 * 1000)),
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
      dependencies: { redis: this.dependency('redis'), database: this.dependency('database') },
      generated_at: now.toISOString(),
    };
  }

  private dependency(name: Dependency): StatsResponseDto['dependencies']['redis'] {
    const state = this.dependencies.state(name);
    return {
      up: state.up,
      since: state.since.toISOString(),
      outages: state.outages,
      down_seconds: state.downSeconds,
    };
  }

  /** Per-minute checks, failures and response times for the last `minutes` minutes. */
  async statsHistory(minutes = STATS_HISTORY_DEFAULT_MINUTES): Promise<StatsHistoryResponseDto> {
    const until = this.clock.now();
    const lastMinute = Math.floor(until.getTime() / 60_000) * 60_000;
    const firstMinute = lastMinute - (minutes - 1) * 60_000;
    const rows = await this.history.perMinute(new Date(firstMinute), new Date(lastMinute), until);
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
   * Both queues together: scheduled jobs by priority, JIT jobs (their own queue) as `jit`.
   * Counts are jobs; a scheduled job may carry several checks.
   */
  private async queueStats(): Promise<StatsResponseDto['queue']> {
    try {
      const { counts, perPriority } = await this.queues.counts();
      const depth: Record<string, number> = {};
      for (const [queuePriority, n] of perPriority.flatMap((p) => Object.entries(p))) {
        const { apiPriority, kind } = fromQueuePriority(Number(queuePriority));
        const key = kind === 'jit' ? 'jit' : String(apiPriority);
        depth[key] = (depth[key] ?? 0) + n;
      }
      const total = (state: string): number => counts.reduce((sum, c) => sum + (c[state] ?? 0), 0);
      return {
        available: true,
        unavailable_since: null,
        workers: await this.queues.workers(),
        waiting: total('waiting') + total('prioritized'),
        active: total('active'),
        delayed: total('delayed'),
        failed: total('failed'),
        depth_by_priority: depth,
      };
    } catch {
      const redis = this.dependencies.state('redis');
      return {
        available: false,
        unavailable_since: redis.up ? null : redis.since.toISOString(),
        workers: null,
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
        depth_by_priority: {},
      };
    }
  }
}
