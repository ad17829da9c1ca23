import { Injectable, Logger } from '@nestjs/common';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { priorityFor } from '../state-machine';

/**
 * Ends the maintenance windows that are over (a bulk maintenance_on with `until`): those hosts
 * go to UNKNOWN, due at once, so the same tick's claim takes them.
 */
@Injectable()
export class MaintenanceWindows {
  private readonly logger = new Logger(MaintenanceWindows.name);

  constructor(
    private readonly status: HostStatusRepository,
    private readonly settings: MonitoringSettingsService,
  ) {}

  async endDue(now: Date): Promise<number> {
    const policy = await this.settings.getPolicy();
    const ended = await this.status.endMaintenanceWindows(now, priorityFor('UNKNOWN', policy));
    if (ended.length > 0) this.logger.log(`Maintenance ended for ${ended.length} host(s)`);
    return ended.length;
  }
}
