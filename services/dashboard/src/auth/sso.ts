import * as oauth from 'oauth4webapi';

/** GET /auth/config: whether the hub has single sign-on, and with which provider and client. */
export type SsoConfig =
  { sso: false } | { sso: true; issuer: string; dashboardClientId: string; scopes: string };

/** The PKCE verifier and state of a sign-in under way (this tab only, until the provider sends us back). */
const PENDING_KEY = 'fleetwave.sso.pending';

/**
 * A signed-in user's tokens: the ID token is what the hub takes; the refresh token (when the
 * provider gave one, for offline_access) renews it before it expires (renewal-timing.ts).
 */
export interface SsoSession {
  issuer: string;
  clientId: string;
  idToken: string;
  refreshToken?: string;
  /** Epoch milliseconds, from the ID token's `iat` and `exp`. */
  issuedAt: number;
  expiresAt: number;
}

/** A renewal that failed; `refused` when the provider answered no (rather than not at all). */
export class RenewalError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
  }
}

export async function fetchSsoConfig(): Promise<SsoConfig> {
  const response = await fetch('/auth/config');
  if (!response.ok) return { sso: false };
  return (await response.json()) as SsoConfig;
}

/** Where the provider sends the browser back: the dashboard's root. */
function redirectUri(): string {
  return `${window.location.origin}/`;
}

function insecure(issuer: string) {
  // Plain http only for a provider on this machine or in a test; production issuers are https.
  return new URL(issuer).protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
}

async function server(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, insecure(issuer)));
}

/** Starts the authorization code flow with PKCE: off to the provider's login page. */
export async function startSignIn(config: Extract<SsoConfig, { sso: true }>): Promise<void> {
  const as = await server(config.issuer);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  window.sessionStorage.setItem(
    PENDING_KEY,
    JSON.stringify({ verifier, state, issuer: config.issuer, clientId: config.dashboardClientId }),
  );
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: config.dashboardClientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: config.scopes,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    // OpenID Connect Core 11: a refresh token (offline_access) is granted only with consent asked for.
    ...(config.scopes.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
  }).toString();
  window.location.assign(url.toString());
}

/**
 * Back from the provider (`?code=…&state=…` with a sign-in pending in this tab): the code is
 * exchanged for tokens, the URL cleaned, and the session returned. Null when nothing is pending.
 */
export async function finishSignIn(): Promise<SsoSession | null> {
  const current = new URL(window.location.href);
  const pendingText = window.sessionStorage.getItem(PENDING_KEY);
  if (!pendingText || (!current.searchParams.has('code') && !current.searchParams.has('error'))) return null;
  window.sessionStorage.removeItem(PENDING_KEY);
  window.history.replaceState(window.history.state, '', current.pathname);
  const pending = JSON.parse(pendingText) as {
    verifier: string;
    state: string;
    issuer: string;
    clientId: string;
  };
  const as = await server(pending.issuer);
  const client: oauth.Client = { client_id: pending.clientId };
  const params = oauth.validateAuthResponse(as, client, current.searchParams, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    insecure(pending.issuer),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  return sessionFrom(pending.issuer, pending.clientId, result);
}

/** Renews the session's ID token with its refresh token (the refresh_token grant). */
export async function renewSession(session: SsoSession): Promise<SsoSession> {
  if (!session.refreshToken) throw new RenewalError('there is no refresh token', true);
  const client: oauth.Client = { client_id: session.clientId };
  let result: oauth.TokenEndpointResponse;
  try {
    const as = await server(session.issuer);
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      session.refreshToken,
      insecure(session.issuer),
    );
    result = await oauth.processRefreshTokenResponse(as, client, response);
  } catch (error) {
    // An OAuth error answer (invalid_grant: revoked or expired) will not change by retrying.
    if (error instanceof oauth.ResponseBodyError) {
      throw new RenewalError(error.error_description ?? error.error, true);
    }
    throw new RenewalError((error as Error).message, false);
  }
  // The provider may rotate the refresh token, or keep the one we have.
  const renewed = sessionFrom(session.issuer, session.clientId, result);
  return { ...renewed, refreshToken: renewed.refreshToken ?? session.refreshToken };
}

function sessionFrom(issuer: string, clientId: string, result: oauth.TokenEndpointResponse): SsoSession {
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (!result.id_token || !claims) throw new Error('the provider answered no ID token');
  return {
    issuer,
    clientId,
    idToken: result.id_token,
    refreshToken: result.refresh_token,
    issuedAt: claims.iat * 1000,
    expiresAt: claims.exp * 1000,
  };
}
