import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { formErrors } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { User } from '../../../core/api/api-types';

/** Sets a user's password (it ends their sessions); the API's 400 goes on the field. */
@Component({
  selector: 'hw-set-password-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>Set a password for {{ user.username }}</h2>
    <form (ngSubmit)="save()" novalidate>
      <mat-dialog-content>
        <p>Their sessions end; they sign in again with the new password.</p>
        @for (m of general(); track m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
        <mat-form-field class="wide">
          <mat-label>New password</mat-label>
          <input
            matInput
            type="password"
            name="password"
            autocomplete="new-password"
            cdkFocusInitial
            [ngModel]="password()"
            (ngModelChange)="password.set($event)"
            [attr.aria-invalid]="error() ? true : null"
            data-testid="set-password"
          />
          @if (error(); as e) {
            <mat-hint class="error-text" data-testid="set-password-error">{{ e }}</mat-hint>
          } @else {
            <mat-hint>12 characters or more</mat-hint>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">Set password</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide {
      width: 100%;
      min-width: 240px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SetPasswordDialog {
  protected readonly user = inject<User>(MAT_DIALOG_DATA);
  private readonly api = inject(ApiService);
  private readonly ref = inject(MatDialogRef<SetPasswordDialog, boolean>);
  protected readonly password = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly general = signal<string[]>([]);
  protected readonly busy = signal(false);

  protected save(): void {
    this.busy.set(true);
    this.error.set(null);
    this.general.set([]);
    this.api.updateUser(this.user.id, { password: this.password() }).subscribe({
      next: () => {
        this.password.set('');
        this.ref.close(true);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        const problems = formErrors(e);
        this.error.set(problems.fields['password']?.join('; ') ?? null);
        this.general.set([
          ...problems.general,
          ...Object.entries(problems.fields)
            .filter(([f]) => f !== 'password')
            .flatMap(([, p]) => p),
        ]);
      },
    });
  }
}
