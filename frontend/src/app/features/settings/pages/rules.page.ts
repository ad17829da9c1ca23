import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { forkJoin } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { Channel, Rule } from '../../../core/api/api-types';
import { ConfirmData, ConfirmDialog } from '../../../shared/confirm-dialog';
import { formatDuration } from '../../../shared/format';
import { RuleFormData, RuleFormDialog } from '../components/rule-form-dialog';
import { RULE_EVENT_LABELS, ruleScope } from '../rule-form';

/** Notification rules (admins): which hosts and events go to which channels, grouped how. */
@Component({
  selector: 'hw-rules-page',
  imports: [MatButtonModule, MatProgressBarModule, MatSnackBarModule],
  templateUrl: './rules.page.html',
  styleUrl: './admin-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RulesPage {
  private readonly api = inject(ApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);

  protected readonly eventLabels = RULE_EVENT_LABELS;
  protected readonly scope = ruleScope;
  protected readonly rules = signal<Rule[] | null>(null);
  protected readonly channels = signal<Channel[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  private readonly channelNames = computed(
    () => new Map(this.channels().map((c) => [c.id, c.name])),
  );

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    forkJoin({ rules: this.api.listRules(), channels: this.api.listChannels() }).subscribe({
      next: ({ rules, channels }) => {
        this.loadError.set(null);
        this.rules.set(rules);
        this.channels.set(channels);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.loadError.set(describeHttpError(e));
        this.loading.set(false);
      },
    });
  }

  protected channelList(rule: Rule): string {
    const names = this.channelNames();
    return rule.channel_ids.map((id) => names.get(id) ?? '(deleted channel)').join(', ');
  }

  protected grouping(rule: Rule): string {
    const wait =
      rule.group_wait_seconds === 0
        ? 'at once'
        : `after ${formatDuration(rule.group_wait_seconds)}`;
    return `first ${wait}, then at most every ${formatDuration(rule.group_interval_seconds)}`;
  }

  protected openForm(rule?: Rule): void {
    const data: RuleFormData = { rule: rule ?? null, channels: this.channels() };
    this.dialog
      .open(RuleFormDialog, { data, width: '600px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved: Rule | undefined) => {
        if (!saved) return;
        this.snack.open(`Rule ${saved.name} ${rule ? 'saved' : 'added'}.`, 'OK', {
          duration: 4000,
        });
        this.load();
      });
  }

  protected remove(rule: Rule): void {
    const data: ConfirmData = {
      title: `Delete rule ${rule.name}?`,
      message: 'Problems it matched are no longer sent to its channels.',
      confirm: 'Delete',
    };
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (!yes) return;
        this.api.deleteRule(rule.id).subscribe({
          next: () => {
            this.snack.open(`Rule ${rule.name} deleted.`, 'OK', { duration: 4000 });
            this.load();
          },
          error: (e: unknown) => this.snack.open(describeHttpError(e), 'OK', { duration: 8000 }),
        });
      });
  }
}
