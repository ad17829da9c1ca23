import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import {
  describeHttpError,
  formErrors,
  topLevelField,
  type FormErrors,
} from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { MaintenanceWindow, Weekday } from '../../../core/api/api-types';
import { ConfirmData, ConfirmDialog } from '../../../shared/confirm-dialog';
import { HostPicker } from '../../hosts/components/host-picker';
import {
  describeSchedule,
  emptyMaintenanceDraft,
  maintenanceBody,
  type MaintenanceDraft,
  occurrenceLine,
  WEEKDAY_LABELS,
  WEEKDAYS,
} from '../maintenance-form';

const NO_ERRORS: FormErrors = { fields: {}, general: [] };
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * Maintenance windows: a form to plan one (once, weekly, or by cron, in a time zone), and each
 * window with whether it is on and its next occurrences, calendar-like, in its own zone.
 */
@Component({
  selector: 'hw-maintenance-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSnackBarModule,
    HostPicker,
  ],
  templateUrl: './maintenance.page.html',
  styleUrl: './admin-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MaintenancePage {
  private readonly api = inject(ApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);

  protected readonly weekdays = WEEKDAYS;
  protected readonly weekdayLabels = WEEKDAY_LABELS;
  protected readonly schedule = describeSchedule;
  protected readonly windows = signal<MaintenanceWindow[] | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly draft = signal<MaintenanceDraft>(emptyMaintenanceDraft(BROWSER_ZONE));
  protected readonly errors = signal<FormErrors>(NO_ERRORS);
  protected readonly saving = signal(false);
  /** The host picker's value: a host picked is added to the window, and the picker cleared. */
  protected readonly picked = signal<string | null>(null);
  protected readonly hostNames = signal<Record<string, string>>({});

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.api.listMaintenanceWindows().subscribe({
      next: (list) => {
        this.loadError.set(null);
        this.windows.set(list);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.loadError.set(describeHttpError(e));
        this.loading.set(false);
      },
    });
  }

  protected patch(change: Partial<MaintenanceDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected addHost(id: string | null): void {
    this.picked.set(id);
    if (!id) return;
    if (!this.draft().host_ids.includes(id))
      this.patch({ host_ids: [...this.draft().host_ids, id] });
    this.api.getHost(id).subscribe({
      next: (h) => this.hostNames.update((names) => ({ ...names, [id]: h.hostname })),
      error: () => undefined,
    });
    setTimeout(() => this.picked.set(null));
  }

  protected removeHost(id: string): void {
    this.patch({ host_ids: this.draft().host_ids.filter((h) => h !== id) });
  }

  protected toggleDay(day: Weekday, on: boolean): void {
    const days = this.draft().weekdays.filter((d) => d !== day);
    this.patch({ weekdays: on ? [...days, day] : days });
  }

  protected fieldError(field: string): string | null {
    const messages = this.errors().fields[field];
    return messages?.length ? messages.join(' ') : null;
  }

  /** The window's next occurrences as calendar lines, in the window's zone (else the browser's). */
  protected occurrences(w: MaintenanceWindow): string[] {
    const zone = w.recurrence?.time_zone ?? BROWSER_ZONE;
    return w.next_occurrences.map((o) => occurrenceLine(o, zone));
  }

  protected save(): void {
    this.saving.set(true);
    this.errors.set(NO_ERRORS);
    this.api.createMaintenanceWindow(maintenanceBody(this.draft())).subscribe({
      next: (w) => {
        this.saving.set(false);
        this.snack.open(`Maintenance window ${w.name} added${w.active ? ': on now' : ''}.`, 'OK', {
          duration: 4000,
        });
        this.draft.set(emptyMaintenanceDraft(BROWSER_ZONE));
        this.load();
      },
      error: (e: unknown) => {
        this.saving.set(false);
        // recurrence.cron lands on the cron field, and so on.
        const out = formErrors(e, (f) =>
          f.startsWith('recurrence.') ? topLevelField(f.slice(11)) : topLevelField(f),
        );
        if ((e as { status?: number })?.status === 409) {
          this.errors.set({ fields: { name: [out.general.join(' ') || 'is taken'] }, general: [] });
          return;
        }
        this.errors.set(out);
      },
    });
  }

  protected remove(w: MaintenanceWindow): void {
    const data: ConfirmData = {
      title: `Delete maintenance window ${w.name}?`,
      message: w.active
        ? 'It is on now: its hosts leave maintenance and are checked at once.'
        : 'Its future occurrences will not happen.',
      confirm: 'Delete',
    };
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (!yes) return;
        this.api.deleteMaintenanceWindow(w.id).subscribe({
          next: () => {
            this.snack.open(`Maintenance window ${w.name} deleted.`, 'OK', { duration: 4000 });
            this.load();
          },
          error: (e: unknown) => this.snack.open(describeHttpError(e), 'OK', { duration: 8000 }),
        });
      });
  }
}
