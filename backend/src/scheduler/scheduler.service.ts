import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { MaintenanceScheduleService } from '../maintenance/maintenance-schedule.service';
import { DependencyStatus } from '../config/dependency-status';
import { isDatabaseUnavailable, isRedisUnavailable } from '../common/dependency-errors';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { DueChecksProducer } from './due-checks.producer';

export interface TickReport {
  /** paused: Redis or PostgreSQL is away (DependencyStatus), so no host is claimed. */
  skipped?: 'disabled' | 'busy' | 'paused';
  claimed: number;
}

const TICK_NAME = 'monitoring-producer';

/**
 * The producer's clock: every SCHEDULER_TICK_MS it applies the maintenance windows, then has
 * DueChecksProducer claim due hosts and queue them. It only decides and enqueues; checks run in workers. A tick never overlaps itself, and as it only awaits
 * I/O it never blocks the API in the same process.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private running: Promise<TickReport> | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly producer: DueChecksProducer,
    private readonly maintenance: MaintenanceScheduleService,
    private readonly settings: MonitoringSettingsService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dependencies: DependencyStatus,
  ) {}

  onApplicationBootstrap(): void {
    const handle = setInterval(() => void this.tick(), this.config.schedulerTickMs);
    this.registry.addInterval(TICK_NAME, handle);
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /**
   * For readiness: whether the producer ticks, and the fault of its last tick if it failed.
   */
  status(): { running: boolean; lastError: string | null } {
    return {
      running: this.registry.doesExist('interval', TICK_NAME),
      lastError: this.lastError,
    };
  }

  /** Stops claiming (shutdown): no new tick starts; resolves when the running one is over. */
  async stop(): Promise<void> {
    if (this.registry.doesExist('interval', TICK_NAME)) this.registry.deleteInterval(TICK_NAME);
    await this.idle();
  }

  /** Resolves when no tick is running (tests and shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** One tick; returns at once with `busy` while the previous one is still running. */
  tick(): Promise<TickReport> {
    if (this.running) return Promise.resolve({ skipped: 'busy', claimed: 0 });
    this.running = this.runTick().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runTick(): Promise<TickReport> {
    // Claiming hosts that cannot be queued would only hold them back for a lease: while a
    // dependency is away, hosts stay due and are claimed on the first tick after it is back.
    if (!this.dependencies.allUp()) return { skipped: 'paused', claimed: 0 };
    try {
      const now = this.clock.now();
      // Maintenance first, whether or not checks are scheduled: a window that started takes its
      // hosts out of this very claim, and the hosts of one that ended are claimed in it.
      await this.maintenance.apply(now);
      if (!(await this.settings.isSchedulerEnabled())) return { skipped: 'disabled', claimed: 0 };
      const { claimed } = await this.producer.produce(now);
      if (this.lastError) {
        this.logger.log('Producer recovered; queueing due hosts again');
        this.lastError = null;
      }
      return { claimed };
    } catch (error) {
      const message = (error as Error).message;
      // A dependency going away is the watcher's to notice and DependencyStatus' to log, once
      // for the outage; the next ticks are paused until it is back.
      if (isRedisUnavailable(error) || isDatabaseUnavailable(error)) return { claimed: 0 };
      // Log once per distinct fault, not every tick. Claimed hosts come due again after the lease.
      if (message !== this.lastError) this.logger.error(`Producer tick failed: ${message}`);
      this.lastError = message;
      return { claimed: 0 };
    }
  }
}
