import { Injectable } from '@nestjs/common';
import { RESOLVE_REASONS } from '../alerts/alert-vocabulary';
import { AlertsRepository } from '../alerts/alerts.repository';
import { AlertsService } from '../alerts/alerts.service';
import { HostStatusRepository, type MaintenanceCover } from '../hosts/host-status.repository';
import { HostsRepository } from '../hosts/hosts.repository';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { priorityFor } from '../state-machine';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { activeOccurrence } from './occurrences';

export interface MaintenanceReport {
  /** Hosts that entered MAINTENANCE. */
  entered: string[];
  /** Hosts that left it (UNKNOWN, due at once). */
  left: string[];
}

/**
 * Brings hosts in line with the maintenance windows at a moment: hosts a window on now covers
 * (by id or by tag, so also hosts that joined while it is on) enter MAINTENANCE and their open
 * problems resolve ("maintenance started"); hosts whose window ended, and hosts put in
 * maintenance by hand until a time now past, become UNKNOWN, due at once. One transaction,
 * idempotent: the scheduler runs it every tick before claiming due hosts, and the API after
 * each change of a window.
 */
@Injectable()
export class MaintenanceScheduleService {
  constructor(
    private readonly windows: MaintenanceWindowsRepository,
    private readonly hosts: HostsRepository,
    private readonly status: HostStatusRepository,
    private readonly alerts: AlertsRepository,
    private readonly alertEvents: AlertsService,
    private readonly settings: MonitoringSettingsService,
  ) {}

  async apply(now: Date): Promise<MaintenanceReport> {
    const covers: MaintenanceCover[] = [];
    for (const w of await this.windows.findAll()) {
      const occurrence = activeOccurrence(w, now);
      if (!occurrence) continue;
      covers.push({
        windowId: w.id,
        hostIds: w.hostIds,
        tags: w.tags,
        endsAt: occurrence.endsAt,
        reason: w.reason ?? w.name,
      });
    }
    const policy = await this.settings.getPolicy();
    const { report, resolved } = await this.hosts.transaction(async (tx) => {
      // Leave first: a host whose manual maintenance ended inside an active window enters the
      // window's at once.
      const left = await this.status.leaveMaintenance(
        tx,
        covers,
        now,
        priorityFor('UNKNOWN', policy),
      );
      const entered = await this.status.enterMaintenance(
        tx,
        covers,
        now,
        priorityFor('MAINTENANCE', policy),
      );
      const changes = await this.alerts.resolveForHosts(
        tx,
        entered,
        RESOLVE_REASONS.maintenance,
        now,
        { state: 'MAINTENANCE' },
      );
      const back = new Set(entered);
      return {
        report: { entered, left: left.filter((id) => !back.has(id)) },
        resolved: changes,
      };
    });
    this.alertEvents.announce(resolved);
    return report;
  }
}
