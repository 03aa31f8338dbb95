import { type SsoSession } from '../config/contexts.js';

/** Refresh this long before the ID token expires, so a request never arrives with an expired one. */
export const REFRESH_MARGIN_MS = 60_000;

/** Pure: whether the session's ID token must be refreshed before use at `now`. */
export function needsRefresh(session: SsoSession, now: Date): boolean {
  return Date.parse(session.expiresAt) - REFRESH_MARGIN_MS <= now.getTime();
}

/** Pure: the session kept from a token response (the refresh token stays when none is new). */
export function sessionFrom(
  previous: Pick<SsoSession, 'issuer' | 'clientId'> & { refreshToken?: string },
  tokens: { idToken: string | undefined; refreshToken: string | undefined; expiresAt: Date },
): SsoSession {
  if (!tokens.idToken) throw new Error('the provider answered no ID token (is "openid" among the scopes?)');
  const refreshToken = tokens.refreshToken ?? previous.refreshToken;
  return {
    issuer: previous.issuer,
    clientId: previous.clientId,
    idToken: tokens.idToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: tokens.expiresAt.toISOString(),
  };
}
