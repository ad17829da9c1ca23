import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  HEARTBEAT_SIZE,
  heartbeatSummary,
  heartbeatTicks,
  type HeartbeatResult,
} from './heartbeat';

/**
 * A host's latest results as ticks, oldest left, newest right: green up, red down, grey none.
 * Each tick's time and outcome shows on hover; the strip reads as one sentence.
 */
@Component({
  selector: 'hw-heartbeat-strip',
  template: `<span
    class="strip"
    role="img"
    [class.large]="large()"
    [attr.aria-label]="label() + ': ' + summary()"
    data-testid="heartbeat"
  >
    @for (tick of ticks(); track $index) {
      <span class="tick" [attr.data-kind]="tick.kind" [attr.title]="tick.title"></span>
    }
  </span>`,
  styles: `
    .strip {
      display: inline-flex;
      gap: 2px;
      align-items: stretch;
      height: 18px;
      vertical-align: middle;
    }
    .strip.large {
      height: 28px;
      gap: 3px;
    }
    .tick {
      width: 4px;
      border-radius: 2px;
      background: var(--hw-tick-none, #c4c4c4);
    }
    .large .tick {
      width: 7px;
    }
    .tick[data-kind='up'] {
      background: var(--hw-tick-up, #2e7d32);
    }
    .tick[data-kind='down'] {
      background: var(--hw-tick-down, #c62828);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HeartbeatStrip {
  /** Results newest first, as the API answers. */
  readonly results = input.required<readonly HeartbeatResult[]>();
  readonly size = input(HEARTBEAT_SIZE);
  readonly large = input(false);
  readonly label = input('Latest checks');
  protected readonly ticks = computed(() => heartbeatTicks(this.results(), this.size()));
  protected readonly summary = computed(() => heartbeatSummary(this.results(), this.size()));
}
