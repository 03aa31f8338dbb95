/**
 * Single sign-on against a real OpenID Provider (the certified npm `oidc-provider`, its own
 * process): ID tokens it issues through its login pages are accepted, their groups mapped to
 * fleet-wide roles or project roles; `viewer` says who the caller is; a members-only user sees and
 * rolls out only its projects' applications, and lists only their rollouts and events; each bad
 * token is refused with its reason.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { run } from '../../services/cli/src/cli.js';
import { listenForCallback } from '../../services/cli/src/sso/loopback.js';
import { OidcVerifier } from '../../services/hub/src/auth/oidc-verifier.js';
import { createRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { freePort } from '../harness/net.js';
import {
  signTestJwt,
  startOidcProvider,
  teamProjectAndApp,
  type TestOidcProvider,
  testOidcConfig,
} from '../harness/oidc-provider.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, TestClock, type TestHub, testHubConfig } from './support/hub.js';

const REDIRECT = 'http://127.0.0.1:9/signed-in';
const VIEWER = `query { viewer { name roles groups boundProject projects { name role } } }`;
const APPS = `query { applications { edges { node { name project } } } }`;
const START = `mutation Start($app: String!) { startRollout(application: $app) { id application { name } } }`;

describe('single sign-on', () => {
  let provider: TestOidcProvider;
  let hub: TestHub;
  let git: TempGitServer;
  const clock = new TestClock();
  let alice: string;
  let root: string;

  beforeAll(async () => {
    provider = await startOidcProvider({
      users: {
        alice: { name: 'Alice', groups: ['team-a'] },
        bob: { name: 'Bob', groups: ['team-b'] },
        root: { name: 'Root', groups: ['fleet-admins'] },
      },
      dashboardRedirectUris: [REDIRECT],
    });
    git = await startTempGitServer('fleetwave-sso-');
    const repo = await createRepo(git.root, 'objects');
    await repo.commit(
      { 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {}\n' },
      'first',
    );
    hub = await startTestHub(
      await testHubConfig({
        oidc: testOidcConfig(provider.issuer),
      }),
      { clock },
    );
    await registerCluster(hub, 'edge-1', { team: 'a' });
    await registerCluster(hub, 'edge-2', { team: 'b' });
    for (const team of ['a', 'b']) {
      await gqlOk(hub, `mutation P($input: CreateProjectInput!) { createProject(input: $input) { name } }`, {
        input: teamProjectAndApp(team, git.url('objects')).project,
      });
      await gqlOk(
        hub,
        `mutation C($input: CreateApplicationInput!) { createApplication(input: $input) { name } }`,
        {
          input: teamProjectAndApp(team, git.url('objects')).application,
        },
      );
    }
    alice = (await provider.signIn('alice', REDIRECT)).id_token;
    root = (await provider.signIn('root', REDIRECT)).id_token;
  });

  afterAll(async () => {
    await hub?.close();
    await git?.stop();
    await provider?.stop();
  });

  it('publishes the provider and clients to sign in with', async () => {
    expect(await hub.request('GET', '/auth/config')).toEqual({
      status: 200,
      body: {
        sso: true,
        issuer: provider.issuer,
        dashboardClientId: 'fleetwave-dashboard',
        cliClientId: 'fleetctl',
        scopes: 'openid profile groups offline_access',
      },
    });
  });

  it('maps a fleet-admin group to the fleet-wide admin role', async () => {
    const { viewer } = await gqlOk(hub, VIEWER, {}, root);
    expect(viewer).toEqual({
      name: 'user:root',
      roles: ['viewer', 'operator', 'admin'],
      groups: ['fleet-admins'],
      boundProject: null,
      projects: [
        { name: 'default', role: 'admin' },
        { name: 'team-a', role: 'admin' },
        { name: 'team-b', role: 'admin' },
      ],
    });
  });

  it('gives a user in no role group only the projects its groups are members of', async () => {
    const { viewer } = await gqlOk(hub, VIEWER, {}, alice);
    expect(viewer).toEqual({
      name: 'user:alice',
      roles: [],
      groups: ['team-a'],
      boundProject: null,
      projects: [{ name: 'team-a', role: 'operator' }],
    });
    const { applications } = await gqlOk<{ applications: { edges: unknown[] } }>(hub, APPS, {}, alice);
    expect(applications.edges).toEqual([{ node: { name: 'app-a', project: 'team-a' } }]);
    expect(await gqlOk(hub, `query { application(name: "app-b") { name } }`, {}, alice)).toEqual({
      application: null,
    });
  });

  it("starts a rollout in its own project, and finds no other project's application", async () => {
    await gqlOk(hub, `mutation { syncApplication(name: "app-a") { commit error } }`, {}, alice);
    const { startRollout } = await gqlOk<{ startRollout: { application: { name: string } } }>(
      hub,
      START,
      { app: 'app-a' },
      alice,
    );
    expect(startRollout.application.name).toBe('app-a');
    expect(codes(await gql(hub, START, { app: 'app-b' }, alice))).toEqual(['NOT_FOUND']);
  });

  it("lists only its projects' rollouts and events; another project's rollout is null to it", async () => {
    await gqlOk(hub, `mutation { syncApplication(name: "app-b") { commit error } }`, {}, root);
    const other = await gqlOk<{ startRollout: { id: string } }>(hub, START, { app: 'app-b' }, root);
    const ROLLOUTS = `query { rollouts(first: 50) { edges { node { id application { name project } } } } }`;
    type Rollouts = { rollouts: { edges: { node: { id: string; application: { project: string } } }[] } };
    const projectsOf = (r: Rollouts) => [...new Set(r.rollouts.edges.map((e) => e.node.application.project))];
    // The fleet admin sees both projects' rollouts: the filter below has something to leave out.
    expect(projectsOf(await gqlOk<Rollouts>(hub, ROLLOUTS, {}, root)).sort()).toEqual(['team-a', 'team-b']);
    expect(projectsOf(await gqlOk<Rollouts>(hub, ROLLOUTS, {}, alice))).toEqual(['team-a']);
    const ROLLOUT = `query R($id: ID!) { rollout(id: $id) { id } }`;
    expect(await gqlOk(hub, ROLLOUT, { id: other.startRollout.id }, alice)).toEqual({ rollout: null });
    expect(await gqlOk(hub, ROLLOUT, { id: other.startRollout.id }, root)).toEqual({
      rollout: { id: other.startRollout.id },
    });

    const EVENTS = `query { events(first: 200) { edges { node { action project } } } }`;
    type Events = { events: { edges: { node: { action: string; project: string | null } }[] } };
    const rootEvents = (await gqlOk<Events>(hub, EVENTS, {}, root)).events.edges.map((e) => e.node);
    expect(rootEvents.some((e) => e.project === 'team-b')).toBe(true);
    expect(rootEvents.some((e) => e.project === null)).toBe(true);
    const aliceEvents = (await gqlOk<Events>(hub, EVENTS, {}, alice)).events.edges.map((e) => e.node);
    expect(aliceEvents.length).toBeGreaterThan(0);
    expect([...new Set(aliceEvents.map((e) => e.project))]).toEqual(['team-a']);
  });

  describe('fleetctl login', () => {
    let dir: string;
    let configFile: string;
    const fleetctl = (argv: string[], onStderr: (text: string) => void = () => undefined) => {
      let stdout = '';
      let stderr = '';
      return run(argv, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: {
          write: (s: string) => {
            stderr += s;
            onStderr(stderr);
          },
        },
        env: { FLEETCTL_CONFIG: configFile, HOME: dir },
      }).then((code) => ({ code, stdout, stderr }));
    };
    const session = async () =>
      (parse(await readFile(configFile, 'utf8')) as { contexts: { sso?: Record<string, string> }[] })
        .contexts[0]!.sso;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'fleetwave-sso-cli-'));
      configFile = join(dir, 'config.yaml');
      expect((await fleetctl(['--hub', hub.url, 'config', 'set-context', 'sso'])).code).toBe(0);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('signs in with the device flow, lists rollouts, refreshes an expired token and logs out', async () => {
      let approval: Promise<void> | undefined;
      const login = await fleetctl(['login'], (text) => {
        const url = /open (\S+)/.exec(text)?.[1];
        if (url && !approval) approval = provider.approveDevice(url, 'root');
      });
      await approval;
      expect(login).toMatchObject({ code: 0, stdout: `signed in to context "sso" via ${provider.issuer}\n` });
      expect(login.stderr).toMatch(/enter the code [A-Z]{4}-[A-Z]{4}/);
      expect((await stat(configFile)).mode & 0o777).toBe(0o600);
      const first = (await session())!;
      expect(first).toMatchObject({ issuer: provider.issuer, clientId: 'fleetctl' });
      expect(first['refreshToken']).toEqual(expect.any(String));

      const listed = await fleetctl(['rollouts', 'list', '-o', 'json']);
      expect(listed).toMatchObject({ code: 0 });
      expect(listed.stdout).toContain('app-a');

      // The ID token expired (as the file says): the next command refreshes it first.
      const config = parse(await readFile(configFile, 'utf8')) as {
        contexts: { sso: { expiresAt: string } }[];
      };
      config.contexts[0]!.sso.expiresAt = new Date(Date.now() - 1000).toISOString();
      await writeFile(configFile, stringify(config), { mode: 0o600 });
      expect((await fleetctl(['rollouts', 'list'])).code).toBe(0);
      const refreshed = (await session())!;
      // The provider rotates a public client's refresh token on every use: a new one proves the refresh.
      expect(refreshed['refreshToken']).not.toBe(first['refreshToken']);
      expect(Date.parse(refreshed['expiresAt']!)).toBeGreaterThan(Date.now());

      expect(await fleetctl(['logout'])).toMatchObject({ code: 0, stdout: 'signed out of context "sso"\n' });
      expect(await session()).toBeUndefined();
      const after = await fleetctl(['rollouts', 'list']);
      expect(after.code).toBe(1);
      expect(after.stderr).toContain('UNAUTHENTICATED');
    });

    it('signs in with --pkce through a loopback redirect, then lists rollouts', async () => {
      let approval: Promise<{ status: number; page: string }> | undefined;
      const login = await fleetctl(['login', '--pkce'], (text) => {
        const url = /open (\S+)/.exec(text)?.[1];
        if (url && !approval) approval = provider.approveLoopback(url, 'alice');
      });
      expect(await approval).toEqual({ status: 200, page: expect.stringContaining('Signed in') });
      expect(login).toMatchObject({ code: 0, stdout: `signed in to context "sso" via ${provider.issuer}\n` });
      const authorize = new URL(/open (\S+)/.exec(login.stderr)![1]!);
      expect(authorize.origin).toBe(provider.issuer);
      expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
        client_id: 'fleetctl',
        response_type: 'code',
        code_challenge_method: 'S256',
        redirect_uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback$/),
      });
      expect((await session())!).toMatchObject({
        issuer: provider.issuer,
        clientId: 'fleetctl',
        refreshToken: expect.any(String),
      });
      const listed = await fleetctl(['rollouts', 'list', '-o', 'json']);
      expect(listed).toMatchObject({ code: 0 });
      // alice, a members-only user: her project's rollouts, not the other's.
      expect(listed.stdout).toContain('app-a');
      expect(listed.stdout).not.toContain('app-b');
    });

    it('--pkce says why when the provider sends back an error', async () => {
      let refused: Promise<Response> | undefined;
      const login = await fleetctl(['login', '--pkce'], (text) => {
        const url = /open (\S+)/.exec(text)?.[1];
        if (!url || refused) return;
        const params = new URL(url).searchParams;
        const back = new URL(params.get('redirect_uri')!);
        back.search = new URLSearchParams({
          error: 'access_denied',
          error_description: 'the user said no',
          state: params.get('state')!,
          iss: provider.issuer,
        }).toString();
        refused = fetch(back);
      });
      expect((await refused)!.status).toBe(400);
      expect(login.code).toBe(1);
      expect(login.stderr).toMatch(/sign-in failed: .*the user said no.*\(SSO_FAILED\)/);
    });

    it('says so when the refresh token no longer works', async () => {
      const config = parse(await readFile(configFile, 'utf8')) as { contexts: Record<string, unknown>[] };
      config.contexts[0]!['sso'] = {
        issuer: provider.issuer,
        clientId: 'fleetctl',
        idToken: alice,
        refreshToken: 'revoked-or-unknown',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      };
      await writeFile(configFile, stringify(config), { mode: 0o600 });
      const result = await fleetctl(['rollouts', 'list']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /the single sign-on session could not be refreshed \(.*\): run fleetctl login \(SSO_FAILED\)/,
      );
      expect(result.stderr).not.toContain('revoked-or-unknown');
    });
  });

  describe("fleetctl's loopback receiver", () => {
    it('answers only GET /callback, on 127.0.0.1, and gives up when the browser never comes back', async () => {
      const callback = await listenForCallback();
      try {
        expect(callback.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
        const origin = new URL(callback.redirectUri).origin;
        expect((await fetch(`${origin}/elsewhere?code=x`)).status).toBe(404);
        expect((await fetch(callback.redirectUri, { method: 'POST' })).status).toBe(404);
        await expect(callback.received(50)).rejects.toThrow('no answer from the browser within 0 s');
        const back = await fetch(`${callback.redirectUri}?code=c&state=s`);
        expect(back.status).toBe(200);
        expect((await callback.received(1000)).searchParams.get('code')).toBe('c');
      } finally {
        await callback.close();
      }
    });
  });

  describe('refuses', () => {
    const refusal = async (token: string) => {
      const response = await gql(hub, VIEWER, {}, token);
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
      return response.errors![0]!.message;
    };
    const claims = (over: Record<string, unknown> = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: provider.issuer,
        aud: 'fleetctl',
        sub: 'eve',
        preferred_username: 'eve',
        iat: now,
        exp: now + 600,
        ...over,
      };
    };

    it('a token of another issuer', async () => {
      const token = signTestJwt(provider.signingKey, claims({ iss: 'http://127.0.0.1:1' }));
      expect(await refusal(token)).toBe(`the SSO token was not issued by ${provider.issuer}`);
    });

    it('a token for another client', async () => {
      const token = signTestJwt(provider.signingKey, claims({ aud: 'someone-else' }));
      expect(await refusal(token)).toBe(
        'the SSO token is not for this hub (audience must be one of fleetwave-dashboard, fleetctl)',
      );
    });

    it('an expired token, by the hub clock', async () => {
      clock.set(new Date(Date.now() + 2 * 3600_000));
      try {
        expect(await refusal(alice)).toBe('the SSO token has expired');
      } finally {
        clock.set(new Date());
      }
      expect((await gqlOk(hub, VIEWER, {}, alice)).viewer).toMatchObject({ name: 'user:alice' });
    });

    it('a token whose signature does not verify', async () => {
      const forged = {
        ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
      };
      const token = signTestJwt({ ...forged, kid: provider.signingKey.kid }, claims());
      expect(await refusal(token)).toBe("the SSO token's signature does not verify");
    });

    it('a token signed with a key the provider does not publish', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
      expect(await refusal(signTestJwt({ ...other, kid: 'elsewhere' }, claims()))).toBe(
        'the SSO token is signed with a key the provider does not publish',
      );
    });

    it('a token signed with a symmetric algorithm', async () => {
      const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}`;
      expect(await refusal(`${input}.c2lnbmF0dXJl`)).toBe(
        "the SSO token's signature algorithm is not accepted",
      );
    });

    it('a malformed token', async () => {
      expect(await refusal('not.a.jwt')).toBe('the SSO token is malformed');
    });

    it('any token while the provider cannot be reached', async () => {
      const port = await freePort();
      const verifier = new OidcVerifier(
        { issuer: `http://127.0.0.1:${port}`, audience: ['fleetctl'] },
        () => new Date(),
      );
      const outcome = await verifier.verify(alice);
      expect(outcome.claims).toBeUndefined();
      expect('problem' in outcome && outcome.problem).toMatch(
        new RegExp(
          `^the SSO provider cannot be reached: GET http://127\\.0\\.0\\.1:${port}/\\.well-known/openid-configuration: .*ECONNREFUSED`,
        ),
      );
      expect(JSON.stringify(outcome)).not.toContain(alice);
    });
  });
});
