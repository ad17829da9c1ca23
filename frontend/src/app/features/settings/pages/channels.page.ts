import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar, MatSnackBarModule } from '@angular/material/snack-bar';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { Channel } from '../../../core/api/api-types';
import { LiveEventsService } from '../../../core/events/live-events.service';
import { nowSignal } from '../../../shared/clock';
import { ConfirmData, ConfirmDialog } from '../../../shared/confirm-dialog';
import { describeDelivery, deliveryStyle } from '../../../shared/delivery';
import { formatSince, formatTimestamp } from '../../../shared/format';
import { CHANNEL_TYPE_LABELS, channelDestination, SECRET_FIELD } from '../channel-form';
import { ChannelFormData, ChannelFormDialog } from '../components/channel-form-dialog';

/** The answer to "Send test" for one channel, shown until the next one. */
interface TestResult {
  channel: string;
  ok: boolean;
  text: string;
}

/**
 * Notification channels (admins): each with its type, destination (never a secret), whether
 * a secret is stored, whether it is enabled, and its last delivery's result; add and edit in a
 * dialog, send a test, delete (refused while a rule uses it).
 */
@Component({
  selector: 'hw-channels-page',
  imports: [MatButtonModule, MatProgressBarModule, MatSnackBarModule],
  templateUrl: './channels.page.html',
  styleUrl: './admin-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelsPage {
  private readonly api = inject(ApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);
  protected readonly now = nowSignal(5000);

  protected readonly typeLabels = CHANNEL_TYPE_LABELS;
  protected readonly destination = channelDestination;
  protected readonly describeDelivery = describeDelivery;
  protected readonly deliveryStyle = deliveryStyle;
  protected readonly formatSince = formatSince;
  protected readonly formatTimestamp = formatTimestamp;

  protected readonly channels = signal<Channel[] | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly testing = signal<string | null>(null);
  protected readonly testResult = signal<TestResult | null>(null);

  constructor() {
    this.load();
    // A notification given up on changes a channel's last delivery.
    inject(LiveEventsService)
      .deliveryFailures$.pipe(takeUntilDestroyed())
      .subscribe(() => this.load());
  }

  protected load(): void {
    this.loading.set(true);
    this.api.listChannels().subscribe({
      next: (list) => {
        this.loadError.set(null);
        this.channels.set(list);
        this.loading.set(false);
      },
      error: (e: unknown) => {
        this.loadError.set(describeHttpError(e));
        this.loading.set(false);
      },
    });
  }

  protected secretText(c: Channel): string {
    if (SECRET_FIELD[c.type] === null) return '—';
    return c.config['secret_set'] === true ? 'set' : 'not set';
  }

  protected openForm(channel?: Channel): void {
    const data: ChannelFormData = { channel: channel ?? null };
    this.dialog
      .open(ChannelFormDialog, { data, width: '600px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved: Channel | undefined) => {
        if (!saved) return;
        this.snack.open(`Channel ${saved.name} ${channel ? 'saved' : 'added'}.`, 'OK', {
          duration: 4000,
        });
        this.load();
      });
  }

  protected sendTest(c: Channel): void {
    this.testing.set(c.id);
    this.testResult.set(null);
    this.api.testChannel(c.id).subscribe({
      next: (result) => {
        this.testing.set(null);
        this.testResult.set({
          channel: c.name,
          ok: result.ok,
          text: describeDelivery(result.delivery),
        });
        this.load();
      },
      error: (e: unknown) => {
        this.testing.set(null);
        this.testResult.set({ channel: c.name, ok: false, text: describeHttpError(e) });
      },
    });
  }

  protected remove(c: Channel): void {
    const data: ConfirmData = {
      title: `Delete channel ${c.name}?`,
      message:
        'Notifications stop going to it. A channel that rules still send to cannot be deleted: remove it from them first.',
      confirm: 'Delete',
    };
    this.dialog
      .open(ConfirmDialog, { data })
      .afterClosed()
      .subscribe((yes: boolean | undefined) => {
        if (!yes) return;
        this.api.deleteChannel(c.id).subscribe({
          next: () => {
            this.snack.open(`Channel ${c.name} deleted.`, 'OK', { duration: 4000 });
            this.load();
          },
          error: (e: unknown) => this.snack.open(describeHttpError(e), 'OK', { duration: 8000 }),
        });
      });
  }
}
