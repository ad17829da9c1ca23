import { inject, Injectable, signal } from '@angular/core';
import { ApiService } from '../api/api.service';
import type { Policy } from '../api/api-types';

/**
 * The monitoring policy in force, read once when first asked for and again after an admin
 * saves it, so badges and pages describe the intervals that apply rather than the defaults.
 */
@Injectable({ providedIn: 'root' })
export class PolicyStore {
  private readonly api = inject(ApiService);
  private readonly current = signal<Policy | null>(null);
  private requested = false;

  /** The policy, or null until it has been read (or when it cannot be). */
  policy() {
    if (!this.requested) {
      this.requested = true;
      this.api.getPolicy().subscribe({
        next: (p) => this.current.set(p),
        error: () => (this.requested = false),
      });
    }
    return this.current();
  }

  /** A policy just saved: shown at once. */
  set(policy: Policy): void {
    this.requested = true;
    this.current.set(policy);
  }
}
