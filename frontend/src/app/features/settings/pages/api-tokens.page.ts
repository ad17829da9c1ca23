import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { forkJoin } from 'rxjs';
import { describeHttpError, formErrors, type FormErrors } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { ApiToken, CreateApiToken, User, UserRole } from '../../../core/api/api-types';
import { nowSignal } from '../../../shared/clock';
import { ConfirmDialog, ConfirmData } from '../../../shared/confirm-dialog';
import { formatTimestamp } from '../../../shared/format';
import { TokenSecretDialog, TokenSecretData } from '../components/token-secret-dialog';
import {
  EXPIRY_CHOICES,
  ExpiryChoice,
  expiresAt,
  OneTimeSecret,
  tokenStatus,
  withoutSecret,
} from '../token-secret';
import { USER_ROLES } from '../user-form';

interface TokenDraft {
  name: string;
  role: UserRole;
  expiry: ExpiryChoice;
  customDate: string;
  /** '' for yourself, else a service account's id. */
  owner: string;
}

const EMPTY_DRAFT: TokenDraft = {
  name: '',
  role: 'viewer',
  expiry: '90d',
  customDate: '',
  owner: '',
};
const NO_ERRORS: FormErrors = { fields: {}, general: [] };

@Component({
  selector: 'hw-api-tokens-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSnackBarModule,
  ],
  templateUrl: './api-tokens.page.html',
  styleUrl: './admin-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiTokensPage {
  private readonly api = inject(ApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);
  protected readonly now = nowSignal(30_000);

  protected readonly roles = USER_ROLES;
  protected readonly expiryChoices = EXPIRY_CHOICES;
  protected readonly formatTimestamp = formatTimestamp;

  protected readonly tokens = signal<ApiToken[] | null>(null);
  protected readonly users = signal<User[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly draft = signal<TokenDraft>({ ...EMPTY_DRAFT });
  protected readonly errors = signal<FormErrors>(NO_ERRORS);
  protected readonly creating = signal(false);

  protected readonly serviceAccounts = computed(() =>
    this.users().filter((u) => u.is_service_account && u.is_active),
  );
  private readonly usernames = computed(
    () => new Map(this.users().map((u) => [u.id, u.username] as const)),
  );

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    forkJoin({ tokens: this.api.listApiTokens(true), users: this.api.listUsers() }).subscribe({
      next: ({ tokens, users }) => {
        this.tokens.set(tokens);
        this.users.set(users);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.loadError.set(describeHttpError(e));
        this.loading.set(false);
      },
    });
  }

  protected owner(t: ApiToken): string {
    return this.usernames().get(t.user_id) ?? t.user_id;
  }

  protected status(t: ApiToken): string {
    return tokenStatus(t, this.now());
  }

  protected patchDraft(change: Partial<TokenDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected fieldError(field: string): string | null {
    return this.errors().fields[field]?.join('; ') ?? null;
  }

  protected create(): void {
    const d = this.draft();
    const expires = expiresAt(d.expiry, d.customDate, Date.now());
    if (expires === null) {
      this.errors.set({ fields: { expires_at: ['pick the day it expires'] }, general: [] });
      return;
    }
    const body: CreateApiToken = { name: d.name.trim(), role: d.role };
    if (expires !== undefined) body.expires_at = expires;
    if (d.owner) body.user_id = d.owner;
    this.creating.set(true);
    this.errors.set(NO_ERRORS);
    this.api.createApiToken(body).subscribe({
      next: (created) => {
        this.creating.set(false);
        this.draft.set({ ...EMPTY_DRAFT });
        this.tokens.update((list) => [withoutSecret(created), ...(list ?? [])]);
        const data: TokenSecretData = {
          name: created.name,
          secret: new OneTimeSecret(created.token),
        };
        this.dialog.open(TokenSecretDialog, { data, disableClose: true, autoFocus: 'dialog' });
      },
      error: (e: unknown) => {
        this.creating.set(false);
        this.errors.set(formErrors(e));
      },
    });
  }

  protected revoke(t: ApiToken): void {
    const data: ConfirmData = {
      title: `Revoke token ${t.name}?`,
      message: `Anything that uses it (${t.token_prefix}…, acting as ${this.owner(t)}) is refused from now on. This cannot be undone.`,
      confirm: 'Revoke',
    };
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (!yes) return;
        this.api.revokeApiToken(t.id).subscribe({
          next: () => {
            this.snack.open(`Token ${t.name} revoked.`, 'OK', { duration: 5000 });
            this.load();
          },
          error: (e: unknown) => this.snack.open(describeHttpError(e), 'OK', { duration: 8000 }),
        });
      });
  }
}
