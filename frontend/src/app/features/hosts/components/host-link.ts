import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { catchError, map, of, switchMap } from 'rxjs';
import { ApiService } from '../../../core/api/api.service';

/** A link to another host, by its name (read once per id). */
@Component({
  selector: 'hw-host-link',
  imports: [RouterLink],
  template: `<a [routerLink]="['/hosts', id()]">{{ name() ?? '…' }}</a>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostLink {
  readonly id = input.required<string>();
  private readonly api = inject(ApiService);
  protected readonly name = toSignal(
    toObservable(this.id).pipe(
      switchMap((id) =>
        this.api.getHost(id).pipe(
          map((h) => h.hostname),
          catchError(() => of(id)),
        ),
      ),
    ),
    { initialValue: null },
  );
}
