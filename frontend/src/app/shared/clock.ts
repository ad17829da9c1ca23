import { DestroyRef, inject, signal, Signal } from '@angular/core';

/** A signal of Date.now() ticking every `ms`, for countdowns (display only, never state). */
export function nowSignal(ms = 1000): Signal<number> {
  const now = signal(Date.now());
  const handle = setInterval(() => now.set(Date.now()), ms);
  inject(DestroyRef).onDestroy(() => clearInterval(handle));
  return now.asReadonly();
}
