import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * Beside a host's state: "unreachable" when its last check failed because the host in front
 * of it (its parent or jump host) was down, and "flapping" with its flap percentage. Text,
 * symbol and a title that says what each means; and for a host in maintenance, until when and
 * why. Nothing when none applies.
 */
@Component({
  selector: 'hw-reach-badges',
  template: `@if (unreachable()) {
      <span
        class="chip unreachable"
        data-testid="badge-unreachable"
        title="The last check failed while the host's parent or jump host was down (or on the jump host's leg): its own state cannot be told, and its problems notify nobody"
        ><span aria-hidden="true">⤳</span> unreachable</span
      >
    }
    @if (flapping()) {
      <span
        class="chip flapping"
        data-testid="badge-flapping"
        [attr.title]="
          'Flapping: ' +
          flapPercent() +
          '% of recent checks changed state. Its problems notify nobody until it settles.'
        "
        ><span aria-hidden="true">↯</span> flapping {{ flapPercent() }}%</span
      >
    }
    @if (maintenance()) {
      <span
        class="chip maintenance"
        data-testid="badge-maintenance"
        [attr.title]="
          (maintenanceWindow() ? 'Held by a maintenance window' : 'Put in maintenance by hand') +
          (maintenanceReason() ? ': ' + maintenanceReason() : '')
        "
        ><span aria-hidden="true">🛠</span>
        {{ maintenanceEndsAt() ? 'until ' + until() : 'maintenance' }}
        @if (maintenanceReason(); as reason) {
          · {{ reason }}
        }
      </span>
    }`,
  styles: `
    :host {
      display: inline-flex;
      gap: 4px;
      vertical-align: middle;
    }
    .chip {
      display: inline-flex;
      gap: 3px;
      align-items: center;
      padding: 0 8px;
      border-radius: 999px;
      font-size: 11px;
      font-weight: 600;
      line-height: 18px;
      white-space: nowrap;
      border: 1px solid currentColor;
    }
    .unreachable {
      color: #4a4458;
      background: #f3edf7;
    }
    .flapping {
      color: #6b3a00;
      background: #fff3e0;
    }
    .maintenance {
      color: #1d3a5f;
      background: #e8f0fe;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReachBadges {
  readonly unreachable = input<boolean | null | undefined>(false);
  readonly flapping = input<boolean | null | undefined>(false);
  readonly flapPercent = input<number | null | undefined>(0);
  /** In MAINTENANCE: the chip says until when (if it ends by itself) and why. */
  readonly maintenance = input<boolean | null | undefined>(false);
  readonly maintenanceEndsAt = input<string | null | undefined>(null);
  readonly maintenanceReason = input<string | null | undefined>(null);
  readonly maintenanceWindow = input<string | null | undefined>(null);

  protected until(): string {
    const iso = this.maintenanceEndsAt();
    return iso
      ? new Date(iso).toLocaleString('en-GB', {
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
        })
      : '';
  }
}
