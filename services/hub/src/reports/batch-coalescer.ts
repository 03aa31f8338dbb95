/**
 * Merges batches submitted in the same tick, or while every slot is busy, into one run: the
 * partitions of one Kafka fetch (disjoint clusters, so one transaction can hold them all) become
 * one transaction instead of one each. A run takes whole batches, oldest first, up to `maxItems`
 * (one larger batch runs alone), and at most `slots` run at once: under load, full batches still
 * go in parallel as before; at a trickle of heartbeats, one transaction carries every partition.
 * Each submitter's promise settles with the run that carried its batch — the submitter commits its
 * offsets only then; a failed run fails every batch in it, and each is redelivered whole.
 */
export class BatchCoalescer<T> {
  private readonly waiting: {
    items: readonly T[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private active = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<void>,
    private readonly slots: number,
    private readonly maxItems: number,
  ) {}

  submit(items: readonly T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      this.schedule();
    });
  }

  /** Starts a run after the current tick (so what the tick submits joins it), if a slot is free. */
  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.active >= this.slots) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startOne();
    });
  }

  private startOne(): void {
    if (this.waiting.length === 0 || this.active >= this.slots) return;
    let taken = 1;
    let size = this.waiting[0]!.items.length;
    while (taken < this.waiting.length && size + this.waiting[taken]!.items.length <= this.maxItems) {
      size += this.waiting[taken]!.items.length;
      taken += 1;
    }
    const batches = this.waiting.splice(0, taken);
    this.active += 1;
    // More waiting than this run holds: another slot may take it now.
    this.schedule();
    // The slot is free before the submitters hear back, so what they submit next can start.
    this.run(batches.flatMap((b) => b.items)).then(
      () => {
        this.release();
        for (const b of batches) b.resolve();
      },
      (error: unknown) => {
        this.release();
        for (const b of batches) b.reject(error);
      },
    );
  }

  private release(): void {
    this.active -= 1;
    this.schedule();
  }
}
