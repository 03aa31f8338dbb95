export interface WaitForOptions {
  /** What is awaited, for the timeout message. */
  description: string;
  timeoutMs: number;
  intervalMs?: number;
}

/** Thrown by a probe when waiting longer cannot help (what it waits for has exited): ends the wait at once. */
export class StopWaiting extends Error {}

/**
 * Polls `probe` until it returns a value other than undefined/false, or fails after timeoutMs with
 * the last error seen. This awaits a condition; it is not a fixed sleep.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { description, timeoutMs, intervalMs = 100 }: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Like {@link waitFor}, for probes that can say what they saw: the timeout message carries the last
 * observation ("replicas 1/3", "condition Progressing=True"), which is what a failing e2e needs.
 */
export async function waitForObserved<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<{ done: T | undefined; observed: string }> | { done: T | undefined; observed: string },
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let observed: string;
  for (;;) {
    try {
      const result = await probe();
      observed = result.observed;
      if (result.done !== undefined) return result.done;
    } catch (err) {
      observed = `error: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last observed: ${observed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
