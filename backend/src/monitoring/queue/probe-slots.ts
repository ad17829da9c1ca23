/**
 * At most `size` probes at a time in this process, handed out most urgent first (API priority
 * 0..9, 9 most urgent), in arrival order within a priority. Scheduled jobs carry several
 * checks, so a worker holds more checks than it probes at once: this keeps the most urgent of
 * them first, whichever job they came in.
 */
export class ProbeSlots {
  private free: number;
  private readonly waiting: Array<Array<() => void>> = Array.from({ length: 10 }, () => []);

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Runs `work` in a slot once one is free. */
  async run<T>(priority: number, work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting[bucket(priority)].push(resolve));
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Checks waiting for a slot. */
  get queued(): number {
    return this.waiting.reduce((n, w) => n + w.length, 0);
  }

  private release(): void {
    for (let p = this.waiting.length - 1; p >= 0; p--) {
      const next = this.waiting[p].shift();
      if (next) return next(); // the slot passes straight on
    }
    this.free++;
  }
}

function bucket(priority: number): number {
  return Number.isFinite(priority) ? Math.min(9, Math.max(0, Math.round(priority))) : 0;
}
