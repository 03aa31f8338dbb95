import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type JsonWebKey,
  randomBytes,
  sign,
} from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './net.js';
import { harnessFile } from './paths.js';
import { type ManagedProcess, startManagedProcess } from './process.js';
import { StopWaiting, waitFor } from './wait-for.js';

/** A user of the test provider: any password signs them in (the provider's development pages). */
export interface OidcTestUser {
  name: string;
  groups: string[];
}

export interface OidcProviderOptions {
  users: Record<string, OidcTestUser>;
  /** Where the dashboard client may be sent back to (the hub's dashboard URL). */
  dashboardRedirectUris?: string[];
  idTokenTtlSeconds?: number;
}

/** The tokens a token endpoint answers. */
export interface OidcTokens {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

export interface TestOidcProvider {
  /** The issuer, `http://127.0.0.1:PORT` (what HUB_OIDC_ISSUER takes). */
  readonly issuer: string;
  /** The provider's signing key (private JWK), for tests that forge tokens it would sign. */
  readonly signingKey: JsonWebKey & { kid: string };
  /**
   * Signs `login` in to the dashboard client (authorization code + PKCE, plain HTTP); `offline`
   * asks for offline_access (and so consent), for a refresh token too.
   */
  signIn(login: string, redirectUri: string, options?: { offline?: boolean }): Promise<OidcTokens>;
  /** The refresh_token grant for a public client (the dashboard's by default): fresh tokens. */
  refresh(refreshToken: string, clientId?: string): Promise<OidcTokens>;
  /** The user's side of the device flow: opens the verification page, confirms, signs in, consents. */
  approveDevice(verificationUriComplete: string, login: string): Promise<void>;
  /**
   * The browser's side of a loopback sign-in (`fleetctl login --pkce`): from the authorization URL
   * through the login and consent pages, then the redirect delivered to the loopback receiver.
   */
  approveLoopback(authorizationUrl: string, login: string): Promise<{ status: number; page: string }>;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/**
 * The certified `oidc-provider` (npm) as its own Node process on 127.0.0.1 and a free port
 * (test/harness/oidc-provider/provider.mjs): clients `fleetwave-dashboard` (public, code + PKCE)
 * and `fleetctl` (public and native: device flow, or code + PKCE to a loopback redirect), users with a `groups` claim. Resolves once discovery answers.
 */
export async function startOidcProvider(options: OidcProviderOptions): Promise<TestOidcProvider> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetwave-oidc-'));
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-1', alg: 'RS256', use: 'sig' };
  const keysFile = path.join(dir, 'jwks.json');
  await writeFile(keysFile, JSON.stringify({ keys: [signingKey] }), { mode: 0o600 });
  const settings = { port, keysFile, ...options };
  const server: ManagedProcess = startManagedProcess(
    process.execPath,
    [harnessFile('oidc-provider', 'provider.mjs'), JSON.stringify(settings)],
    { logFile: path.join(dir, 'provider.log'), cwd: dir },
  );
  let exited = false;
  void server.exited().then(() => (exited = true));
  const stop = async () => {
    await server.stop('SIGTERM', 10_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (exited) throw new StopWaiting(`the OIDC provider exited:\n${server.logTail()}`);
        const response = await fetch(`${issuer}/.well-known/openid-configuration`);
        await response.arrayBuffer();
        return response.ok;
      },
      { description: `the OIDC provider at ${issuer}`, timeoutMs: 30_000, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    issuer,
    signingKey: signingKey as JsonWebKey & { kid: string },
    signIn: (login, redirectUri, signInOptions) =>
      signInWithCode(issuer, login, redirectUri, signInOptions?.offline === true),
    refresh: (refreshToken, clientId = 'fleetwave-dashboard') =>
      tokenRequest(issuer, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }),
    approveDevice: (uri, login) => new Browser().approveDevice(uri, login),
    approveLoopback: async (authorizationUrl, login) => {
      const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri');
      if (!redirectUri) throw new Error(`no redirect_uri in ${authorizationUrl}`);
      const landed = await new Browser().signInFrom(authorizationUrl, login, redirectUri);
      const response = await fetch(landed);
      return { status: response.status, page: await response.text() };
    },
    logTail: (lines) => server.logTail(lines),
    stop,
  };
}

/** Authorization code + PKCE for the dashboard client, through the provider's own pages. */
async function signInWithCode(
  issuer: string,
  login: string,
  redirectUri: string,
  offline: boolean,
): Promise<OidcTokens> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const authorize = new URL(`${issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: 'fleetwave-dashboard',
    response_type: 'code',
    scope: offline ? 'openid profile groups offline_access' : 'openid profile groups',
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    // The provider grants offline_access only when consent is asked for.
    ...(offline ? { prompt: 'consent' } : {}),
  }).toString();
  const landed = await new Browser().signInFrom(authorize.toString(), login, redirectUri);
  const code = new URL(landed).searchParams.get('code');
  if (!code) throw new Error(`the provider sent no code back: ${landed}`);
  return tokenRequest(issuer, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: 'fleetwave-dashboard',
    code_verifier: verifier,
  });
}

/** POST the provider's token endpoint (a public client: no client authentication). */
async function tokenRequest(issuer: string, form: Record<string, string>): Promise<OidcTokens> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as OidcTokens & { error?: string; error_description?: string };
  if (!response.ok) throw new Error(`token endpoint: ${body.error}: ${body.error_description}`);
  return body;
}

/** An RS256 JWT signed with `key` (a private JWK), as a forger or a misconfigured provider would. */
export function signTestJwt(
  key: JsonWebKey & { kid: string },
  claims: Record<string, unknown>,
  alg = 'RS256',
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg, typ: 'JWT', kid: key.kid })}.${part(claims)}`;
  const signature = sign('sha256', Buffer.from(input), createPrivateKey({ key, format: 'jwk' }));
  return `${input}.${signature.toString('base64url')}`;
}

/** Just enough of a browser for the provider's pages: cookies, redirects, its forms (no script). */
class Browser {
  private readonly cookies = new Map<string, string>();

  /** Follows the flow from `start`, signing in and consenting, until it leaves for `until`. */
  async signInFrom(start: string, login: string, until: string): Promise<string> {
    let page = await this.go(start, until);
    for (let step = 0; step < 10 && page.url !== undefined; step++) {
      if (page.url.startsWith(until)) return page.url;
      const html = page.html;
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no form on ${page.url}:\n${html.slice(0, 500)}`);
      const fields = new URLSearchParams();
      for (const [, name, value] of html.matchAll(
        /<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g,
      )) {
        fields.set(name!, value!);
      }
      if (html.includes('name="login"')) {
        fields.set('login', login);
        fields.set('password', 'any');
      }
      page = await this.go(new URL(action, page.url).toString(), until, fields);
    }
    if (page.url === undefined) return '';
    throw new Error(`signing in did not finish at ${page.url}`);
  }

  async approveDevice(verificationUriComplete: string, login: string): Promise<void> {
    const done = await this.signInFrom(verificationUriComplete, login, 'about:never');
    void done;
  }

  /** GET (or POST `form`) and follow redirects, stopping before leaving for `until`. */
  private async go(
    url: string,
    until: string,
    form?: URLSearchParams,
  ): Promise<{ url: string | undefined; html: string }> {
    let current = url;
    let body: URLSearchParams | undefined = form;
    for (let hop = 0; hop < 20; hop++) {
      if (current.startsWith(until)) return { url: current, html: '' };
      const response = await fetch(current, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body,
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const eq = pair!.indexOf('=');
        this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).toString();
        body = undefined;
        continue;
      }
      const html = await response.text();
      if (!response.ok) throw new Error(`${response.status} at ${current}: ${html.slice(0, 500)}`);
      // The device flow ends on a success page with no form.
      if (!html.includes('<form')) return { url: undefined, html };
      return { url: current, html };
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

/**
 * The hub's single sign-on settings for a test provider: both clients accepted, usernames from
 * `preferred_username`, `fleet-admins` holding the fleet-wide admin role, no other role group.
 */
export function testOidcConfig(issuer: string, scopes = 'openid profile groups offline_access') {
  return {
    issuer,
    audience: ['fleetwave-dashboard', 'fleetctl'],
    dashboardClientId: 'fleetwave-dashboard',
    cliClientId: 'fleetctl',
    scopes,
    usernameClaim: 'preferred_username',
    groupsClaim: 'groups',
    adminGroups: ['fleet-admins'],
    operatorGroups: [],
    viewerGroups: [],
  };
}

/** testOidcConfig as the HUB_OIDC_* settings of a hub run as its own process. */
export function testOidcEnv(issuer: string): Record<string, string> {
  const config = testOidcConfig(issuer);
  return {
    HUB_OIDC_ISSUER: config.issuer,
    HUB_OIDC_AUDIENCE: config.audience.join(','),
    HUB_OIDC_DASHBOARD_CLIENT_ID: config.dashboardClientId,
    HUB_OIDC_CLI_CLIENT_ID: config.cliClientId,
    HUB_OIDC_SCOPES: config.scopes,
    HUB_OIDC_USERNAME_CLAIM: config.usernameClaim,
    HUB_OIDC_GROUPS_CLAIM: config.groupsClaim,
    HUB_OIDC_ADMIN_GROUPS: config.adminGroups.join(','),
  };
}

/**
 * Inputs for a team's project (group `team-<team>` its operators, clusters `team=<team>`, namespace
 * `<team>`) and an application in it from `repoUrl`'s `app/` folder.
 */
export function teamProjectAndApp(team: string, repoUrl: string) {
  return {
    project: {
      name: `team-${team}`,
      sourceRepos: ['*'],
      clusterSelector: `team=${team}`,
      namespaces: [team],
      members: [{ subject: `group:team-${team}`, role: 'operator' }],
    },
    application: {
      name: `app-${team}`,
      project: `team-${team}`,
      repoUrl,
      ref: 'main',
      path: 'app',
      targetSelector: `team=${team}`,
      defaultNamespace: team,
      syncPolicy: 'manual',
      pollIntervalSeconds: 3600,
    },
  };
}
