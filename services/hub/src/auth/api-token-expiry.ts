import { invalidArgument } from '../common/domain-error.js';

export interface ApiTokenLifetimes {
  /** What a token created without `expiresIn` gets (capped by the maximum). */
  defaultSeconds: number;
  maxSeconds: number;
}

/**
 * When a token created at `now` expires. Every API token expires: without `expiresInSeconds` it
 * gets the default lifetime, and none may be asked to outlive the maximum.
 */
export function apiTokenExpiresAt(
  now: Date,
  expiresInSeconds: number | undefined,
  lifetimes: ApiTokenLifetimes,
): Date {
  const seconds = expiresInSeconds ?? Math.min(lifetimes.defaultSeconds, lifetimes.maxSeconds);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw invalidArgument('expiresIn must be a whole number of seconds, at least 1');
  }
  if (seconds > lifetimes.maxSeconds) {
    throw invalidArgument(
      `expiresIn ${seconds}s is longer than the longest lifetime allowed, ${lifetimes.maxSeconds}s (HUB_API_TOKEN_MAX_TTL_SECONDS)`,
    );
  }
  return new Date(now.getTime() + seconds * 1000);
}

/** Why a token no longer authenticates at `now`, or null when it still does. */
export function apiTokenProblem(
  token: { revokedAt: Date | null; expiresAt: Date | null },
  now: Date,
): string | null {
  if (token.revokedAt) return `the API token was revoked at ${token.revokedAt.toISOString()}`;
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) {
    return `the API token expired at ${token.expiresAt.toISOString()}; ask an admin for a new one`;
  }
  return null;
}

/** Last use is written at most once per this period per token (one write, not one per request). */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function lastUseIsStale(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}
