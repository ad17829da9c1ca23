import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { SessionsRepository } from './sessions.repository';

/** How often the API process looks for old sessions to delete. */
export const AUTH_CLEANUP_EVERY_MS = 10 * 60_000;
/** Rows per DELETE: each statement is short, so a big backlog never holds long locks. */
export const AUTH_CLEANUP_BATCH = 1000;
/** Statements per table per run; a backlog larger than this drains over the next runs. */
export const AUTH_CLEANUP_MAX_BATCHES = 20;

export interface CleanupReport {
  refreshTokens: number;
  sessions: number;
  /** Whether rows were left for the next run (the batch limit was reached). */
  more: boolean;
}

/**
 * Deletes login sessions that expired or were revoked more than AUTH_RETENTION_DAYS ago, with
 * their refresh tokens, in bounded batches. Runs in API processes every AUTH_CLEANUP_EVERY_MS
 * (and once at start); several API processes skip each other's rows instead of waiting.
 */
@Injectable()
export class AuthCleanupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuthCleanupService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CleanupReport> | null = null;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.hasRole('api')) return;
    this.timer = setInterval(() => void this.runSafely(), AUTH_CLEANUP_EVERY_MS);
    this.timer.unref();
    void this.runSafely();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One run; a run still going is joined rather than doubled. */
  run(
    batchSize = AUTH_CLEANUP_BATCH,
    maxBatches = AUTH_CLEANUP_MAX_BATCHES,
  ): Promise<CleanupReport> {
    this.running ??= this.cleanup(batchSize, maxBatches).finally(() => (this.running = null));
    return this.running;
  }

  private async runSafely(): Promise<void> {
    try {
      const report = await this.run();
      if (report.refreshTokens + report.sessions > 0) {
        this.logger.log(
          `Deleted ${report.sessions} login sessions and ${report.refreshTokens} refresh tokens ended over ${this.config.authRetentionDays} days ago${report.more ? '; more next run' : ''}`,
        );
      }
    } catch (error) {
      this.logger.warn(`Cleanup of old login sessions failed: ${(error as Error).message}`);
    }
  }

  private async cleanup(batchSize: number, maxBatches: number): Promise<CleanupReport> {
    const cutoff = new Date(
      this.clock.now().getTime() - this.config.authRetentionDays * 86_400_000,
    );
    const report: CleanupReport = { refreshTokens: 0, sessions: 0, more: false };
    let batches = 0;
    for (;;) {
      if (batches++ >= maxBatches) return { ...report, more: true };
      const n = await this.sessions.deleteTokensOfEndedSessions(cutoff, batchSize);
      report.refreshTokens += n;
      if (n < batchSize) break;
    }
    batches = 0;
    for (;;) {
      if (batches++ >= maxBatches) return { ...report, more: true };
      const n = await this.sessions.deleteEndedSessions(cutoff, batchSize);
      report.sessions += n;
      if (n < batchSize) break;
    }
    return report;
  }
}
