import { type Timers } from './work-queue.js';

/** A clock for unit tests that moves only when the test says so. */
export function fakeTimers() {
  let now = 0;
  let next = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => (pending.set(++next, { at: now + ms, fn }), next),
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    /** Moves the clock by `ms`, firing what falls due, in order. */
    advance(ms: number) {
      now += ms;
      for (const [handle, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > now) continue;
        pending.delete(handle);
        timer.fn();
      }
    },
    /** When each waiting timer falls due, soonest first. */
    waiting: () => [...pending.values()].map((t) => t.at).sort((a, b) => a - b),
  };
}
