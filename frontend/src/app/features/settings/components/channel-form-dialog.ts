import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { FormErrors } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import { type Channel, CHANNEL_TYPES, type ChannelType } from '../../../core/api/api-types';
import {
  CHANNEL_TYPE_LABELS,
  type ChannelDraft,
  channelErrors,
  createChannelBody,
  draftFromChannel,
  emptyChannelDraft,
  SECRET_FIELD,
  storedSecret,
  updateChannelBody,
} from '../channel-form';

export interface ChannelFormData {
  channel: Channel | null;
}

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/**
 * Add or edit a notification channel: the type's own fields; secrets write-only (a stored one
 * shows as "set" and stays unless a new one is typed or its removal ticked); the API's 400s on
 * their fields. The type is fixed once the channel exists.
 */
@Component({
  selector: 'hw-channel-form-dialog',
  imports: [
    FormsModule,
    MatDialogModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  templateUrl: './channel-form-dialog.html',
  styles: `
    mat-dialog-content {
      display: grid;
      gap: 12px;
    }
    .wide {
      width: 100%;
    }
    .two {
      display: grid;
      grid-template-columns: 2fr 1fr;
      gap: 12px;
    }
    @media (max-width: 500px) {
      .two {
        grid-template-columns: 1fr;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelFormDialog {
  private readonly api = inject(ApiService);
  private readonly ref = inject<MatDialogRef<ChannelFormDialog, Channel>>(MatDialogRef);
  protected readonly data = inject<ChannelFormData>(MAT_DIALOG_DATA);

  protected readonly types = CHANNEL_TYPES;
  protected readonly typeLabels = CHANNEL_TYPE_LABELS;
  protected readonly draft = signal<ChannelDraft>(
    this.data.channel ? draftFromChannel(this.data.channel) : emptyChannelDraft(),
  );
  protected readonly errors = signal<FormErrors>(NO_ERRORS);
  protected readonly saving = signal(false);
  /** A secret stored for this channel (never its value: the API does not send it). */
  protected readonly stored = storedSecret(this.data.channel);
  protected readonly secretField = computed(() => SECRET_FIELD[this.draft().type]);

  protected patch(change: Partial<ChannelDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected setType(type: ChannelType): void {
    this.patch({ type });
    this.errors.set(NO_ERRORS);
  }

  protected fieldError(field: string): string | null {
    return this.errors().fields[field]?.join('; ') ?? null;
  }

  /** The hint under a write-only field of a stored channel. */
  protected secretHint(what: string): string | null {
    if (!this.data.channel || !this.stored.set) return null;
    const shown = this.stored.shown ? ` (${this.stored.shown})` : '';
    return `${what} set${shown}: leave empty to keep it, or type a new one.`;
  }

  protected save(): void {
    const channel = this.data.channel;
    const draft = this.draft();
    this.saving.set(true);
    this.errors.set(NO_ERRORS);
    const request = channel
      ? this.api.updateChannel(channel.id, updateChannelBody(draft, channel))
      : this.api.createChannel(createChannelBody(draft));
    request.subscribe({
      // Typed secrets leave the page with the dialog.
      next: (saved) => this.ref.close(saved),
      error: (error: unknown) => {
        this.saving.set(false);
        this.errors.set(channelErrors(error, draft.type));
      },
    });
  }
}
