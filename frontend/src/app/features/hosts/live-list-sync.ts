import type { HostEvent } from '../../core/api/api-types';
import type { HostsQuery } from './hosts-query';
import {
  applyHostEvent,
  applyRead,
  matchesQuery,
  widerReread,
  type ListView,
  type PageAnswer,
  type Reread,
} from './live-list';

/** How long a burst of live events may run before the page is read again, quietly. */
export const QUIET_READ_DELAY_MS = 250;
/** A quiet read that failed is tried again after this long, at most QUIET_READ_RETRIES in a row. */
export const QUIET_READ_RETRY_MS = 2000;
export const QUIET_READ_RETRIES = 3;

/** Timers from outside, so specs move them rather than wait. */
export interface SyncTimers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/**
 * A read of the page. `fresh` ones (a navigation, a refresh, a reconnect) show progress and
 * start the news afresh; quiet ones settle what live events left open, and show nothing.
 */
export interface PageRead {
  kind: Reread;
  fresh: boolean;
}

interface Flight {
  kind: Reread;
  fresh: boolean;
  /** The news counted when the read started; a `rows` answer keeps it. */
  elsewhere: number;
  /** Events that arrived meanwhile: the answer may or may not reflect each. */
  crossed: HostEvent[];
}

/** Whether the list lists the event's host, before or after it. */
function concernsList(event: HostEvent, query: HostsQuery): boolean {
  if (matchesQuery(event.host, query)) return true;
  return event.type === 'host_updated' && matchesQuery(event.previous, query);
}

function settled(view: ListView): ListView {
  if (!view.reread) return view;
  const next = { ...view };
  delete next.reread;
  return next;
}

/**
 * When the host list reads its page again, quietly, after live events, and how each answer
 * and the events that crossed it combine. It holds no rows (check results patch them in the
 * page): the page passes its view in and shows the one it gets back.
 *
 * Events are applied at once. What they leave open is read QUIET_READ_DELAY_MS after the
 * first of a burst, in one read for the whole burst, and never while another read is in
 * flight: events that arrive meanwhile are applied again to its answer, and what that leaves
 * open is read after it. Every event for a host the list lists (before or after it) is
 * followed by such a read, if only of the total, so once events settle the total is the
 * server's: an event can arrive after an answer that already counted it, and the API counts
 * in a statement apart from the one that reads the rows.
 */
export class LiveListSync {
  private flight: Flight | null = null;
  private pending: Reread | undefined;
  private timer: unknown = null;
  /** Quiet reads failed in a row. */
  private retries = 0;

  constructor(
    /** Starts a quiet read of this kind; the page reports it through started() and answered(). */
    private readonly readQuietly: (kind: Reread) => void,
    private readonly timers: SyncTimers,
    private readonly delayMs = QUIET_READ_DELAY_MS,
  ) {}

  /** A read of the page started. One replacing a read still in flight inherits its events. */
  started(view: ListView, read: PageRead): void {
    if (read.fresh) {
      // It reads everything: nothing left to settle for the page as it was.
      this.disarm();
      this.pending = undefined;
    }
    const before = this.flight;
    this.flight = {
      kind: widerReread(before?.kind, read.kind) ?? read.kind,
      fresh: read.fresh || (before?.fresh ?? false),
      elsewhere: before ? before.elsewhere : view.elsewhere,
      crossed: before?.crossed ?? [],
    };
  }

  /** A live event for the list: the view after it. */
  event(view: ListView, event: HostEvent, query: HostsQuery): ListView {
    if (this.flight) {
      this.flight.crossed.push(event);
      // The rows on show belong to the previous query meanwhile: the answer takes the event.
      if (this.flight.fresh) return view;
    }
    const next = applyHostEvent(view, event, query);
    // Even one that changes nothing here: the page may show it from an answer whose count
    // was taken before it.
    if (concernsList(event, query)) this.request(widerReread(next.reread, 'total'));
    return settled(next);
  }

  /** The read in flight answered: the view after it, with the events that crossed it. */
  answered(view: ListView, answer: PageAnswer, query: HostsQuery): ListView {
    const flight = this.flight;
    if (!flight) return view;
    this.flight = null;
    this.retries = 0;
    const next = applyRead(
      view,
      answer,
      { kind: flight.kind, elsewhere: flight.fresh ? 0 : flight.elsewhere },
      flight.crossed,
      query,
    );
    // The crossed events are applied again to the rows answered: what they asked for while
    // in flight was asked of rows that are gone.
    if (flight.kind === 'rows') this.pending = undefined;
    this.request(widerReread(next.reread, flight.crossed.length > 0 ? 'total' : undefined));
    return settled(next);
  }

  /**
   * The read in flight failed: its events are on show already, and what they asked is kept. A
   * quiet read is tried again a little later, a few times in a row (after that, the next event
   * or a reconnect reads again); a failed navigation shows its error instead.
   */
  failed(): void {
    const flight = this.flight;
    this.flight = null;
    if (flight && !flight.fresh && this.retries < QUIET_READ_RETRIES) {
      this.retries += 1;
      this.pending = widerReread(this.pending, flight.kind);
      this.request(this.pending, QUIET_READ_RETRY_MS);
      return;
    }
    this.request(this.pending);
  }

  /** Whether a quiet read is waiting for its time (specs and the page's teardown). */
  get scheduled(): boolean {
    return this.timer !== null;
  }

  dispose(): void {
    this.disarm();
    this.pending = undefined;
  }

  private request(kind: Reread | undefined, delayMs = this.delayMs): void {
    if (!kind) return;
    this.pending = widerReread(this.pending, kind);
    // One read for a burst, counted from its first event; none while one is in flight.
    if (this.flight || this.timer !== null) return;
    this.timer = this.timers.setTimeout(() => this.fire(), delayMs);
  }

  private fire(): void {
    this.timer = null;
    const kind = this.pending;
    if (this.flight || !kind) return;
    this.pending = undefined;
    this.readQuietly(kind);
  }

  private disarm(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
