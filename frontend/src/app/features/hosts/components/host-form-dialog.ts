import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { catchError, of } from 'rxjs';
import { formErrors } from '../../../core/api/api-errors';
import { humanProblem } from '../field-problems';
import { ApiService } from '../../../core/api/api.service';
import type { CreateHost, Credential, Host } from '../../../core/api/api-types';
import { parseTags } from '../../../shared/tags';
import { HostPicker } from './host-picker';

export interface HostFormData {
  host: Host | null;
}

const FIELDS = [
  'hostname',
  'ip_address',
  'port',
  'credential_id',
  'parent_host_id',
  'jump_host_id',
  'tags',
  'host_key_policy',
  'maintenance_ends_at',
  'maintenance_reason',
] as const;

/** An ISO instant as a datetime-local value in the browser's zone (minutes). */
function localInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Add or edit a host. Checks what it can locally; the API's 400s land on their fields. */
@Component({
  selector: 'hw-host-form-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatCheckboxModule,
    HostPicker,
  ],
  templateUrl: './host-form-dialog.html',
  styles: `
    form {
      display: grid;
      gap: 4px;
    }
    .two {
      display: grid;
      grid-template-columns: 2fr 1fr;
      gap: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostFormDialog {
  private readonly api = inject(ApiService);
  private readonly ref = inject<MatDialogRef<HostFormDialog, Host>>(MatDialogRef);
  protected readonly data = inject<HostFormData>(MAT_DIALOG_DATA);
  private readonly fb = inject(FormBuilder);

  protected readonly credentials = toSignal(
    this.api.listCredentials().pipe(catchError(() => of([] as Credential[]))),
    { initialValue: [] as Credential[] },
  );
  protected readonly saving = signal(false);
  protected readonly general = signal<string[]>([]);
  protected readonly serverErrors = signal<Record<string, string[]>>({});

  protected readonly form = this.fb.nonNullable.group({
    hostname: [this.data.host?.hostname ?? '', [Validators.required, Validators.maxLength(253)]],
    ip_address: [this.data.host?.ip_address ?? ''],
    port: [
      this.data.host?.port ?? 22,
      [Validators.required, Validators.min(1), Validators.max(65535)],
    ],
    credential_id: [this.data.host?.credential_id ?? ''],
    parent_host_id: [this.data.host?.parent_host_id ?? (null as string | null)],
    jump_host_id: [this.data.host?.jump_host_id ?? (null as string | null)],
    tags: [(this.data.host?.tags ?? []).join(', ')],
    host_key_policy: [this.data.host?.host_key_policy ?? 'tofu'],
    is_active: [this.data.host?.is_active ?? true],
    maintenance: [this.data.host?.monitoring_state === 'MAINTENANCE'],
    // Set by hand only: a window's end and reason are the window's.
    maintenance_ends_at: [
      this.data.host?.maintenance_window_id ? '' : localInput(this.data.host?.maintenance_ends_at),
    ],
    maintenance_reason: [
      this.data.host?.maintenance_window_id ? '' : (this.data.host?.maintenance_reason ?? ''),
    ],
  });

  protected save(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const v = this.form.getRawValue();
    const body: CreateHost = {
      hostname: v.hostname.trim(),
      ip_address: v.ip_address.trim() || null,
      port: Number(v.port),
      credential_id: v.credential_id || null,
      parent_host_id: v.parent_host_id,
      jump_host_id: v.jump_host_id,
      tags: parseTags(v.tags),
      host_key_policy: v.host_key_policy as CreateHost['host_key_policy'],
      is_active: v.is_active,
    };
    const wasMaintenance = this.data.host?.monitoring_state === 'MAINTENANCE';
    if (v.maintenance !== wasMaintenance) {
      body.monitoring_state = v.maintenance ? 'MAINTENANCE' : 'UNKNOWN';
    }
    if (v.maintenance) {
      const initial = this.form.controls;
      const ends = v.maintenance_ends_at ? new Date(v.maintenance_ends_at) : null;
      const reason = v.maintenance_reason.trim() || null;
      if (!wasMaintenance || initial.maintenance_ends_at.dirty)
        body.maintenance_ends_at =
          ends && !Number.isNaN(ends.getTime()) ? ends.toISOString() : null;
      if (!wasMaintenance || initial.maintenance_reason.dirty) body.maintenance_reason = reason;
    }
    this.saving.set(true);
    this.general.set([]);
    this.serverErrors.set({});
    const request = this.data.host
      ? this.api.updateHost(this.data.host.id, body)
      : this.api.createHost(body);
    request.subscribe({
      next: (host) => this.ref.close(host),
      error: (error: unknown) => {
        this.saving.set(false);
        const problems = formErrors(error);
        const status = (error as { status?: number }).status;
        if (status === 409) problems.fields['hostname'] = ['this hostname is already monitored'];
        const known: Record<string, string[]> = {};
        const general = [...problems.general.filter(() => status !== 409)];
        for (const [field, raw] of Object.entries(problems.fields)) {
          const messages = raw.map((m) => humanProblem(field, m));
          if ((FIELDS as readonly string[]).includes(field)) {
            known[field] = messages;
            this.form.get(field)?.setErrors({ server: messages.join(' ') });
            this.form.get(field)?.markAsTouched();
          } else general.push(...messages);
        }
        this.serverErrors.set(known);
        this.general.set(general);
      },
    });
  }

  protected serverError(field: string): string | null {
    return this.serverErrors()[field]?.join(' ') ?? null;
  }
}
