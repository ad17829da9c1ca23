import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { HostStateChangesRepository } from '../hosts/host-state-changes.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { CheckHistoryRepository } from './check-history.repository';

const DAY_MS = 86_400_000;
/** How often a scheduler process deletes what is past its retention. */
export const RETENTION_EVERY_MS = 10 * 60_000;
/** Rows per DELETE: each statement is short and locks only its own rows. */
export const RETENTION_BATCH = 5000;
/** Statements per table per run; a larger backlog drains over the next runs. */
export const RETENTION_MAX_BATCHES = 200;

export interface RetentionReport {
  history: number;
  stateChanges: number;
  /** Daily rollup rows. */
  stateDays: number;
  /** Rows were left for the next run (the batch limit was reached). */
  more: boolean;
}

/**
 * Deletes check history older than its retention (the policy's history_retention_days, else
 * HISTORY_RETENTION_DAYS) and state changes older than ROLLUP_RETENTION_DAYS (each host keeps
 * its last one, the state its oldest report opens in), in bounded batches: no statement holds a
 * lock for long or on more than its batch, so checks keep being applied meanwhile, and the
 * space freed is reused by autovacuum as new rows come (a steady state, not a growing file).
 * Runs in scheduler processes every RETENTION_EVERY_MS, and once at start.
 */
@Injectable()
export class HistoryRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HistoryRetentionService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionReport> | null = null;

  constructor(
    private readonly history: CheckHistoryRepository,
    private readonly changes: HostStateChangesRepository,
    private readonly settings: MonitoringSettingsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.hasRole('scheduler')) return;
    this.timer = setInterval(() => void this.runSafely(), RETENTION_EVERY_MS);
    this.timer.unref();
    void this.runSafely();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One run; a run still going is joined rather than doubled. */
  run(batchSize = RETENTION_BATCH, maxBatches = RETENTION_MAX_BATCHES): Promise<RetentionReport> {
    this.running ??= this.cleanup(batchSize, maxBatches).finally(() => (this.running = null));
    return this.running;
  }

  private async runSafely(): Promise<void> {
    try {
      const r = await this.run();
      if (r.history + r.stateChanges + r.stateDays > 0) {
        this.logger.log(
          `Deleted ${r.history} checks, ${r.stateChanges} state changes and ${r.stateDays} daily rollups past their retention${r.more ? '; more next run' : ''}`,
        );
      }
    } catch (error) {
      this.logger.warn(`Retention run failed: ${(error as Error).message}`);
    }
  }

  private async cleanup(batchSize: number, maxBatches: number): Promise<RetentionReport> {
    const now = this.clock.now().getTime();
    const policy = await this.settings.getPolicy();
    const historyDays = policy.history_retention_days ?? this.config.historyRetentionDays;
    const report: RetentionReport = { history: 0, stateChanges: 0, stateDays: 0, more: false };
    const drain = async (remove: () => Promise<number>): Promise<number> => {
      let total = 0;
      for (let i = 0; i < maxBatches; i++) {
        const n = await remove();
        total += n;
        if (n < batchSize) return total;
      }
      report.more = true;
      return total;
    };
    const historyCutoff = new Date(now - historyDays * DAY_MS);
    report.history = await drain(() => this.history.deleteOlderThan(historyCutoff, batchSize));
    const changesCutoff = new Date(now - this.config.rollupRetentionDays * DAY_MS);
    report.stateChanges = await drain(() => this.changes.deleteBefore(changesCutoff, batchSize));
    report.stateDays = await drain(() => this.changes.deleteDaysBefore(changesCutoff, batchSize));
    return report;
  }
}
