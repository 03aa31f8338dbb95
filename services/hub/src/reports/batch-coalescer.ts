/**
 * Merges batches submitted in the same tick, or while every slot is busy, into one run: the
 * partitions of one Kafka fetch (disjoint clusters, so one transaction can hold them all) become
 * one transaction instead of one each. At most `slots` runs at once, so under load partitions
 * still go in parallel. Each submitter's promise settles with the run that carried its batch: a
 * failed run fails every batch in it, and each is redelivered as a whole, as before.
 */
export class BatchCoalescer<T> {
  private waiting:
    { items: T[]; settle: { resolve: () => void; reject: (error: unknown) => void }[] } | undefined;
  private active = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<void>,
    private readonly slots: number,
  ) {}

  submit(items: readonly T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting ??= { items: [], settle: [] };
      this.waiting.items.push(...items);
      this.waiting.settle.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Starts a run after the current tick (so what the tick submits joins it), if a slot is free. */
  private schedule(): void {
    if (this.scheduled || this.waiting === undefined || this.active >= this.slots) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startOne();
    });
  }

  private startOne(): void {
    const batch = this.waiting;
    if (batch === undefined || this.active >= this.slots) return;
    this.waiting = undefined;
    this.active += 1;
    // The slot is free before the submitters hear back, so what they submit next can start.
    this.run(batch.items).then(
      () => {
        this.release();
        batch.settle.forEach((s) => s.resolve());
      },
      (error: unknown) => {
        this.release();
        batch.settle.forEach((s) => s.reject(error));
      },
    );
  }

  private release(): void {
    this.active -= 1;
    this.schedule();
  }
}
