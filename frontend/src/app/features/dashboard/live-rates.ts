/**
 * Checks and failures per minute from the live stream, for the last `minutes` minutes:
 * pure bucket arithmetic, time passed in, so specs move it.
 */
export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  minute: number;
  checks: number;
  failures: number;
}

export class LiveRates {
  private readonly buckets = new Map<number, MinuteBucket>();

  constructor(private readonly minutes = 60) {}

  record(atMs: number, success: boolean): void {
    const minute = Math.floor(atMs / 60_000) * 60_000;
    const bucket = this.buckets.get(minute) ?? { minute, checks: 0, failures: 0 };
    bucket.checks += 1;
    if (!success) bucket.failures += 1;
    this.buckets.set(minute, bucket);
  }

  /** One bucket per minute up to now (empty minutes included), oldest first. */
  series(nowMs: number): MinuteBucket[] {
    const last = Math.floor(nowMs / 60_000) * 60_000;
    const first = last - (this.minutes - 1) * 60_000;
    for (const minute of this.buckets.keys()) if (minute < first) this.buckets.delete(minute);
    const out: MinuteBucket[] = [];
    for (let m = first; m <= last; m += 60_000) {
      out.push(this.buckets.get(m) ?? { minute: m, checks: 0, failures: 0 });
    }
    return out;
  }
}
