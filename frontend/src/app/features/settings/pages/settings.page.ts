import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { describeHttpError, formErrors } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import { PolicyStore } from '../../../core/policy/policy.store';
import type {
  CreateCredential,
  Credential,
  Policy,
  UpdateCredential,
} from '../../../core/api/api-types';
import { ConfirmData, ConfirmDialog } from '../../../shared/confirm-dialog';
import { formatDuration, formatTimestamp } from '../../../shared/format';
import { policyProblems } from '../policy-form';

type PolicyState = 'HEALTHY' | 'DEGRADED' | 'CRITICAL' | 'DOWN';

interface CredentialDraft {
  name: string;
  username: string;
  auth_method: 'password' | 'private_key';
  secret: string;
  passphrase: string;
  is_default: boolean;
}

const EMPTY_DRAFT: CredentialDraft = {
  name: '',
  username: '',
  auth_method: 'password',
  secret: '',
  passphrase: '',
  is_default: false,
};

@Component({
  selector: 'hw-settings-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatSnackBarModule,
  ],
  templateUrl: './settings.page.html',
  styleUrl: './settings.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage {
  private readonly api = inject(ApiService);
  private readonly policies = inject(PolicyStore);
  private readonly snack = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);

  protected readonly thresholdKeys = [
    ['degraded_after_failures', 'DEGRADED after failures'],
    ['critical_after_failures', 'CRITICAL after failures'],
    ['down_after_failures', 'DOWN after failures'],
    ['healthy_after_successes', 'HEALTHY after successes'],
  ] as const;
  protected readonly flapKeys: (keyof Policy['flapping'])[] = ['start_percent', 'stop_percent'];
  protected readonly intervalStates: PolicyState[] = ['HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN'];
  protected readonly priorityKeys = [
    'HEALTHY',
    'DEGRADED',
    'CRITICAL',
    'DOWN',
    'UNKNOWN',
    'JIT',
  ] as const;
  protected readonly formatDuration = formatDuration;
  protected readonly formatTimestamp = formatTimestamp;

  protected readonly policy = signal<Policy | null>(null);
  protected readonly policyErrors = signal<Record<string, string>>({});
  protected readonly policyGeneral = signal<string[]>([]);
  protected readonly savingPolicy = signal(false);

  protected readonly schedulerEnabled = signal<boolean | null>(null);
  protected readonly loadError = signal<string | null>(null);

  protected readonly credentials = signal<Credential[]>([]);
  protected readonly draft = signal<CredentialDraft>({ ...EMPTY_DRAFT });
  /** The credential being edited; null while adding a new one. */
  protected readonly editing = signal<Credential | null>(null);
  protected readonly credentialErrors = signal<Record<string, string[]>>({});
  protected readonly credentialGeneral = signal<string[]>([]);

  constructor() {
    this.api.getPolicy().subscribe({
      next: (p) => this.policy.set(structuredClone(p)),
      error: (e: unknown) => this.loadError.set(describeHttpError(e)),
    });
    this.api.getScheduler().subscribe({
      next: (s) => this.schedulerEnabled.set(s.enabled),
      error: (e: unknown) => this.loadError.set(describeHttpError(e)),
    });
    this.loadCredentials();
  }

  protected setThreshold(key: keyof Policy['thresholds'], value: string): void {
    this.policy.update((p) =>
      p ? { ...p, thresholds: { ...p.thresholds, [key]: Number(value) } } : p,
    );
  }
  protected setInterval(key: PolicyState, value: string): void {
    this.policy.update((p) =>
      p ? { ...p, intervals_seconds: { ...p.intervals_seconds, [key]: Number(value) } } : p,
    );
  }
  protected setPriority(key: keyof Policy['priorities'], value: string): void {
    this.policy.update((p) =>
      p ? { ...p, priorities: { ...p.priorities, [key]: Number(value) } } : p,
    );
  }
  protected setFlapping(key: keyof Policy['flapping'], value: string): void {
    this.policy.update((p) =>
      p ? { ...p, flapping: { ...p.flapping, [key]: Number(value) } } : p,
    );
  }
  protected setJitter(value: string): void {
    this.policy.update((p) => (p ? { ...p, jitter_ratio: Number(value) } : p));
  }

  protected savePolicy(): void {
    const policy = this.policy();
    if (!policy) return;
    const local = policyProblems(policy);
    this.policyErrors.set(local);
    this.policyGeneral.set([]);
    if (Object.keys(local).length > 0) return;
    this.savingPolicy.set(true);
    this.api.updatePolicy(policy).subscribe({
      next: (saved) => {
        this.savingPolicy.set(false);
        this.policy.set(structuredClone(saved));
        this.policies.set(saved);
        this.snack.open('Policy saved: it applies from each host’s next check.', 'OK', {
          duration: 5000,
        });
      },
      error: (error: unknown) => {
        this.savingPolicy.set(false);
        const http = error as { error?: { errors?: { field: string; problem: string }[] } };
        const byField: Record<string, string> = {};
        for (const e of http.error?.errors ?? []) byField[e.field] = e.problem;
        this.policyErrors.set(byField);
        if (Object.keys(byField).length === 0) this.policyGeneral.set(formErrors(error).general);
      },
    });
  }

  protected toggleScheduler(enabled: boolean): void {
    this.api.setScheduler(enabled).subscribe({
      next: (s) => {
        this.schedulerEnabled.set(s.enabled);
        this.snack.open(
          s.enabled
            ? 'Scheduled checks are on.'
            : 'Scheduled checks are off; on-demand checks still run.',
          'OK',
          {
            duration: 5000,
          },
        );
      },
      error: (error: unknown) =>
        this.snack.open(describeHttpError(error), 'OK', { duration: 8000 }),
    });
  }

  protected loadCredentials(): void {
    this.api.listCredentials().subscribe({
      next: (list) => this.credentials.set(list),
      error: (e: unknown) => this.loadError.set(describeHttpError(e)),
    });
  }

  protected patchDraft(change: Partial<CredentialDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  /** Edit a credential: its secret is never loaded; left empty, the stored one is kept. */
  protected startEdit(c: Credential): void {
    this.editing.set(c);
    this.credentialErrors.set({});
    this.credentialGeneral.set([]);
    this.draft.set({
      name: c.name,
      username: c.username,
      auth_method: c.auth_method,
      secret: '',
      passphrase: '',
      is_default: c.is_default,
    });
  }

  protected cancelEdit(): void {
    this.editing.set(null);
    this.draft.set({ ...EMPTY_DRAFT });
    this.credentialErrors.set({});
    this.credentialGeneral.set([]);
  }

  protected saveCredential(): void {
    const editing = this.editing();
    if (editing) this.updateCredential(editing);
    else this.addCredential();
  }

  private updateCredential(c: Credential): void {
    const d = this.draft();
    const body: UpdateCredential = {};
    if (d.name.trim() !== c.name) body.name = d.name.trim();
    if (d.username.trim() !== c.username) body.username = d.username.trim();
    if (d.is_default !== c.is_default) body.is_default = d.is_default;
    if (d.auth_method !== c.auth_method) {
      if (!d.secret) {
        this.credentialErrors.set({
          [d.auth_method === 'password' ? 'password' : 'private_key']: [
            'a new secret is needed when the method changes',
          ],
        });
        return;
      }
      body.auth_method = d.auth_method;
    }
    if (d.secret) {
      if (d.auth_method === 'password') body.password = d.secret;
      else body.private_key = d.secret;
    }
    if (d.auth_method === 'private_key' && d.passphrase) body.passphrase = d.passphrase;
    this.credentialErrors.set({});
    this.credentialGeneral.set([]);
    this.api.updateCredential(c.id, body).subscribe({
      next: (saved) => {
        this.editing.set(null);
        this.draft.set({ ...EMPTY_DRAFT });
        this.snack.open(`Credential ${saved.name} saved.`, 'OK', { duration: 5000 });
        this.loadCredentials();
      },
      error: (error: unknown) => this.showCredentialError(error),
    });
  }

  private addCredential(): void {
    const d = this.draft();
    const body: CreateCredential = {
      name: d.name.trim(),
      username: d.username.trim(),
      auth_method: d.auth_method,
      is_default: d.is_default,
    };
    if (d.auth_method === 'password') body.password = d.secret;
    else {
      body.private_key = d.secret;
      if (d.passphrase) body.passphrase = d.passphrase;
    }
    this.credentialErrors.set({});
    this.credentialGeneral.set([]);
    this.api.createCredential(body).subscribe({
      next: (created) => {
        // The secret leaves the page as soon as it is stored: it is never shown again.
        this.draft.set({ ...EMPTY_DRAFT });
        this.snack.open(`Credential ${created.name} stored (its secret is write-only).`, 'OK', {
          duration: 5000,
        });
        this.loadCredentials();
      },
      error: (error: unknown) => this.showCredentialError(error),
    });
  }

  private showCredentialError(error: unknown): void {
    const problems = formErrors(error);
    if ((error as { status?: number }).status === 409) {
      problems.fields['name'] = ['this name is taken'];
      problems.general = [];
    }
    this.credentialErrors.set(problems.fields);
    this.credentialGeneral.set(problems.general);
  }

  protected fieldError(field: string): string | null {
    const f =
      field === 'secret'
        ? this.draft().auth_method === 'password'
          ? 'password'
          : 'private_key'
        : field;
    return this.credentialErrors()[f]?.join('; ') ?? null;
  }

  protected deleteCredential(c: Credential): void {
    const data: ConfirmData = {
      title: `Delete credential ${c.name}?`,
      message: 'Hosts that use it must be moved to another credential first.',
      confirm: 'Delete',
    };
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (!yes) return;
        this.api.deleteCredential(c.id).subscribe({
          next: () => this.loadCredentials(),
          error: (error: unknown) =>
            this.snack.open(describeHttpError(error), 'OK', { duration: 8000 }),
        });
      });
  }
}
