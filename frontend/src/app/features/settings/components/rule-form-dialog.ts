import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { FormErrors } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import { type Channel, type Rule, RULE_EVENTS, type RuleEvent } from '../../../core/api/api-types';
import { CHANNEL_TYPE_LABELS } from '../channel-form';
import {
  draftFromRule,
  emptyRuleDraft,
  RULE_EVENT_LABELS,
  ruleBody,
  type EscalationDraft,
  type RuleDraft,
  ruleErrors,
} from '../rule-form';

export interface RuleFormData {
  rule: Rule | null;
  channels: Channel[];
}

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/** Add or edit a rule: which hosts and events go to which channels, grouped how. */
@Component({
  selector: 'hw-rule-form-dialog',
  imports: [
    FormsModule,
    MatDialogModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  templateUrl: './rule-form-dialog.html',
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
      grid-template-columns: 1fr 1fr;
      gap: 12px;
    }
    fieldset {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      margin: 0 0 8px;
      display: flex;
      flex-wrap: wrap;
      gap: 0 16px;
    }
    legend {
      font: var(--mat-sys-title-small);
      padding: 0 4px;
    }
    .steps {
      display: grid;
      gap: 8px;
    }
    .step {
      grid-template-columns: 140px 1fr auto;
      align-items: center;
    }
    @media (max-width: 500px) {
      .two {
        grid-template-columns: 1fr;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RuleFormDialog {
  private readonly api = inject(ApiService);
  private readonly ref = inject<MatDialogRef<RuleFormDialog, Rule>>(MatDialogRef);
  protected readonly data = inject<RuleFormData>(MAT_DIALOG_DATA);

  protected readonly events = RULE_EVENTS;
  protected readonly eventLabels = RULE_EVENT_LABELS;
  protected readonly typeLabels = CHANNEL_TYPE_LABELS;
  protected readonly draft = signal<RuleDraft>(
    this.data.rule ? draftFromRule(this.data.rule) : emptyRuleDraft(),
  );
  protected readonly errors = signal<FormErrors>(NO_ERRORS);
  protected readonly saving = signal(false);

  protected patch(change: Partial<RuleDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected toggleEvent(event: RuleEvent, on: boolean): void {
    this.draft.update((d) => ({
      ...d,
      events: on ? [...new Set([...d.events, event])] : d.events.filter((e) => e !== event),
    }));
  }

  /** Escalation steps: add one (an hour, no channel yet), change one, remove one. */
  protected addStep(): void {
    this.draft.update((d) => ({
      ...d,
      escalations: [...d.escalations, { after_minutes: '60', channel_ids: [] }],
    }));
  }

  protected patchStep(index: number, change: Partial<EscalationDraft>): void {
    this.draft.update((d) => ({
      ...d,
      escalations: d.escalations.map((e, i) => (i === index ? { ...e, ...change } : e)),
    }));
  }

  protected removeStep(index: number): void {
    this.draft.update((d) => ({
      ...d,
      escalations: d.escalations.filter((_, i) => i !== index),
    }));
  }

  protected fieldError(field: string): string | null {
    return this.errors().fields[field]?.join('; ') ?? null;
  }

  protected save(): void {
    const rule = this.data.rule;
    const body = ruleBody(this.draft());
    this.saving.set(true);
    this.errors.set(NO_ERRORS);
    const request = rule ? this.api.updateRule(rule.id, body) : this.api.createRule(body);
    request.subscribe({
      next: (saved) => this.ref.close(saved),
      error: (error: unknown) => {
        this.saving.set(false);
        this.errors.set(ruleErrors(error));
      },
    });
  }
}
