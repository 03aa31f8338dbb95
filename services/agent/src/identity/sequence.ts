/** Hands out report sequence numbers from reserved blocks (see SequenceReservations). */
export class SequenceNumbers {
  private next = 0;
  private end = 0;

  constructor(
    private readonly reserve: (size: number) => Promise<number>,
    private readonly blockSize = 1000,
  ) {}

  async take(): Promise<number> {
    if (this.next >= this.end) {
      this.next = await this.reserve(this.blockSize);
      this.end = this.next + this.blockSize;
    }
    return this.next++;
  }
}
