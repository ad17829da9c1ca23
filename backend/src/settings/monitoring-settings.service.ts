import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { badRequest } from '../common/validation';
import { Clock } from '../common/clock';
import { DEFAULT_POLICY, MonitoringPolicy, validatePolicy } from '../state-machine';
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
   * A partial policy merged over the current one and validated as a whole; a 400 naming every
   * field that is wrong otherwise. Nothing is stored.
   */
  async mergedPolicy(input: unknown): Promise<MonitoringPolicy> {
    const checked = validatePolicy(input, await this.getPolicy());
    if (!checked.ok) throw badRequest(checked.errors);
    return checked.policy;
  }

  /** Stores a validated policy in the caller's transaction; call usePolicy once it commits. */
  async savePolicy(tx: EntityManager, policy: MonitoringPolicy): Promise<void> {
    await this.settings.put(POLICY_KEY, policy, tx);
  }

  /** This process uses `policy` from now on (other processes within CACHE_MS). */
  usePolicy(policy: MonitoringPolicy): void {
    this.policyCache = { value: policy, at: this.clock.now().getTime() };
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
