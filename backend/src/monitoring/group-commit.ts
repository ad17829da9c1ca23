/**
 * Group commit: submissions that arrive while a batch is being written are written together as
 * the next batch. The first submission goes out at once, so a lone one waits for nothing; under
 * load, batches grow to what arrived during one write (at most maxBatch). One batch is in
 * flight at a time per instance.
 *
 * `write` gets the inputs and returns one output per input, in order. If it fails, every
 * submission of that batch is rejected with its error.
 */
export class GroupCommit<I, O> {
  private pending: Array<{ input: I; resolve: (out: O) => void; reject: (e: unknown) => void }> =
    [];
  private writing = false;

  constructor(
    private readonly write: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    if (this.writing || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.writing = true;
    let written: Promise<O[]>;
    try {
      written = this.write(batch.map((b) => b.input));
    } catch (error) {
      written = Promise.reject(error);
    }
    written
      .then(
        (outs) => batch.forEach((b, i) => b.resolve(outs[i])),
        (error) => batch.forEach((b) => b.reject(error)),
      )
      .finally(() => {
        this.writing = false;
        this.flush();
      });
  }
}
