import { type FormEvent, useEffect, useState } from 'react';
import { fetchSsoConfig, type SsoConfig, startSignIn } from '../auth/sso';

export function LoginPage(props: {
  message: string | undefined;
  busy: boolean;
  initialToken?: string;
  onSubmit: (token: string) => void;
}) {
  const [token, setToken] = useState(props.initialToken ?? '');
  const [sso, setSso] = useState<SsoConfig>({ sso: false });
  const [ssoError, setSsoError] = useState<string | undefined>();
  useEffect(() => {
    void fetchSsoConfig().then(setSso, () => setSso({ sso: false }));
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() !== '') props.onSubmit(token.trim());
  };
  return (
    <div className="login">
      <form className="card login-card" onSubmit={submit} data-testid="login-form">
        <h1 className="login-title">
          <img src="/favicon.svg" alt="" width={28} height={28} /> Fleetwave
        </h1>
        {sso.sso && (
          <>
            <button
              type="button"
              className="button primary"
              data-testid="login-sso"
              onClick={() => startSignIn(sso).catch((error: Error) => setSsoError(error.message))}
            >
              Sign in with SSO
            </button>
            {ssoError && (
              <div className="banner banner-error" role="alert" data-testid="login-sso-error">
                Could not reach the sign-in provider: {ssoError}
              </div>
            )}
          </>
        )}
        <p className="muted">
          {sso.sso ? 'Or log in' : 'Log in'} with an API token (<code>fwa_…</code>) or the hub&apos;s
          bootstrap admin token.
        </p>
        <label className="field">
          <span>Token</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => setToken(event.target.value)}
            placeholder="fwa_…"
            data-testid="login-token"
            autoFocus
          />
        </label>
        {props.message && (
          <div className="banner banner-error" role="alert" data-testid="login-error">
            {props.message}
          </div>
        )}
        <button
          type="submit"
          className="button primary"
          disabled={props.busy || token.trim() === ''}
          data-testid="login-submit"
        >
          {props.busy ? 'Checking…' : 'Log in'}
        </button>
        <p className="muted small">The token stays in this browser (local storage) until you log out.</p>
      </form>
    </div>
  );
}
