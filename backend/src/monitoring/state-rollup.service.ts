import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { HostStateChangesRepository } from '../hosts/host-state-changes.repository';

const DAY_MS = 86_400_000;
/** How often a scheduler process rolls up the days that are over. */
export const ROLLUP_EVERY_MS = 10 * 60_000;
/**
 * How long after midnight (UTC) a day is rolled up: a check's result is applied at most this
 * long after its check time, so by then no change of the day can still arrive.
 */
export const ROLLUP_GRACE_MS = 3600_000;
/** Days per run; a longer backlog (a first run on old data) goes on at the next runs. */
export const ROLLUP_MAX_DAYS = 31;

/**
 * Rolls up each UTC day, once it is over, into host_state_days: per host, the time spent in
 * each state that day. Uptime reports then read whole days from the rollup (a row per host per
 * day) and only their partial edges from the state changes. Runs in scheduler processes.
 */
@Injectable()
export class StateRollupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StateRollupService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly changes: HostStateChangesRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.hasRole('scheduler')) return;
    this.timer = setInterval(() => void this.runSafely(), ROLLUP_EVERY_MS);
    this.timer.unref();
    void this.runSafely();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Rolls up the days that are over and not rolled up yet; returns how many. */
  run(maxDays = ROLLUP_MAX_DAYS): Promise<number> {
    this.running ??= this.rollUp(maxDays).finally(() => (this.running = null));
    return this.running;
  }

  private async runSafely(): Promise<void> {
    try {
      const days = await this.run();
      if (days > 0) this.logger.log(`Rolled up ${days} day(s) of state changes`);
    } catch (error) {
      this.logger.warn(`Roll-up of state changes failed: ${(error as Error).message}`);
    }
  }

  private async rollUp(maxDays: number): Promise<number> {
    const start = (await this.changes.rolledUntil()) ?? (await this.changes.firstChangeDay());
    if (!start) return 0;
    const now = this.clock.now().getTime();
    let day = start.getTime();
    let done = 0;
    while (done < maxDays && day + DAY_MS + ROLLUP_GRACE_MS <= now) {
      await this.changes.rollUpDay(new Date(day));
      day += DAY_MS;
      done += 1;
    }
    return done;
  }
}
