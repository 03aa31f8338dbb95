import * as oidc from 'openid-client';
import { type SsoSession } from '../config/contexts.js';
import { CliError, CLI_CODES } from '../errors.js';
import { listenForCallback } from './loopback.js';
import { sessionFrom } from './session.js';

/** What the hub publishes at GET /auth/config. */
export interface HubSso {
  issuer: string;
  cliClientId: string;
  scopes: string;
}

function ssoError(message: string): CliError {
  return new CliError(message, CLI_CODES.sso);
}

/** The hub's single sign-on settings; an error when it has none. */
export async function hubSso(hub: string): Promise<HubSso> {
  const url = new URL('auth/config', hub.endsWith('/') ? hub : `${hub}/`);
  let body: { sso?: boolean } & Partial<HubSso>;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw new CliError(`GET ${url}: ${(error as Error).message}`, CLI_CODES.unavailable);
  }
  if (!body.sso || !body.issuer || !body.cliClientId) {
    throw ssoError(`the hub at ${hub} has no single sign-on configured (HUB_OIDC_ISSUER); use an API token`);
  }
  return { issuer: body.issuer, cliClientId: body.cliClientId, scopes: body.scopes ?? 'openid' };
}

/** The provider's configuration for a public client (plain http only for a loopback or test issuer). */
async function discover(issuer: string, clientId: string): Promise<oidc.Configuration> {
  const url = new URL(issuer);
  try {
    return await oidc.discovery(
      url,
      clientId,
      undefined,
      oidc.None(),
      url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
  } catch (error) {
    throw ssoError(`cannot discover the provider at ${issuer}: ${(error as Error).message}`);
  }
}

function expiryOf(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): Date {
  const exp = tokens.claims()?.exp;
  return new Date(exp !== undefined ? exp * 1000 : Date.now() + (tokens.expiresIn() ?? 300) * 1000);
}

/**
 * The device authorization flow (RFC 8628): asks for a user code, tells the user where to enter it
 * (`prompt`), then polls the provider at the interval it asks for until they approved.
 */
export async function deviceLogin(
  settings: { issuer: string; clientId: string; scopes: string },
  prompt: (verification: { uri: string; uriComplete: string | undefined; userCode: string }) => void,
): Promise<SsoSession> {
  const config = await discover(settings.issuer, settings.clientId);
  let tokens: Awaited<ReturnType<typeof oidc.pollDeviceAuthorizationGrant>>;
  try {
    const device = await oidc.initiateDeviceAuthorization(config, { scope: settings.scopes });
    prompt({
      uri: device.verification_uri,
      uriComplete: device.verification_uri_complete,
      userCode: device.user_code,
    });
    tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
  } catch (error) {
    throw ssoError(`sign-in failed: ${(error as Error).message}`);
  }
  return sessionFrom(
    { issuer: settings.issuer, clientId: settings.clientId },
    { idToken: tokens.id_token, refreshToken: tokens.refresh_token, expiresAt: expiryOf(tokens) },
  );
}

/** How long `fleetctl login --pkce` waits for the browser to come back. */
export const LOOPBACK_TIMEOUT_MS = 300_000;

/**
 * The authorization code flow with PKCE (RFC 7636) and a loopback redirect (RFC 8252): a one-shot
 * receiver on 127.0.0.1, the provider's authorization URL handed to the user (`prompt`), then the
 * code it sends back exchanged for tokens (state and PKCE checked by openid-client).
 */
export async function pkceLogin(
  settings: { issuer: string; clientId: string; scopes: string },
  prompt: (authorizationUrl: string) => void,
  timeoutMs = LOOPBACK_TIMEOUT_MS,
): Promise<SsoSession> {
  const config = await discover(settings.issuer, settings.clientId);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const callback = await listenForCallback();
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback.redirectUri,
      scope: settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      // OpenID Connect Core 11: a refresh token (offline_access) is granted only with consent asked for.
      ...(settings.scopes.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
    });
    prompt(url.href);
    const returned = await callback.received(timeoutMs);
    tokens = await oidc.authorizationCodeGrant(config, returned, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
  } catch (error) {
    throw ssoError(`sign-in failed: ${oauthReason(error)}`);
  } finally {
    await callback.close();
  }
  return sessionFrom(
    { issuer: settings.issuer, clientId: settings.clientId },
    { idToken: tokens.id_token, refreshToken: tokens.refresh_token, expiresAt: expiryOf(tokens) },
  );
}

/** An error's message, with the provider's OAuth error code and description when it sent them. */
function oauthReason(error: unknown): string {
  const {
    message,
    error: code,
    error_description: description,
  } = error as Error & {
    error?: unknown;
    error_description?: unknown;
  };
  if (typeof code !== 'string') return message;
  return `${message} (${code}${typeof description === 'string' ? `: ${description}` : ''})`;
}

/** New tokens for the session with its refresh token; an error saying to log in again when it cannot. */
export async function refreshSession(session: SsoSession): Promise<SsoSession> {
  if (!session.refreshToken) {
    throw ssoError('the single sign-on session has expired and has no refresh token: run fleetctl login');
  }
  const config = await discover(session.issuer, session.clientId);
  try {
    const tokens = await oidc.refreshTokenGrant(config, session.refreshToken);
    return sessionFrom(session, {
      idToken: tokens.id_token,
      refreshToken: tokens.refresh_token,
      expiresAt: expiryOf(tokens),
    });
  } catch (error) {
    throw ssoError(
      `the single sign-on session could not be refreshed (${(error as Error).message}): run fleetctl login`,
    );
  }
}

/** Revokes the refresh token at the provider when it can; false when it could not (logout goes on). */
export async function revokeSession(session: SsoSession): Promise<boolean> {
  if (!session.refreshToken) return true;
  try {
    const config = await discover(session.issuer, session.clientId);
    await oidc.tokenRevocation(config, session.refreshToken, { token_type_hint: 'refresh_token' });
    return true;
  } catch {
    return false;
  }
}
