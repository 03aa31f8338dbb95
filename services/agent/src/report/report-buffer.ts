/** A report waiting to be produced: already signed, with its sequence number. */
export interface PendingReport {
  kind: 'heartbeat' | 'status';
  seq: number;
  value: Buffer;
}

/**
 * Reports kept while Kafka is unreachable, oldest first, at most `capacity`. When full, the oldest
 * heartbeat goes first (a newer one says the same and more), then the oldest status report: the
 * newest state is what matters when Kafka is back. Order is kept, so sequence numbers still rise.
 */
export class ReportBuffer {
  private readonly items: PendingReport[] = [];
  dropped = 0;

  constructor(private readonly capacity: number) {}

  push(report: PendingReport): void {
    this.items.push(report);
    while (this.items.length > this.capacity) {
      const heartbeat = this.items.findIndex((r) => r.kind === 'heartbeat');
      this.items.splice(heartbeat >= 0 ? heartbeat : 0, 1);
      this.dropped++;
    }
  }

  /** The oldest `max` reports, still buffered until `acknowledge`. */
  peek(max: number): PendingReport[] {
    return this.items.slice(0, max);
  }

  acknowledge(count: number): void {
    this.items.splice(0, count);
  }

  /** Replaces every buffered report's bytes (signed again with a rotated key), order unchanged. */
  rewrite(value: (report: PendingReport) => Buffer): void {
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i]!;
      this.items[i] = { ...item, value: value(item) };
    }
  }

  get size(): number {
    return this.items.length;
  }
}
