/**
 * The hub's clock. Everything that decides by time (engine passes, their wake-up timers, the
 * freeze) reads it here, so a test can run a hub at another time of day (a window opening, a
 * freeze ending) without waiting for it. Production uses the system clock.
 */
export interface Clock {
  now(): Date;
}

export const HUB_CLOCK = Symbol('HUB_CLOCK');

export const systemClock: Clock = { now: () => new Date() };
