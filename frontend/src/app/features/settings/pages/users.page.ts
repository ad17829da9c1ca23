import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { describeHttpError, type FormErrors } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { User, UserRole } from '../../../core/api/api-types';
import { AuthService } from '../../../core/auth/auth.service';
import { ConfirmData, ConfirmDialog } from '../../../shared/confirm-dialog';
import { formatTimestamp } from '../../../shared/format';
import { SetPasswordDialog } from '../components/set-password-dialog';
import {
  createUserBody,
  EMPTY_USER_DRAFT,
  isSelf,
  NewUserDraft,
  newUserErrors,
  ROLE_HINTS,
  selfLockoutWarning,
  USER_ROLES,
  userChangeRefusal,
} from '../user-form';

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

@Component({
  selector: 'hw-users-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSnackBarModule,
  ],
  templateUrl: './users.page.html',
  styleUrl: './admin-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersPage {
  private readonly api = inject(ApiService);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);

  protected readonly roles = USER_ROLES;
  protected readonly roleHints = ROLE_HINTS;
  protected readonly formatTimestamp = formatTimestamp;

  protected readonly users = signal<User[] | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  /** The API's last refusal of a change, shown above the list until dismissed. */
  protected readonly refusal = signal<string | null>(null);
  /** Bumped after a refused change, so the row's controls show the stored values again. */
  protected readonly revision = signal(0);
  protected readonly busyId = signal<string | null>(null);

  protected readonly draft = signal<NewUserDraft>({ ...EMPTY_USER_DRAFT });
  protected readonly createErrors = signal<FormErrors>(NO_ERRORS);
  protected readonly creating = signal(false);

  protected readonly me = computed(() => this.auth.user()?.username ?? null);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api.listUsers().subscribe({
      next: (list) => {
        this.users.set(list);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.loadError.set(describeHttpError(e));
        this.loading.set(false);
      },
    });
  }

  protected isSelf(u: User): boolean {
    return isSelf(u, this.me());
  }

  protected patchDraft(change: Partial<NewUserDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected fieldError(field: string): string | null {
    return this.createErrors().fields[field]?.join('; ') ?? null;
  }

  protected create(): void {
    this.creating.set(true);
    this.createErrors.set(NO_ERRORS);
    this.api.createUser(createUserBody(this.draft())).subscribe({
      next: (user) => {
        this.creating.set(false);
        // The initial password leaves the page once the account exists.
        this.draft.set({ ...EMPTY_USER_DRAFT });
        this.users.update((list) => [...(list ?? []), user]);
        this.snack.open(`User ${user.username} created as ${user.role}.`, 'OK', {
          duration: 5000,
        });
      },
      error: (e: unknown) => {
        this.creating.set(false);
        this.createErrors.set(newUserErrors(e));
      },
    });
  }

  protected changeRole(u: User, role: UserRole): void {
    if (role === u.role) return;
    const warning = selfLockoutWarning({ role }, u, this.me());
    const apply = () =>
      this.patch(u, { role }, `change the role of`, `${u.username} is now ${role}.`);
    if (!warning) {
      apply();
      return;
    }
    this.confirm(
      { title: `Make yourself ${role}?`, message: warning, confirm: 'Change role' },
      apply,
    );
  }

  protected setActive(u: User, active: boolean): void {
    if (active) {
      this.patch(u, { is_active: true }, 'enable', `${u.username} can sign in again.`);
      return;
    }
    const warning = selfLockoutWarning({ is_active: false }, u, this.me());
    this.confirm(
      {
        title: `Disable ${u.username}?`,
        message:
          warning ??
          'Their sessions end and their API tokens stop working until the account is enabled again.',
        confirm: 'Disable',
      },
      () => this.patch(u, { is_active: false }, 'disable', `${u.username} is disabled.`),
    );
  }

  protected setPassword(u: User): void {
    this.dialog
      .open(SetPasswordDialog, { data: u })
      .afterClosed()
      .subscribe((done: boolean | undefined) => {
        if (done) this.snack.open(`New password set for ${u.username}.`, 'OK', { duration: 5000 });
      });
  }

  protected remove(u: User): void {
    const warning = selfLockoutWarning({ delete: true }, u, this.me());
    this.confirm(
      {
        title: `Delete ${u.username}?`,
        message: `${warning ? warning + ' ' : ''}The account and its API tokens are deleted; this cannot be undone. The audit log keeps its name.`,
        confirm: 'Delete',
      },
      () => {
        this.busyId.set(u.id);
        this.api.deleteUser(u.id).subscribe({
          next: () => {
            this.busyId.set(null);
            this.refusal.set(null);
            this.users.update((list) => (list ?? []).filter((x) => x.id !== u.id));
            this.snack.open(`User ${u.username} deleted.`, 'OK', { duration: 5000 });
          },
          error: (e: unknown) => this.refuse('delete', u, e),
        });
      },
    );
  }

  private patch(
    u: User,
    body: { role?: UserRole; is_active?: boolean },
    action: string,
    done: string,
  ): void {
    this.busyId.set(u.id);
    this.api.updateUser(u.id, body).subscribe({
      next: (saved) => {
        this.busyId.set(null);
        this.refusal.set(null);
        this.users.update((list) => (list ?? []).map((x) => (x.id === saved.id ? saved : x)));
        this.snack.open(done, 'OK', { duration: 5000 });
      },
      error: (e: unknown) => this.refuse(action, u, e),
    });
  }

  private refuse(action: string, u: User, error: unknown): void {
    this.busyId.set(null);
    this.refusal.set(userChangeRefusal(action, u, error));
    this.revision.update((n) => n + 1);
  }

  private confirm(data: ConfirmData, then: () => void): void {
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (yes) then();
        else this.revision.update((n) => n + 1);
      });
  }
}
