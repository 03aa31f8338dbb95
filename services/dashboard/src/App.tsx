import { useCallback, useEffect, useRef, useState } from 'react';
import { type Role } from './api/model';
import { SessionProvider } from './auth/session';
import { type SsoSession } from './auth/sso';
import { clearStoredToken, readSsoSession, storeSsoSession, storeToken } from './auth/token-store';
import { useSsoRenewal } from './auth/use-sso-renewal';
import { verifyToken } from './auth/verify-token';
import { Layout } from './components/Layout';
import { ApplicationPage } from './pages/ApplicationPage';
import { ApplicationsPage } from './pages/ApplicationsPage';
import { FleetPage } from './pages/FleetPage';
import { LoginPage } from './pages/LoginPage';
import { MatrixPage } from './pages/MatrixPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { RolloutPage } from './pages/rollout/RolloutPage';
import { RolloutsPage } from './pages/RolloutsPage';
import { matchRoute, type Route, usePathname } from './router/router';

type Auth =
  | { kind: 'checking' }
  | { kind: 'out'; message?: string; busy?: boolean; retryToken?: string }
  /**
   * `sso`: a single sign-on whose ID token `token` is renewed before it expires; `id` names the
   * signed-in session, the same across renewals (so pages stay as they are).
   */
  | { kind: 'in'; token: string; role: Role; sso?: SsoSession; id: number };

/** The token found at start (`#token=…` or local storage) is checked before anything is shown. */
export function App(props: { initialToken: string | null; ssoSignIn: Promise<SsoSession | null> }) {
  const [auth, setAuth] = useState<Auth>({ kind: 'checking' });
  const sessions = useRef(0);

  const login = useCallback(async (token: string, sso?: SsoSession) => {
    setAuth((current) => (current.kind === 'out' ? { ...current, busy: true } : { kind: 'checking' }));
    const result = await verifyToken(token);
    if (result.ok) {
      if (sso) storeSsoSession(sso);
      else storeToken(token);
      setAuth({ kind: 'in', token, role: result.role, sso, id: ++sessions.current });
      return;
    }
    // A refused token is forgotten; one that could not be checked (hub unreachable) is kept for a retry.
    if (result.refused) clearStoredToken();
    setAuth({ kind: 'out', message: result.message, retryToken: result.refused ? undefined : token });
  }, []);

  const logout = useCallback((message?: string) => {
    clearStoredToken();
    setAuth({ kind: 'out', message });
  }, []);

  const renewed = useCallback((sso: SsoSession) => {
    storeSsoSession(sso);
    setAuth((current) => (current.kind === 'in' ? { ...current, token: sso.idToken, sso } : current));
  }, []);
  useSsoRenewal(auth.kind === 'in' ? auth.sso : undefined, { onRenewed: renewed, onEnded: logout });

  useEffect(() => {
    // Back from the provider: its sign-in wins over a stored token.
    props.ssoSignIn.then(
      (sso) => {
        if (sso) void login(sso.idToken, sso);
        else if (props.initialToken) void login(props.initialToken, readSsoSession(props.initialToken));
        else setAuth({ kind: 'out' });
      },
      (error: unknown) =>
        setAuth({ kind: 'out', message: `Single sign-on failed: ${(error as Error).message}.` }),
    );
  }, [props.initialToken, props.ssoSignIn, login]);

  if (auth.kind === 'checking') return <p className="splash muted">Checking your token…</p>;
  if (auth.kind === 'out') {
    return (
      <LoginPage
        message={auth.message}
        busy={auth.busy === true}
        initialToken={auth.retryToken}
        onSubmit={(token) => void login(token)}
      />
    );
  }
  return (
    <SessionProvider key={auth.id} token={auth.token} role={auth.role} onLogout={logout}>
      <Pages />
    </SessionProvider>
  );
}

function Pages() {
  const route = matchRoute(usePathname());
  return <Layout route={route}>{page(route)}</Layout>;
}

function page(route: Route) {
  switch (route.page) {
    case 'fleet':
      return <FleetPage />;
    case 'applications':
      return <ApplicationsPage />;
    case 'application':
      return <ApplicationPage key={route.name} name={route.name} />;
    case 'rollouts':
      return <RolloutsPage />;
    case 'notifications':
      return <NotificationsPage />;
    case 'rollout':
      return <RolloutPage key={route.id} id={route.id} />;
    case 'matrix':
      return <MatrixPage />;
    case 'notFound':
      return <NotFoundPage />;
  }
}
