import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { forkJoin } from 'rxjs';
import { describeHttpError } from '../../../core/api/api-errors';
import { ApiService } from '../../../core/api/api.service';
import type { AckAlert, Alert } from '../../../core/api/api-types';
import { formatSince, formatTimestamp } from '../../../shared/format';
import { StateBadge } from '../../../shared/state-badge';
import { alertDuration, KIND_LABELS, lastErrorSummary, SEVERITY_STYLES } from '../alert-format';
import { AckDialog, type AckDialogData } from './ack-dialog';

/**
 * Problems as a table: open ones (how long open), resolved ones (when, why, how long they
 * lasted), or one host's (both, without the host column). A row opens the problem's details;
 * the problem's name is the link for keyboards and screen readers. On a phone each row becomes
 * a card.
 */
@Component({
  selector: 'hw-alert-table',
  imports: [RouterLink, StateBadge, MatButtonModule, MatCheckboxModule],
  template: `
    @if (selectable() && selection().length > 0) {
      <div class="bulk" data-testid="ack-bar">
        <span>{{ selection().length }} selected</span>
        <button
          mat-flat-button
          type="button"
          (click)="acknowledge(selected())"
          data-testid="ack-selected"
        >
          Acknowledge selected
        </button>
        <button mat-button type="button" (click)="selection.set([])">Clear</button>
      </div>
    }
    <table class="alerts" [attr.data-testid]="testId()">
      <caption class="visually-hidden">
        {{
          caption()
        }}
      </caption>
      <thead>
        <tr>
          @if (selectable()) {
            <th scope="col"><span class="visually-hidden">Select</span></th>
          }
          <th scope="col">Problem</th>
          @if (mode() !== 'host') {
            <th scope="col">Host</th>
          } @else {
            <th scope="col">Status</th>
          }
          <th scope="col">State</th>
          <th scope="col">Opened</th>
          @if (mode() !== 'open') {
            <th scope="col">Resolved</th>
          }
          <th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        @for (a of alerts(); track a.id) {
          <tr
            [attr.data-alert]="a.host.hostname"
            [attr.data-status]="a.status"
            [attr.data-acknowledged]="a.acknowledged ? 'true' : null"
            (click)="open($event, a)"
          >
            @if (selectable()) {
              <td class="pick">
                @if (a.status === 'open') {
                  <mat-checkbox
                    [checked]="selection().includes(a.id)"
                    (change)="toggle(a.id, $event.checked)"
                    [aria-label]="'Select the problem on ' + a.host.hostname"
                  />
                }
              </td>
            }
            <td data-label="Problem">
              <a
                [routerLink]="['/alerts', a.id]"
                [attr.aria-label]="kindLabels[a.kind] + ' on ' + a.host.hostname"
                >{{ kindLabels[a.kind] }}</a
              >
              <div class="severity" [style.color]="severity[a.severity].colour">
                <span aria-hidden="true">{{ severity[a.severity].symbol }}</span>
                {{ severity[a.severity].label }}
              </div>
              @if (a.acknowledged) {
                <div class="ack small" data-testid="ack-note">
                  <span class="ack-badge">acknowledged</span> by {{ a.acknowledged_by
                  }}{{ a.ack_sticky ? ' (sticky)' : '' }}: {{ a.ack_comment }}
                </div>
              } @else if (a.status === 'open') {
                <button
                  mat-stroked-button
                  type="button"
                  class="ack-button"
                  (click)="acknowledge([a])"
                  [attr.aria-label]="'Acknowledge the problem on ' + a.host.hostname"
                  data-testid="ack-button"
                >
                  Acknowledge
                </button>
              }
            </td>
            @if (mode() !== 'host') {
              <td data-label="Host">
                @if (a.host.id) {
                  <a [routerLink]="['/hosts', a.host.id]">{{ a.host.hostname }}</a>
                } @else {
                  {{ a.host.hostname }} <span class="muted">(deleted)</span>
                }
                <div class="muted mono small">
                  {{ a.host.ip_address ?? 'DNS' }}:{{ a.host.port }}
                </div>
              </td>
            } @else {
              <td data-label="Status">{{ a.status === 'open' ? 'Open' : 'Resolved' }}</td>
            }
            <td data-label="State"><hw-state-badge [state]="a.current_state" /></td>
            <td data-label="Opened" [attr.title]="formatTimestamp(a.opened_at)">
              {{ formatSince(a.opened_at, now()) }}
              @if (a.status === 'open') {
                <div class="muted small">open for {{ duration(a, now()) }}</div>
              }
            </td>
            @if (mode() !== 'open') {
              <td data-label="Resolved" [attr.title]="formatTimestamp(a.resolved_at)">
                @if (a.resolved_at) {
                  {{ formatSince(a.resolved_at, now()) }}
                  <div class="muted small">
                    {{ a.resolve_reason ?? 'resolved' }}, after {{ duration(a, now()) }}
                  </div>
                } @else {
                  —
                }
              </td>
            }
            <td data-label="Last error">
              {{ lastError(a) }}
              @if (a.last_error_message) {
                <div class="muted small msg">{{ a.last_error_message }}</div>
              }
            </td>
          </tr>
        } @empty {
          <tr>
            <td class="empty muted" colspan="6">{{ empty() }}</td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    .alerts {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      padding: 6px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      vertical-align: top;
    }
    tbody tr[data-alert] {
      cursor: pointer;
    }
    tbody tr[data-alert]:hover {
      background: var(--mat-sys-surface-container);
    }
    .bulk {
      display: flex;
      gap: 8px;
      align-items: center;
      margin-bottom: 8px;
    }
    .ack-badge {
      display: inline-block;
      font-weight: 600;
      border: 1px solid var(--mat-sys-primary);
      color: var(--mat-sys-primary);
      border-radius: 8px;
      padding: 0 6px;
    }
    .ack-button {
      margin-top: 4px;
    }
    .severity {
      font-weight: 600;
      font-size: 12px;
    }
    .small {
      font-size: 12px;
    }
    .msg {
      word-break: break-word;
    }
    .empty {
      padding: 16px 8px;
    }
    @media (max-width: 700px) {
      thead {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
      table,
      tbody,
      tr,
      td {
        display: block;
        width: 100%;
        box-sizing: border-box;
      }
      tbody tr[data-alert] {
        border: 1px solid var(--mat-sys-outline-variant);
        border-radius: 8px;
        margin-bottom: 8px;
      }
      td {
        border-bottom: none;
        padding: 4px 8px;
      }
      td[data-label]::before {
        content: attr(data-label) ': ';
        font-weight: 600;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertTable {
  private readonly router = inject(Router);

  readonly alerts = input.required<Alert[]>();
  /** open: the open section; resolved: the resolved section; host: one host's problems. */
  readonly mode = input.required<'open' | 'resolved' | 'host'>();
  readonly now = input.required<number>();
  readonly caption = input.required<string>();
  readonly empty = input('No problems.');
  readonly testId = input<string | null>(null);

  protected readonly kindLabels = KIND_LABELS;
  protected readonly severity = SEVERITY_STYLES;
  protected readonly formatSince = formatSince;
  protected readonly formatTimestamp = formatTimestamp;
  protected readonly duration = alertDuration;
  protected readonly lastError = lastErrorSummary;
  /** Offer a checkbox per open problem, to acknowledge a selection. */
  readonly selectable = input(false);
  /** Problems were acknowledged: the page reads them again. */
  readonly changed = output<void>();

  private readonly dialog = inject(MatDialog);
  private readonly api = inject(ApiService);
  private readonly snack = inject(MatSnackBar);
  protected readonly selection = signal<string[]>([]);
  protected readonly selected = computed(() =>
    this.alerts().filter((a) => this.selection().includes(a.id)),
  );

  protected toggle(id: string, on: boolean): void {
    this.selection.update((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  }

  /** Asks why, then acknowledges each problem; tells how it went. */
  protected acknowledge(alerts: Alert[]): void {
    if (alerts.length === 0) return;
    const data: AckDialogData = {
      what:
        alerts.length === 1
          ? `the problem on ${alerts[0].host.hostname}`
          : `${alerts.length} problems`,
    };
    this.dialog
      .open(AckDialog, { data })
      .afterClosed()
      .subscribe((body: AckAlert | undefined) => {
        if (!body) return;
        forkJoin(alerts.map((a) => this.api.ackAlert(a.id, body))).subscribe({
          next: () => {
            this.selection.set([]);
            this.snack.open(
              alerts.length === 1
                ? 'Problem acknowledged.'
                : `${alerts.length} problems acknowledged.`,
              'OK',
              { duration: 4000 },
            );
            this.changed.emit();
          },
          error: (e: unknown) => {
            this.snack.open(describeHttpError(e), 'OK', { duration: 8000 });
            this.changed.emit();
          },
        });
      });
  }

  /** A click anywhere on a row opens its details; links and buttons in it keep their own. */
  protected open(event: MouseEvent, alert: Alert): void {
    const target = event.target as HTMLElement | null;
    if (target?.closest('a, button, mat-checkbox, .pick')) return;
    if (globalThis.getSelection?.()?.toString()) return;
    void this.router.navigate(['/alerts', alert.id]);
  }
}
