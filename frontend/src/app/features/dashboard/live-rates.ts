/**
 * Checks and failures per minute from the live stream, for the last `minutes` minutes:
 * pure bucket arithmetic, time passed in, so specs move it.
 */
export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  minute: number;
  checks: number;
  failures: number;
  /** Mean response time of the minute's successful checks, or null when there were none. */
  avgResponseMs: number | null;
}

interface Bucket {
  minute: number;
  checks: number;
  failures: number;
  responseSum: number;
  responses: number;
}

export class LiveRates {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private readonly minutes = 60) {}

  record(atMs: number, success: boolean, responseMs: number | null = null): void {
    const minute = Math.floor(atMs / 60_000) * 60_000;
    const bucket = this.buckets.get(minute) ?? {
      minute,
      checks: 0,
      failures: 0,
      responseSum: 0,
      responses: 0,
    };
    bucket.checks += 1;
    if (!success) bucket.failures += 1;
    else if (responseMs !== null) {
      bucket.responseSum += responseMs;
      bucket.responses += 1;
    }
    this.buckets.set(minute, bucket);
  }

  /** One bucket per minute up to now (empty minutes included), oldest first. */
  series(nowMs: number): MinuteBucket[] {
    const last = Math.floor(nowMs / 60_000) * 60_000;
    const first = last - (this.minutes - 1) * 60_000;
    for (const minute of this.buckets.keys()) if (minute < first) this.buckets.delete(minute);
    const out: MinuteBucket[] = [];
    for (let m = first; m <= last; m += 60_000) {
      const b = this.buckets.get(m);
      out.push({
        minute: m,
        checks: b?.checks ?? 0,
        failures: b?.failures ?? 0,
        avgResponseMs: b && b.responses > 0 ? Math.round(b.responseSum / b.responses) : null,
      });
    }
    return out;
  }
}
