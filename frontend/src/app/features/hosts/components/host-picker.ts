import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  forwardRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  ControlValueAccessor,
  FormControl,
  NG_VALUE_ACCESSOR,
  ReactiveFormsModule,
} from '@angular/forms';
import {
  MatAutocompleteModule,
  MatAutocompleteSelectedEvent,
} from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { catchError, debounceTime, distinctUntilChanged, filter, map, of, switchMap } from 'rxjs';
import { ApiService } from '../../../core/api/api.service';
import type { Host } from '../../../core/api/api-types';

/** Suggestions shown while typing: the first hosts whose name or address matches. */
const SUGGESTIONS = 10;

/**
 * Picks a host by typing part of its name or address (the fleet may hold 100,000 hosts, so
 * nothing is listed up front). Its value is the host's id, or null: a form control like any
 * other. Emptying the field clears it.
 */
@Component({
  selector: 'hw-host-picker',
  imports: [
    ReactiveFormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  providers: [
    { provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => HostPicker), multi: true },
  ],
  template: `
    <mat-form-field>
      <mat-label>{{ label() }}</mat-label>
      <input
        matInput
        [formControl]="text"
        [matAutocomplete]="auto"
        autocomplete="off"
        placeholder="None"
        [attr.data-testid]="testId()"
        (blur)="touched()"
      />
      @if (value()) {
        <button
          matSuffix
          mat-button
          type="button"
          (click)="clear()"
          [attr.aria-label]="'Clear ' + label()"
          [attr.data-testid]="testId() + '-clear'"
        >
          Clear
        </button>
      }
      <mat-autocomplete #auto="matAutocomplete" (optionSelected)="pick($event)">
        @for (h of options(); track h.id) {
          <mat-option [value]="h" [attr.data-testid]="testId() + '-option'">
            {{ h.hostname }}
            <span class="muted">{{ h.ip_address ?? 'DNS' }}:{{ h.port }}</span>
          </mat-option>
        }
      </mat-autocomplete>
      <mat-hint>{{ hint() }}</mat-hint>
    </mat-form-field>
    @if (error(); as e) {
      <div class="error-text small" role="alert" [attr.data-testid]="'err-' + testId()">
        {{ e }}
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    mat-form-field {
      width: 100%;
    }
    .small {
      font-size: 12px;
      margin: -12px 0 8px 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostPicker implements ControlValueAccessor {
  readonly label = input.required<string>();
  readonly hint = input('');
  readonly testId = input('host-picker');
  /** The host being edited: not offered (a host is not its own parent). */
  readonly excludeId = input<string | null>(null);
  /** The API's problem with this field, shown under it. */
  readonly error = input<string | null>(null);

  private readonly api = inject(ApiService);
  /** What is typed; the autocomplete writes the picked Host into it before pick() runs. */
  protected readonly text = new FormControl<string | Host>('', { nonNullable: true });
  protected readonly options = signal<Host[]>([]);
  protected readonly value = signal<string | null>(null);
  private onChange: (id: string | null) => void = () => undefined;
  private onTouched: () => void = () => undefined;

  constructor() {
    this.text.valueChanges
      .pipe(
        map((t) => (typeof t === 'string' ? t.trim() : this.shownName)),
        filter((t) => t !== this.shownName),
        debounceTime(200),
        distinctUntilChanged(),
        switchMap((q) => {
          if (q === '') {
            this.set(null);
            return of([] as Host[]);
          }
          return this.api.listHosts({ q, page_size: SUGGESTIONS }).pipe(
            map((page) => page.items.filter((h) => h.id !== this.excludeId())),
            catchError(() => of([] as Host[])),
          );
        }),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((hosts) => this.options.set(hosts));
  }

  /** The name the field shows for the picked host; typing anything else searches. */
  private shownName = '';

  writeValue(id: string | null): void {
    this.value.set(id ?? null);
    if (!id) {
      this.show('');
      return;
    }
    this.api.getHost(id).subscribe({
      next: (h) => this.show(h.hostname),
      error: () => this.show(id),
    });
  }

  registerOnChange(fn: (id: string | null) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(disabled: boolean): void {
    if (disabled) this.text.disable({ emitEvent: false });
    else this.text.enable({ emitEvent: false });
  }

  protected pick(event: MatAutocompleteSelectedEvent): void {
    const host = event.option.value as Host;
    this.show(host.hostname);
    this.set(host.id);
  }

  protected clear(): void {
    this.show('');
    this.set(null);
    this.options.set([]);
  }

  /** Leaving the field without picking: back to the picked host (or none, if emptied). */
  protected touched(): void {
    const typed = this.text.value;
    if (typeof typed === 'string' && typed.trim() === '') this.clear();
    else if (typed !== this.shownName) this.show(this.shownName);
    this.onTouched();
  }

  private show(name: string): void {
    this.shownName = name;
    this.text.setValue(name, { emitEvent: false });
  }

  private set(id: string | null): void {
    if (this.value() === id) return;
    this.value.set(id);
    this.onChange(id);
  }
}
