import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badRequest } from '../common/validation';
import { Clock } from '../common/clock';
import { CHECKED_STATES, DEFAULT_POLICY, MonitoringPolicy, validatePolicy } from '../state-machine';
import { MonitoringSettingsRepository } from './monitoring-settings.repository';

const POLICY_KEY = 'policy';
const SCHEDULER_KEY = 'scheduler';
/** How long a process trusts its cached copy; other processes' edits show up within this. */
const CACHE_MS = 2000;

/**
 * The persisted monitoring settings: the state policy and the scheduler's enabled flag.
 * Workers and producers read them on every check or tick, so they are cached briefly.
 */
@Injectable()
export class MonitoringSettingsService {
  private readonly logger = new Logger(MonitoringSettingsService.name);
  private policyCache: { value: MonitoringPolicy; at: number } | null = null;
  private schedulerCache: { value: boolean; at: number } | null = null;

  constructor(
    private readonly settings: MonitoringSettingsRepository,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async getPolicy(): Promise<MonitoringPolicy> {
    const now = this.clock.now().getTime();
    if (this.policyCache && now - this.policyCache.at < CACHE_MS) return this.policyCache.value;
    const stored = await this.settings.get(POLICY_KEY);
    let policy: MonitoringPolicy = DEFAULT_POLICY;
    if (stored !== undefined) {
      const checked = validatePolicy(stored, DEFAULT_POLICY);
      if (checked.ok) policy = checked.policy;
      else this.logger.warn('Stored policy is invalid; using the defaults until it is saved again');
    }
    this.policyCache = { value: policy, at: now };
    return policy;
  }

  /**
   * Merges a partial policy over the current one, validates, persists, and brings the hosts'
   * queue priorities (and next checks that the new intervals make earlier) in line at once.
   */
  async updatePolicy(input: unknown): Promise<MonitoringPolicy> {
    const current = await this.getPolicy();
    const checked = validatePolicy(input, current);
    if (!checked.ok) throw badRequest(checked.errors);
    const policy = checked.policy;
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO monitoring_settings (key, value, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [POLICY_KEY, JSON.stringify(policy)],
      );
      const priorityCases = [...CHECKED_STATES, 'UNKNOWN' as const]
        .map((s) => `WHEN '${s}' THEN ${policy.priorities[s]}`)
        .join(' ');
      const intervalCases = CHECKED_STATES.map(
        (s) => `WHEN '${s}' THEN ${policy.intervals_seconds[s]}`,
      ).join(' ');
      await tx.query(
        `UPDATE hosts SET
           check_priority = CASE monitoring_state ${priorityCases} ELSE check_priority END,
           next_check_at = CASE
             WHEN monitoring_state IN (${CHECKED_STATES.map((s) => `'${s}'`).join(',')})
               AND last_check_at IS NOT NULL AND next_check_at IS NOT NULL
             THEN LEAST(next_check_at, last_check_at + make_interval(secs => CASE monitoring_state ${intervalCases} END))
             ELSE next_check_at END`,
      );
    });
    this.policyCache = { value: policy, at: this.clock.now().getTime() };
    return policy;
  }

  async isSchedulerEnabled(): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (this.schedulerCache && now - this.schedulerCache.at < CACHE_MS) {
      return this.schedulerCache.value;
    }
    const stored = (await this.settings.get(SCHEDULER_KEY)) as { enabled?: unknown } | undefined;
    const enabled = typeof stored?.enabled === 'boolean' ? stored.enabled : true;
    this.schedulerCache = { value: enabled, at: now };
    return enabled;
  }

  async setSchedulerEnabled(enabled: boolean): Promise<boolean> {
    await this.settings.put(SCHEDULER_KEY, { enabled });
    this.schedulerCache = { value: enabled, at: this.clock.now().getTime() };
    return enabled;
  }
}
