import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { Alert } from '../../../core/api/api-types';
import { formatSince, formatTimestamp } from '../../../shared/format';
import { StateBadge } from '../../../shared/state-badge';
import { alertDuration, KIND_LABELS, lastErrorSummary, SEVERITY_STYLES } from '../alert-format';

/**
 * Problems as a table: open ones (how long open), resolved ones (when, why, how long they
 * lasted), or one host's (both, without the host column). A row opens the problem's details;
 * the problem's name is the link for keyboards and screen readers. On a phone each row becomes
 * a card.
 */
@Component({
  selector: 'hw-alert-table',
  imports: [RouterLink, StateBadge],
  template: `
    <table class="alerts" [attr.data-testid]="testId()">
      <caption class="visually-hidden">
        {{
          caption()
        }}
      </caption>
      <thead>
        <tr>
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
            (click)="open($event, a)"
          >
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

  /** A click anywhere on a row opens its details; links and buttons in it keep their own. */
  protected open(event: MouseEvent, alert: Alert): void {
    const target = event.target as HTMLElement | null;
    if (target?.closest('a, button')) return;
    if (globalThis.getSelection?.()?.toString()) return;
    void this.router.navigate(['/alerts', alert.id]);
  }
}
