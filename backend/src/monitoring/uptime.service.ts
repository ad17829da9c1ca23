import { Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { badRequest } from '../common/validation';
import {
  HostStateChangesRepository,
  type UptimeScope,
} from '../hosts/host-state-changes.repository';
import { HostsRepository } from '../hosts/hosts.repository';
import { uptimeOf } from '../state-machine';
import type {
  FleetUptimeQueryDto,
  HostsUptimeQueryDto,
  HostsUptimeResponseDto,
  UptimeQueryDto,
  UptimeResponseDto,
} from './dto/uptime.dto';

const DAY_MS = 24 * 3600_000;
/** The window when `from` is not given. */
const DEFAULT_DAYS = 30;

/**
 * Uptime and availability over a window, per host or per tag, from the hosts' state changes
 * (time in each state), not from check counts.
 */
@Injectable()
export class UptimeService {
  constructor(
    private readonly changes: HostStateChangesRepository,
    private readonly hosts: HostsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async host(id: string, query: UptimeQueryDto): Promise<UptimeResponseDto> {
    const window = this.window(query);
    if (!(await this.hosts.findById(id))) throw new NotFoundException(`Host '${id}' not found`);
    return this.report({ hostId: id }, window);
  }

  fleet(query: FleetUptimeQueryDto): Promise<UptimeResponseDto> {
    const window = this.window(query);
    return this.report(query.tag !== undefined ? { tag: query.tag } : { all: true }, window);
  }

  /** Each of these hosts apart (a page of the host list); unknown ids are left out. */
  async eachHost(query: HostsUptimeQueryDto): Promise<HostsUptimeResponseDto> {
    const window = this.window(query);
    const ids = [...new Set(query.ids.map((id) => id.toLowerCase()))];
    const existing = new Set(await this.hosts.existingIds(ids));
    const known = ids.filter((id) => existing.has(id));
    const durations = await this.changes.durationsByHost(known, window.from, window.to);
    return {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      hosts: known.map((id) => ({ host_id: id, ...uptimeOf(durations.get(id)!) })),
    };
  }

  private async report(
    scope: UptimeScope,
    window: { from: Date; to: Date },
  ): Promise<UptimeResponseDto> {
    const { shares, availability } = uptimeOf(
      await this.changes.durations(scope, window.from, window.to),
    );
    return { from: window.from.toISOString(), to: window.to.toISOString(), shares, availability };
  }

  /**
   * The window: `to` at most now (the future has no states yet), `from` 30 days before by
   * default; `from` must come before `to`, and the window fit in ROLLUP_RETENTION_DAYS (older
   * changes are gone).
   */
  private window(query: UptimeQueryDto): { from: Date; to: Date } {
    const now = this.clock.now();
    const to = query.to && query.to.getTime() < now.getTime() ? query.to : now;
    const from = query.from ?? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
    if (from.getTime() >= to.getTime()) {
      throw badRequest([
        { field: 'from', problem: `must be before to (${to.toISOString()}, at most now)` },
      ]);
    }
    const maxDays = this.config.rollupRetentionDays;
    if (to.getTime() - from.getTime() > maxDays * DAY_MS) {
      throw badRequest([
        {
          field: 'from',
          problem: `the window may be at most ${maxDays} days long (ROLLUP_RETENTION_DAYS); state changes older than that are not kept`,
        },
      ]);
    }
    return { from, to };
  }
}
