import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import {
  asyncScheduler,
  catchError,
  map,
  merge,
  of,
  Subject,
  Subscription,
  switchMap,
  tap,
  throttleTime,
} from 'rxjs';
import { ApiService } from '../api/api.service';
import { LiveEventsService } from '../events/live-events.service';
import { OpenAlertCount } from './open-alert-count';

/** After the first event of a burst, how long until the number is read again over REST. */
const SETTLE_MS = 1000;
/** A read that failed is tried again this much later (the stream's own reconnect reads too). */
const RETRY_MS = 5000;

/**
 * The number of open problems for the top bar's bell, for the whole console: read over REST
 * when the console starts and after every reconnect, moved by alert_opened and alert_resolved
 * as they stream in, and read again once a burst of them settles (see OpenAlertCount).
 */
@Injectable({ providedIn: 'root' })
export class OpenAlertsService {
  private readonly api = inject(ApiService);
  private readonly live = inject(LiveEventsService);
  private readonly tracker = new OpenAlertCount();
  private readonly readNow = new Subject<void>();
  private readonly readSoon = new Subject<void>();
  private subscription: Subscription | null = null;

  /** Null until the first read answers (the bell then shows no number). */
  readonly count = signal<number | null>(null);
  /** The last read failed and nothing has put the number right since. */
  readonly stale = signal(false);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  /** Starts following (once); the live stream is connected by the shell. */
  start(): void {
    if (this.subscription) return;
    const soon = this.readSoon.pipe(
      throttleTime(SETTLE_MS, asyncScheduler, { leading: false, trailing: true }),
    );
    this.subscription = merge(this.readNow, soon)
      .pipe(
        tap(() => this.tracker.readStarted()),
        // A newer read replaces one still out: it sees at least as much.
        switchMap(() =>
          this.api.listAlerts({ status: 'open', page_size: 1 }).pipe(
            map((page) => page.total),
            catchError(() => of(null)),
          ),
        ),
      )
      .subscribe((total) => {
        if (total === null) {
          this.tracker.readFailed();
          this.stale.set(true);
          setTimeout(() => this.readSoon.next(), RETRY_MS);
          return;
        }
        this.stale.set(false);
        if (this.tracker.readAnswered(total)) this.readSoon.next();
        this.count.set(this.tracker.value);
      });
    this.subscription.add(
      this.live.alertChanges$.subscribe((event) => {
        if (this.tracker.apply(event)) this.count.set(this.tracker.value);
        this.readSoon.next();
      }),
    );
    this.subscription.add(this.live.reconnected$.subscribe(() => this.readNow.next()));
    this.readNow.next();
  }
}
