import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { formErrors } from '../../../core/api/api-errors';
import { AuthService } from '../../../core/auth/auth.service';
import { ThemeService, type ThemeChoice } from '../../../core/theme/theme.service';
import {
  passwordField,
  passwordProblems,
  passwordProblemText,
  type PasswordDraft,
  type PasswordProblems,
} from '../password-form';

/** The signed-in user's own settings: the password, and the console's colours. */
@Component({
  selector: 'hw-account-page',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <div class="page">
      <h1>Your account</h1>
      @if (auth.user(); as user) {
        <p class="muted">Signed in as {{ user.username }} ({{ user.role }}).</p>
      }

      <section class="card" aria-labelledby="password-title">
        <h2 id="password-title">Change your password</h2>
        <p class="muted">Your other sessions end; this one stays signed in.</p>
        @if (done()) {
          <p role="status" class="ok" data-testid="password-changed">
            Password changed. Other sessions of your account have been signed out.
          </p>
        }
        @for (m of general(); track m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
        <form (ngSubmit)="save()" novalidate class="form" data-testid="password-form">
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>Current password</mat-label>
            <input
              matInput
              type="password"
              name="current"
              autocomplete="current-password"
              [ngModel]="draft().current"
              (ngModelChange)="patch({ current: $event })"
              [attr.aria-invalid]="problems().current ? true : null"
              data-testid="pw-current"
            />
            @if (problems().current; as e) {
              <mat-hint class="error-text" data-testid="pw-current-error">{{ e }}</mat-hint>
            }
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>New password</mat-label>
            <input
              matInput
              type="password"
              name="next"
              autocomplete="new-password"
              [ngModel]="draft().next"
              (ngModelChange)="patch({ next: $event })"
              [attr.aria-invalid]="problems().next ? true : null"
              data-testid="pw-new"
            />
            @if (problems().next; as e) {
              <mat-hint class="error-text" data-testid="pw-new-error">{{ e }}</mat-hint>
            } @else {
              <mat-hint>12 characters or more</mat-hint>
            }
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label>New password again</mat-label>
            <input
              matInput
              type="password"
              name="repeat"
              autocomplete="new-password"
              [ngModel]="draft().repeat"
              (ngModelChange)="patch({ repeat: $event })"
              [attr.aria-invalid]="problems().repeat ? true : null"
              data-testid="pw-repeat"
            />
            @if (problems().repeat; as e) {
              <mat-hint class="error-text" data-testid="pw-repeat-error">{{ e }}</mat-hint>
            }
          </mat-form-field>
          <div>
            <button mat-flat-button type="submit" [disabled]="busy()" data-testid="pw-save">
              Change password
            </button>
          </div>
        </form>
      </section>

      <section class="card spaced" aria-labelledby="theme-title">
        <h2 id="theme-title">Colours</h2>
        <div class="row" role="radiogroup" aria-labelledby="theme-title">
          @for (c of choices; track c.value) {
            <label class="choice">
              <input
                type="radio"
                name="theme"
                [value]="c.value"
                [checked]="theme.choice() === c.value"
                (change)="theme.choose(c.value)"
                [attr.data-testid]="'theme-' + c.value"
              />
              {{ c.label }}
            </label>
          }
        </div>
      </section>
    </div>
  `,
  styles: `
    .form {
      display: grid;
      gap: 12px;
      max-width: 420px;
    }
    .ok {
      color: var(--hw-good-text, #1b5e20);
      font-weight: 600;
    }
    .spaced {
      margin-top: 16px;
    }
    .choice {
      display: inline-flex;
      gap: 6px;
      align-items: center;
      margin-right: 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountPage {
  protected readonly auth = inject(AuthService);
  protected readonly theme = inject(ThemeService);
  protected readonly choices: { value: ThemeChoice; label: string }[] = [
    { value: 'system', label: 'Follow the system' },
    { value: 'light', label: 'Light' },
    { value: 'dark', label: 'Dark' },
  ];
  protected readonly draft = signal<PasswordDraft>({ current: '', next: '', repeat: '' });
  protected readonly problems = signal<PasswordProblems>({});
  protected readonly general = signal<string[]>([]);
  protected readonly busy = signal(false);
  protected readonly done = signal(false);

  protected patch(change: Partial<PasswordDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected async save(): Promise<void> {
    const draft = this.draft();
    const local = passwordProblems(draft);
    this.problems.set(local);
    this.general.set([]);
    this.done.set(false);
    if (Object.keys(local).length > 0) return;
    this.busy.set(true);
    try {
      await this.auth.changePassword(draft.current, draft.next);
      this.done.set(true);
      this.draft.set({ current: '', next: '', repeat: '' });
    } catch (error) {
      const found = formErrors(error);
      const fields: PasswordProblems = {};
      const general = [...found.general];
      for (const [field, messages] of Object.entries(found.fields)) {
        const mine = passwordField(field);
        if (mine) fields[mine] = messages.map(passwordProblemText).join(' ');
        else general.push(...messages);
      }
      // A wrong current password comes back as a message without a field.
      if (general.some((m) => /current password/i.test(m)) && !fields.current) {
        fields.current = general.splice(
          general.findIndex((m) => /current password/i.test(m)),
          1,
        )[0];
      }
      this.problems.set(fields);
      this.general.set(general);
    } finally {
      this.busy.set(false);
    }
  }
}
