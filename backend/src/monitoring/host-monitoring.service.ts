import { Injectable, NotFoundException } from '@nestjs/common';
import { badRequest } from '../common/validation';
import type { HostEntity } from '../hosts/entities/host.entity';
import { HostsRepository } from '../hosts/hosts.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { currentStatus } from '../hosts/host-status.mapper';
import { describeInterval } from './check-interval.mapper';
import { CheckHistoryRepository } from './check-history.repository';
import type {
  HistoryItemDto,
  HistoryPageDto,
  HistoryQueryDto,
  HostStateResponseDto,
} from './dto/monitoring.dto';
import type { HostCheckHistoryEntity } from './entities/host-check-history.entity';
import { decodeCursor, encodeCursor } from './history-cursor';
import type { HeartbeatsResponseDto } from './dto/heartbeats.dto';
import type { TransitionsResponseDto } from './dto/transitions.dto';
import { Clock } from '../common/clock';

/** How far back the fleet's latest transitions are looked for. */
const TRANSITIONS_WINDOW_MS = 7 * 24 * 3600 * 1000;

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
    unreachable: row.unreachable,
  };
}

/** A host's state machine and its history, as the monitoring API shows them. */
@Injectable()
export class HostMonitoringService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly checks: CheckHistoryRepository,
    private readonly settings: MonitoringSettingsService,
    private readonly clock: Clock,
  ) {}

  /** The latest results of each host (for heartbeat strips) and when its failing run began. */
  async heartbeats(hostIds: readonly string[], limit = 30): Promise<HeartbeatsResponseDto> {
    const rows = await this.checks.heartbeats([...new Set(hostIds)], limit);
    return {
      items: rows.map((row) => ({
        host_id: row.host_id,
        failing_since: row.failing_since ? new Date(row.failing_since).toISOString() : null,
        results: row.results.map((r) => ({
          check_time: new Date(r.check_time).toISOString(),
          success: r.success,
          state: r.state,
          response_time_ms: r.response_time_ms,
          error_type: r.error_type,
        })),
      })),
    };
  }

  /** The fleet's latest state changes, newest first, so a dashboard starts with its feed. */
  async recentTransitions(limit = 30): Promise<TransitionsResponseDto> {
    const since = new Date(this.clock.now().getTime() - TRANSITIONS_WINDOW_MS);
    const rows = await this.checks.recentTransitions(since, limit);
    return {
      items: rows.map((r) => ({
        host_id: r.host_id,
        hostname: r.hostname,
        from: r.from,
        to: r.to,
        at: new Date(r.at).toISOString(),
        task_id: r.task_id,
        error_type: r.error_type,
        error_message: r.error_message,
      })),
    };
  }

  async hostState(hostId: string): Promise<HostStateResponseDto> {
    const host = await this.requireHost(hostId);
    const status = host.status;
    const policy = await this.settings.getPolicy();
    const recent = await this.checks.historyPage({ hostId, limit: 10 });
    return {
      host_id: host.id,
      hostname: host.hostname,
      ip_address: host.ipAddress,
      current_state: status.monitoringState,
      current_status: currentStatus(status.monitoringState),
      consecutive_failures: status.consecutiveFailures,
      consecutive_successes: status.consecutiveSuccesses,
      next_check_time: status.nextCheckAt ? status.nextCheckAt.toISOString() : null,
      last_state_change: status.lastStateChangeAt ? status.lastStateChangeAt.toISOString() : null,
      check_priority: status.checkPriority,
      response_time_ms: status.responseTimeMs,
      last_check: status.lastCheckAt ? status.lastCheckAt.toISOString() : null,
      last_check_stage: status.lastCheckStage,
      last_error_type: status.lastErrorType,
      last_error_message: status.lastErrorMessage,
      host_key_fingerprint: host.hostKeyFingerprint,
      unreachable: status.unreachable,
      flapping: status.flapping,
      flap_percent: status.flapPercent,
      check_interval_info: describeInterval(status.monitoringState, policy),
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
        unreachable: r.unreachable,
      })),
    };
  }

  async history(hostId: string, query: HistoryQueryDto): Promise<HistoryPageDto> {
    await this.requireHost(hostId);
    if (query.since && query.until && query.since >= query.until) {
      throw badRequest([{ field: 'since', problem: 'must be earlier than until' }]);
    }
    const limit = query.limit ?? 50;
    const rows = await this.checks.historyPage({
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

  private async requireHost(id: string): Promise<HostEntity> {
    const host = await this.hosts.findById(id);
    if (!host) throw new NotFoundException(`Host '${id}' not found`);
    return host;
  }
}
