import type { AlertEvent } from '../api/api-types';

/**
 * The bell's number: how many problems are open, from GET /api/alerts?status=open (its total)
 * and kept live by alert_opened and alert_resolved events.
 *
 * An event moves the number at once; each alert moves it at most once per direction, so an
 * event seen twice changes nothing. A read answers with a total that may or may not include an
 * event that arrived while it was out (the event is published once its write commits, the
 * read sees whatever had committed when it ran); so an answer is taken only when no event
 * arrived meanwhile, and otherwise the caller reads again once events settle. A read that
 * starts after the last event always includes it, which is what makes the number exact again
 * after a burst and after a reconnect (events sent while disconnected are lost).
 */
export class OpenAlertCount {
  private count: number | null = null;
  private readonly opened = new Set<string>();
  private readonly resolved = new Set<string>();
  private reading = false;
  private eventsDuringRead = false;

  /** Null until the first read answers. */
  get value(): number | null {
    return this.count;
  }

  /** A read of the open total goes out (a newer one replaces any still out). */
  readStarted(): void {
    this.reading = true;
    this.eventsDuringRead = false;
  }

  /**
   * The read answered. Returns true when it could not be taken as it is (events arrived while
   * it was out), so another read is due once they settle.
   */
  readAnswered(total: number): boolean {
    this.reading = false;
    if (this.eventsDuringRead) {
      // Better an approximate number than none; the next read puts it right.
      if (this.count === null) this.count = total;
      return true;
    }
    this.count = total;
    this.opened.clear();
    this.resolved.clear();
    return false;
  }

  readFailed(): void {
    this.reading = false;
  }

  /** Applies a live event; returns whether the number changed. */
  apply(event: AlertEvent): boolean {
    if (this.reading) this.eventsDuringRead = true;
    const id = event.alert.id;
    if (event.type === 'alert_opened') {
      if (this.opened.has(id) || this.resolved.has(id)) return false;
      this.opened.add(id);
      if (this.count === null) return false;
      this.count += 1;
      return true;
    }
    if (this.resolved.has(id)) return false;
    this.resolved.add(id);
    if (this.count === null || this.count === 0) return false;
    this.count -= 1;
    return true;
  }
}
