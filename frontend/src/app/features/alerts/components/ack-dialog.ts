import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { AckAlert } from '../../../core/api/api-types';

export interface AckDialogData {
  /** What is acknowledged, for the title: "db-7" or "3 problems". */
  what: string;
}

/**
 * Acknowledge: why (required), whether it outlasts state changes (sticky), and until when.
 * Closes with the request body, or nothing on cancel.
 */
@Component({
  selector: 'hw-ack-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  template: `
    <form (ngSubmit)="submit()">
      <h2 mat-dialog-title>Acknowledge {{ data.what }}</h2>
      <mat-dialog-content class="fields">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Comment: who is on it, and why</mat-label>
          <textarea
            matInput
            name="comment"
            required
            rows="3"
            [ngModel]="comment()"
            (ngModelChange)="comment.set($event)"
            data-testid="ack-comment"
          ></textarea>
        </mat-form-field>
        <mat-checkbox
          name="sticky"
          [ngModel]="sticky()"
          (ngModelChange)="sticky.set($event)"
          data-testid="ack-sticky"
          >Sticky: keep it until the host recovers (otherwise the next state change clears
          it)</mat-checkbox
        >
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Expires (optional, your time)</mat-label>
          <input
            matInput
            type="datetime-local"
            name="expires_at"
            [ngModel]="expires()"
            (ngModelChange)="expires.set($event)"
            data-testid="ack-expires"
          />
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button
          mat-flat-button
          type="submit"
          [disabled]="!comment().trim()"
          data-testid="ack-submit"
        >
          Acknowledge
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .fields {
      display: grid;
      gap: 12px;
      min-width: min(420px, 80vw);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AckDialog {
  protected readonly data = inject<AckDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<AckDialog, AckAlert>>(MatDialogRef);
  protected readonly comment = signal('');
  protected readonly sticky = signal(false);
  protected readonly expires = signal('');

  protected submit(): void {
    const body: AckAlert = { comment: this.comment().trim(), sticky: this.sticky() };
    const expires = new Date(this.expires());
    if (this.expires() && !Number.isNaN(expires.getTime())) body.expires_at = expires.toISOString();
    this.ref.close(body);
  }
}
