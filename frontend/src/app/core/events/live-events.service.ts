import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, Subject, filter, map } from 'rxjs';
import { API } from '../api/api.service';
import type {
  AlertEvent,
  AlertUpdatedEvent,
  CheckOutcome,
  DeliveryFailedEvent,
  HostEvent,
  LiveEvent,
  TransitionEvent,
} from '../api/api-types';
import { AuthService } from '../auth/auth.service';
import { EventStream, StreamStatus } from './event-stream';
import { lostSince } from '../../shared/stale';

/**
 * The one live connection to GET /api/events for the whole console, opened when first used.
 * Pages subscribe to checks and transitions and update in place; after a reconnect they are
 * told (reconnected$) to re-read what they show, since events in between were missed.
 */
@Injectable({ providedIn: 'root' })
export class LiveEventsService {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly events = new Subject<LiveEvent>();
  private readonly reconnects = new Subject<void>();
  private stream: EventStream | null = null;

  readonly status = signal<StreamStatus>('closed');
  readonly detail = signal<string | null>(null);
  /**
   * When the stream stopped delivering (ms since the epoch): what pages show has not moved
   * since. Null while it is open, and before it first connects.
   */
  readonly lostAt = signal<number | null>(null);

  readonly checks$: Observable<CheckOutcome> = this.events.pipe(
    filter((e): e is Extract<LiveEvent, { type: 'check' }> => e.type === 'check'),
    map((e) => e.outcome),
  );
  readonly transitions$: Observable<TransitionEvent> = this.events.pipe(
    filter((e): e is TransitionEvent => e.type === 'transition'),
  );
  /** Hosts created, updated or deleted by anyone, through any API process. */
  readonly hostChanges$: Observable<HostEvent> = this.events.pipe(
    filter(
      (e): e is HostEvent =>
        e.type === 'host_created' || e.type === 'host_updated' || e.type === 'host_deleted',
    ),
  );
  /** Problems opened or resolved, from any process. */
  readonly alertChanges$: Observable<AlertEvent> = this.events.pipe(
    filter((e): e is AlertEvent => e.type === 'alert_opened' || e.type === 'alert_resolved'),
  );
  /** Open problems acknowledged, or their acknowledgement removed, from any process. */
  readonly alertUpdates$: Observable<AlertUpdatedEvent> = this.events.pipe(
    filter((e): e is AlertUpdatedEvent => e.type === 'alert_updated'),
  );
  /** Notifications given up on after their last attempt. */
  readonly deliveryFailures$: Observable<DeliveryFailedEvent> = this.events.pipe(
    filter((e): e is DeliveryFailedEvent => e.type === 'delivery_failed'),
  );
  readonly reconnected$ = this.reconnects.asObservable();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stream?.stop());
  }

  connect(): void {
    if (this.stream) return;
    this.stream = new EventStream(
      {
        url: `${API}/events`,
        headers: () => this.auth.authHeaders(),
        onMessage: (message) => {
          try {
            this.events.next(JSON.parse(message.data) as LiveEvent);
          } catch {
            // not JSON: not ours
          }
        },
        onStatus: (status, detail) => {
          this.status.set(status);
          this.detail.set(detail ?? null);
          this.lostAt.set(lostSince(this.lostAt(), status, Date.now()));
        },
        onReconnected: () => this.reconnects.next(),
        onUnauthorized: async () => {
          this.auth.markRequired();
          const ok = await this.auth.refresh();
          if (!ok)
            await this.router.navigate(['/login'], { queryParams: { next: this.router.url } });
          return ok;
        },
      },
      {
        fetch: (url, init) => fetch(url, init),
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
        random: Math.random,
      },
    );
    this.stream.start();
  }
}
