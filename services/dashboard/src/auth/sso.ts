import * as oauth from 'oauth4webapi';

/** GET /auth/config: whether the hub has single sign-on, and with which provider and client. */
export type SsoConfig =
  { sso: false } | { sso: true; issuer: string; dashboardClientId: string; scopes: string };

/** The PKCE verifier and state of a sign-in under way (this tab only, until the provider sends us back). */
const PENDING_KEY = 'fleetwave.sso.pending';

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
  }).toString();
  window.location.assign(url.toString());
}

/**
 * Back from the provider (`?code=…&state=…` with a sign-in pending in this tab): the code is
 * exchanged for tokens, the URL cleaned, and the ID token returned. Null when nothing is pending.
 */
export async function finishSignIn(): Promise<string | null> {
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
  if (!result.id_token) throw new Error('the provider answered no ID token');
  return result.id_token;
}
