import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { ImportReport } from '../../../core/api/api-types';

/**
 * Import hosts from a CSV file or an Ansible inventory: drop or pick the file, read the dry
 * run's report line by line, then apply it. The dialog closes with the applied report.
 */
@Component({
  selector: 'hw-import-dialog',
  imports: [MatDialogModule, MatButtonModule, MatProgressBarModule],
  template: `
    <h2 mat-dialog-title>Import hosts</h2>
    <mat-dialog-content>
      <div
        class="drop"
        [class.over]="over()"
        (dragover)="$event.preventDefault(); over.set(true)"
        (dragleave)="over.set(false)"
        (drop)="onDrop($event)"
        data-testid="import-drop"
      >
        <p>
          Drop a CSV file (<code>.csv</code>) or an Ansible inventory (<code>.ini</code>,
          <code>.yml</code>) here, or
          <label class="pick">
            choose one
            <input
              type="file"
              accept=".csv,.ini,.cfg,.yml,.yaml,text/csv"
              (change)="onPick($event)"
              data-testid="import-file"
            />
          </label>
        </p>
        <p class="muted small">
          CSV columns: hostname (required), ip_address, port, username, credential, tags (separated
          by ;), description, is_active.
        </p>
        @if (file(); as f) {
          <p data-testid="import-file-name">{{ f.name }}</p>
        }
      </div>
      @if (busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Reading the file" />
      }
      @if (error(); as message) {
        <p class="error-text" role="alert" data-testid="import-error">{{ message }}</p>
      }
      @if (report(); as r) {
        <p role="status" data-testid="import-summary">
          {{ r.dry_run ? 'Would create' : 'Created' }} {{ r.created }},
          {{ r.dry_run ? 'update' : 'updated' }} {{ r.updated }}, refused {{ r.refused }}.
        </p>
        <div class="rows" tabindex="0" role="region" aria-label="Rows of the import report">
          <table class="report" aria-label="Import report" data-testid="import-report">
            <thead>
              <tr>
                <th>Line</th>
                <th>Hostname</th>
                <th>Action</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              @for (row of shown(); track row.line + row.hostname) {
                <tr [class.refused]="row.action === 'refuse'" [attr.data-line]="row.line">
                  <td>{{ row.line }}</td>
                  <td>{{ row.hostname }}</td>
                  <td>{{ row.action }}</td>
                  <td>{{ row.errors.join('; ') }}</td>
                </tr>
              }
            </tbody>
          </table>
          @if (r.rows.length > shown().length) {
            <p class="muted small">
              The first {{ shown().length }} of {{ r.rows.length }} rows, refused ones first.
            </p>
          }
        </div>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button
        mat-flat-button
        type="button"
        [disabled]="!canApply()"
        (click)="apply()"
        data-testid="import-apply"
      >
        Apply
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .drop {
      border: 2px dashed var(--mat-sys-outline);
      border-radius: 8px;
      padding: 12px 16px;
      margin-bottom: 12px;
    }
    .drop.over {
      border-color: var(--mat-sys-primary);
    }
    .pick {
      color: var(--mat-sys-primary);
      cursor: pointer;
      text-decoration: underline;
    }
    .pick input {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    .rows {
      max-height: 40vh;
      overflow: auto;
    }
    .report {
      border-collapse: collapse;
      width: 100%;
    }
    .report th,
    .report td {
      text-align: left;
      padding: 2px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .refused td {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportDialog {
  private readonly api = inject(ApiService);
  private readonly ref = inject(MatDialogRef<ImportDialog, ImportReport>);

  protected readonly file = signal<File | null>(null);
  protected readonly report = signal<ImportReport | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly over = signal(false);
  /** A dry run that would change something, not applied yet. */
  protected readonly canApply = computed(() => {
    const r = this.report();
    return !this.busy() && r !== null && r.dry_run && r.created + r.updated > 0;
  });
  /** Refused rows first, then the rest; at most 500 on show. */
  protected readonly shown = computed(() => {
    const rows = this.report()?.rows ?? [];
    return [
      ...rows.filter((r) => r.action === 'refuse'),
      ...rows.filter((r) => r.action !== 'refuse'),
    ].slice(0, 500);
  });

  protected onPick(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) this.read(file);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.over.set(false);
    const file = event.dataTransfer?.files?.[0];
    if (file) this.read(file);
  }

  /** A new file: its dry run. */
  private read(file: File): void {
    this.file.set(file);
    this.report.set(null);
    this.send(true);
  }

  protected apply(): void {
    this.send(false);
  }

  private send(dryRun: boolean): void {
    const file = this.file();
    if (!file) return;
    this.busy.set(true);
    this.error.set(null);
    this.api.importHosts(file, dryRun).subscribe({
      next: (report) => {
        this.busy.set(false);
        if (dryRun) this.report.set(report);
        else this.ref.close(report);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(describeHttpError(error));
      },
    });
  }
}
