import { Injectable } from '@nestjs/common';
import { RESOLVE_REASONS } from '../alerts/alert-vocabulary';
import { AlertsRepository } from '../alerts/alerts.repository';
import { AlertsService } from '../alerts/alerts.service';
import { HostStatusRepository, type MaintenanceCover } from '../hosts/host-status.repository';
import { HostEventsBus } from '../hosts/host-events.bus';
import { currentStatus } from '../hosts/host-status.mapper';
import { HostsRepository } from '../hosts/hosts.repository';
import { toHostResponse } from '../hosts/hosts.service';
import { MonitoringSettingsService } from '../settings/monitoring-settings.service';
import { priorityFor, type MonitoringState } from '../state-machine';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { activeOccurrence } from './occurrences';

/** Hosts told to open consoles per pass, at most. */
const LIVE_LIMIT = 200;

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
    private readonly hostEvents: HostEventsBus,
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
    const { report, resolved, before } = await this.hosts.transaction(async (tx) => {
      // Leave first: a host whose manual maintenance ended inside an active window enters the
      // window's at once.
      const left = await this.status.leaveMaintenance(
        tx,
        covers,
        now,
        priorityFor('UNKNOWN', policy),
      );
      const enteredRows = await this.status.enterMaintenance(
        tx,
        covers,
        now,
        priorityFor('MAINTENANCE', policy),
      );
      const entered = enteredRows.map((r) => r.hostId);
      const changes = await this.alerts.resolveForHosts(
        tx,
        entered,
        RESOLVE_REASONS.maintenance,
        now,
        { state: 'MAINTENANCE' },
      );
      const back = new Set(entered);
      const wasIn = new Map(enteredRows.map((r) => [r.hostId, r.oldState]));
      return {
        report: { entered, left: left.filter((id) => !back.has(id)) },
        resolved: changes,
        before: wasIn,
      };
    });
    this.alertEvents.announce(resolved);
    await this.announce(report, before, now);
    return report;
  }

  /**
   * Tells open consoles of hosts that entered or left maintenance (host_updated, as a person's
   * change would), up to LIVE_LIMIT per pass; a console showing more reads its list again when
   * it next loads.
   */
  private async announce(
    report: MaintenanceReport,
    before: Map<string, MonitoringState>,
    now: Date,
  ): Promise<void> {
    const ids = [...report.entered, ...report.left].slice(0, LIVE_LIMIT);
    for (const id of ids) {
      const host = await this.hosts.findById(id);
      if (!host) continue;
      const response = toHostResponse(host);
      const entered = before.has(id);
      this.hostEvents.publish({
        type: 'host_updated',
        host: response,
        previous: {
          ...response,
          monitoring_state: entered ? before.get(id)! : 'MAINTENANCE',
          current_status: currentStatus(entered ? before.get(id)! : 'MAINTENANCE'),
        },
        at: now.toISOString(),
      });
    }
  }
}
