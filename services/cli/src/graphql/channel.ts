/**
 * A push-to-pull bridge: callbacks push values, a `for await` pulls them. `fail` ends it with an
 * error after the values already pushed; `end` (or the consumer leaving the loop) ends it at once
 * and runs `onClose` once.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private error: unknown;
  private failed = false;
  private ended = false;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(private readonly onClose: () => void = () => undefined) {}

  push(value: T): void {
    if (this.ended || this.failed) return;
    this.queue.push(value);
    this.notify();
  }

  fail(error: unknown): void {
    if (this.ended || this.failed) return;
    this.failed = true;
    this.error = error;
    this.notify();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.close();
    this.notify();
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.ended) return { done: true, value: undefined };
      if (this.queue.length > 0) return { done: false, value: this.queue.shift()! };
      if (this.failed) {
        this.ended = true;
        this.close();
        throw this.error;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.end();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
