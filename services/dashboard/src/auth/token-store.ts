import { type SsoSession } from './sso';

/**
 * A pasted token is kept in localStorage under this key, so a reload stays logged in; an SSO sign-in
 * only in this tab's sessionStorage (it expires within the hour anyway).
 */
const STORAGE_KEY = 'fleetwave.token';
/** An SSO sign-in's refresh token and timing, beside its ID token (this tab only). */
const SSO_SESSION_KEY = 'fleetwave.sso.session';

function storage(sso: boolean): Storage {
  return sso ? window.sessionStorage : window.localStorage;
}

export function readStoredToken(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the session lasts as long as the page
  }
}

export function storeToken(token: string, sso = false): void {
  try {
    storage(sso).setItem(STORAGE_KEY, token);
  } catch {
    // storage disabled: nothing to keep it in
  }
}

/** The SSO session kept in this tab, when it is the one for `idToken` (what the caller signs in with). */
export function readSsoSession(idToken: string): SsoSession | undefined {
  try {
    const text = window.sessionStorage.getItem(SSO_SESSION_KEY);
    const session = text ? (JSON.parse(text) as SsoSession) : undefined;
    return session?.idToken === idToken ? session : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps an SSO session (its ID token as the tab's token) for a reload of this tab. */
export function storeSsoSession(session: SsoSession): void {
  storeToken(session.idToken, true);
  try {
    window.sessionStorage.setItem(SSO_SESSION_KEY, JSON.stringify(session));
  } catch {
    // storage disabled: nothing to keep it in
  }
}

export function clearStoredToken(): void {
  try {
    window.localStorage.removeItem(STORAGE_KEY);
    window.sessionStorage.removeItem(STORAGE_KEY);
    window.sessionStorage.removeItem(SSO_SESSION_KEY);
  } catch {
    // storage disabled: nothing was kept
  }
}

/**
 * A link like `https://hub/#token=…` (the demo prints one) logs in directly. The token is taken out
 * of the URL at once, so it stays in neither the address bar nor the history.
 */
export function takeTokenFromFragment(): string | null {
  const { hash, pathname, search } = window.location;
  if (!hash.startsWith('#')) return null;
  const params = new URLSearchParams(hash.slice(1));
  const token = params.get('token');
  if (token === null) return null;
  params.delete('token');
  const rest = params.toString();
  window.history.replaceState(window.history.state, '', `${pathname}${search}${rest ? `#${rest}` : ''}`);
  return token.trim() === '' ? null : token.trim();
}
