/** Hands out report sequence numbers from reserved blocks (see SequenceReservations). */
export class SequenceNumbers {
  private next = 0;
  private end = 0;
  /** The reservation in flight: concurrent takes (a heartbeat and a status report) share it. */
  private refilling: Promise<void> | undefined;

  constructor(
    private readonly reserve: (size: number) => Promise<number>,
    private readonly blockSize = 1000,
  ) {}

  async take(): Promise<number> {
    // Two reservations at once would both read the ConfigMap as missing (or at the same version)
    // and one write would fail, losing its report: one reservation at a time.
    while (this.next >= this.end) {
      this.refilling ??= this.refill().finally(() => {
        this.refilling = undefined;
      });
      await this.refilling;
    }
    return this.next++;
  }

  private async refill(): Promise<void> {
    const start = await this.reserve(this.blockSize);
    this.next = start;
    this.end = start + this.blockSize;
  }
}
