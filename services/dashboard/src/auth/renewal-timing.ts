/**
 * When a signed-in (SSO) dashboard renews its ID token, as pure functions of the token's lifetime
 * and the time (the caller's clock), so the timing is table-tested (renewal-timing.spec.ts).
 */

/** An SSO session's timing: epoch milliseconds from the ID token's `iat` and `exp`. */
export interface RenewalTiming {
  issuedAt: number;
  expiresAt: number;
  /** Whether there is a refresh token to renew with (the provider gives one for offline_access). */
  canRefresh: boolean;
}

export type RenewalStep =
  /** Nothing to do for `ms` milliseconds; then ask again. */
  | { kind: 'wait'; ms: number }
  /** Renew now with the refresh token. */
  | { kind: 'refresh' }
  /** The session is over: back to the sign-in screen. */
  | { kind: 'expired' };

/** Renew at most this long before expiry (a quarter of the lifetime when that is shorter). */
export const MAX_LEAD_MS = 60_000;
/** After a renewal failed for want of an answer (network), try again this soon. */
export const RETRY_MS = 5_000;
/** setTimeout's longest delay (a signed 32-bit count of ms); longer waits just ask again. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function wait(ms: number): RenewalStep {
  return { kind: 'wait', ms: Math.min(ms, MAX_TIMER_MS) };
}

/** The moment to renew: a quarter of the lifetime before expiry, but no more than a minute before. */
export function renewAt(timing: RenewalTiming): number {
  const lifetime = Math.max(0, timing.expiresAt - timing.issuedAt);
  return timing.expiresAt - Math.min(MAX_LEAD_MS, lifetime / 4);
}

/**
 * What to do at `now`: wait, renew, or (with no refresh token, once the token has expired) end the
 * session. A late timer (a sleeping tab) past expiry still renews: the refresh token outlives the
 * ID token.
 */
export function nextRenewalStep(timing: RenewalTiming, now: number): RenewalStep {
  if (!timing.canRefresh) return now >= timing.expiresAt ? { kind: 'expired' } : wait(timing.expiresAt - now);
  const at = renewAt(timing);
  return now >= at ? { kind: 'refresh' } : wait(at - now);
}

/**
 * After a failed renewal: the provider's refusal (an OAuth error answer, e.g. invalid_grant) ends
 * the session at once; no answer at all is retried while the current token still has time left.
 */
export function stepAfterFailedRenewal(
  timing: RenewalTiming,
  now: number,
  failure: { refused: boolean },
): RenewalStep {
  if (failure.refused || now + RETRY_MS >= timing.expiresAt) return { kind: 'expired' };
  return wait(RETRY_MS);
}
