import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { MonitoringPolicy, schedulePricing } from '../state-machine';

/**
 * Changes to the monitoring settings that reach the hosts: a new policy is stored and every
 * scheduled host is brought in line with it (priorities, and next checks that a shorter
 * interval makes earlier) in one transaction; turning the scheduler on or off. Each is audited.
 */
@Injectable()
export class PolicyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: MonitoringSettingsService,
    private readonly status: HostStatusRepository,
    private readonly audit: AuditService,
  ) {}

  getPolicy(): Promise<MonitoringPolicy> {
    return this.settings.getPolicy();
  }

  /** Merges a partial policy over the current one, validates, persists and reprices. */
  async updatePolicy(input: unknown): Promise<MonitoringPolicy> {
    const policy = await this.settings.mergedPolicy(input);
    await this.dataSource.transaction(async (tx) => {
      await this.settings.savePolicy(tx, policy);
      await this.status.reprice(tx, schedulePricing(policy));
    });
    this.settings.usePolicy(policy);
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
}
