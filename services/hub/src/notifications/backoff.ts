/** Attempts before a delivery is given up (status `failed`); at the schedule below, over about ten hours. */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 10_000;
const LONGEST_WAIT_MS = 4 * 60 * 60 * 1000;

/** How long to wait after the `attempts`-th failed attempt (1-based): 10 s, doubling, at most 4 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_WAIT_MS);
}

/** When to try again after `attempts` failed attempts, or null when the delivery is given up. */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return new Date(now.getTime() + retryDelayMs(attempts));
}
