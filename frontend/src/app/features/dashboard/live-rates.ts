/**
 * Checks, failures and response times per minute for the last `minutes` minutes: seeded from
 * the API's per-minute history (GET /api/monitoring/stats/history), then extended from the
 * live stream. Pure bucket arithmetic, time passed in, so specs move it.
 */
export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  minute: number;
  checks: number;
  failures: number;
  /** Mean response time of the minute's successful checks, or null when there were none. */
  avgResponseMs: number | null;
  /** 95th percentile of the same, or null when there were none. */
  p95ResponseMs: number | null;
}

/** One minute as the history endpoint gives it (the console's names). */
export interface HistoryMinute {
  minute: number;
  checks: number;
  failures: number;
  samples: number;
  avgResponseMs: number | null;
  p95ResponseMs: number | null;
}

interface LiveCheck {
  at: number;
  success: boolean;
  responseMs: number | null;
}

interface Bucket {
  minute: number;
  checks: number;
  failures: number;
  responseSum: number;
  responses: number;
  /** Response times recorded live in a minute still running. */
  samples: number[];
  /** p95 of the live samples once the minute is over (samples dropped then). */
  liveP95: number | null;
  /** p95 the history gave for the part of the minute it covered. */
  seedP95: number | null;
}

/** Linear interpolation between closest ranks, as Postgres's percentile_cont does. */
export function percentile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return Math.round(sorted[low] + (sorted[high] - sorted[low]) * (rank - low));
}

const floorMinute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

export class LiveRates {
  private readonly buckets = new Map<number, Bucket>();
  /** Live checks seen while a history read is on its way, to replay on top of it. */
  private pending: LiveCheck[] | null = null;

  constructor(private readonly minutes = 60) {}

  /** A history read is starting: remember live checks until it lands (see `seed`). */
  beginSeed(): void {
    this.pending = [];
  }

  /** A history read failed: carry on from the live stream alone. */
  abandonSeed(): void {
    this.pending = null;
  }

  /**
   * Takes the history's counts, which include every check before `untilMs`; of the live checks
   * seen since `beginSeed`, only those at or after `untilMs` are added on top, so none is
   * counted twice at the boundary (and none that arrived during the read is lost).
   */
  seed(history: readonly HistoryMinute[], untilMs: number): void {
    const replay = (this.pending ?? []).filter((c) => c.at >= untilMs);
    this.pending = null;
    // The history is the truth for what it covers; what it cannot have seen yet is replayed.
    this.buckets.clear();
    for (const h of history) {
      this.buckets.set(h.minute, {
        minute: h.minute,
        checks: h.checks,
        failures: h.failures,
        responseSum: (h.avgResponseMs ?? 0) * h.samples,
        responses: h.samples,
        samples: [],
        liveP95: null,
        seedP95: h.p95ResponseMs,
      });
    }
    for (const check of replay) this.add(check);
  }

  record(atMs: number, success: boolean, responseMs: number | null = null): void {
    const check = { at: atMs, success, responseMs };
    this.pending?.push(check);
    this.add(check);
  }

  /** One bucket per minute up to now (empty minutes included), oldest first. */
  series(nowMs: number): MinuteBucket[] {
    const last = floorMinute(nowMs);
    const first = last - (this.minutes - 1) * 60_000;
    for (const [minute, b] of this.buckets) {
      if (minute < first) this.buckets.delete(minute);
      else if (minute < last && b.samples.length > 0) {
        // The minute is over: keep its p95, not its samples.
        b.liveP95 = percentile(b.samples, 0.95);
        b.samples = [];
      }
    }
    const out: MinuteBucket[] = [];
    for (let m = first; m <= last; m += 60_000) {
      const b = this.buckets.get(m);
      const live = b ? (b.samples.length > 0 ? percentile(b.samples, 0.95) : b.liveP95) : null;
      // Over a minute split between history and live checks, the larger p95 of the two parts
      // is an upper bound of the whole minute's.
      const p95 = [live, b?.seedP95 ?? null].filter((v): v is number => v !== null);
      out.push({
        minute: m,
        checks: b?.checks ?? 0,
        failures: b?.failures ?? 0,
        avgResponseMs: b && b.responses > 0 ? Math.round(b.responseSum / b.responses) : null,
        p95ResponseMs: p95.length > 0 ? Math.max(...p95) : null,
      });
    }
    return out;
  }

  private add({ at, success, responseMs }: LiveCheck): void {
    const minute = floorMinute(at);
    const bucket = this.buckets.get(minute) ?? {
      minute,
      checks: 0,
      failures: 0,
      responseSum: 0,
      responses: 0,
      samples: [],
      liveP95: null,
      seedP95: null,
    };
    bucket.checks += 1;
    if (!success) bucket.failures += 1;
    else if (responseMs !== null) {
      bucket.responseSum += responseMs;
      bucket.responses += 1;
      bucket.samples.push(responseMs);
    }
    this.buckets.set(minute, bucket);
  }
}
