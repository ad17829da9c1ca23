import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { PolicyStore } from '../core/policy/policy.store';
import { stateStyle } from './state';
import { stateDescription } from './state-description';

/** A host's state as colour, symbol AND text. */
@Component({
  selector: 'hw-state-badge',
  template: `<span
    class="badge"
    [style.background]="style().background"
    [style.color]="style().foreground"
    [attr.title]="description()"
    [attr.data-state]="state()"
    ><span aria-hidden="true">{{ style().symbol }}</span> {{ style().label }}</span
  >`,
  styles: `
    .badge {
      display: inline-flex;
      gap: 4px;
      align-items: center;
      padding: 2px 10px;
      border-radius: 999px;
      font-weight: 600;
      font-size: 12px;
      line-height: 20px;
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StateBadge {
  readonly state = input.required<string | null | undefined>();
  private readonly policies = inject(PolicyStore);
  protected readonly style = computed(() => stateStyle(this.state()));
  /** The intervals of the policy in force, not the defaults. */
  protected readonly description = computed(() =>
    stateDescription(this.state(), this.policies.policy()),
  );
}
