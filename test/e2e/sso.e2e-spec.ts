/**
 * Single sign-on end to end: Debian's chromium signs in to the dashboard through the login page of
 * a real OpenID Provider (the certified npm `oidc-provider`, its own process), as a user whose
 * group is a member of one project only. It sees that project's application and not the other
 * project's, and starts a rollout of its own application. The provider issues 20-second tokens here:
 * the dashboard renews its token with the refresh token before it expires, and keeps working after
 * the first token is refused; with a refresh token the provider does not honour it returns to the
 * sign-in screen and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Browser, chromium } from 'playwright-core';
import { createHubApp } from '../../services/hub/src/app.factory.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { createRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { graphqlClient, postGraphql } from '../harness/graphql-client.js';
import { hubConfigFor } from '../harness/hub-config.js';
import { type KafkaServer, startKafka } from '../harness/kafka.js';
import { freePort } from '../harness/net.js';
import {
  startOidcProvider,
  teamProjectAndApp,
  type TestOidcProvider,
  testOidcConfig,
} from '../harness/oidc-provider.js';
import { repoRoot } from '../harness/paths.js';
import { createDatabase, type PostgresServer, startPostgres } from '../harness/postgres.js';
import { registerAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';

const CHROMIUM = process.env['FLEETWAVE_CHROMIUM'] ?? '/usr/bin/chromium';
const DASHBOARD_DIST = path.join(repoRoot, 'services', 'dashboard', 'dist');
const ADMIN_TOKEN = 'e2e-sso-bootstrap-admin-token-0123456789abcdef';
const UI_TIMEOUT_MS = 30_000;
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n';
const TOKEN_TTL_SECONDS = 20;

describe('single sign-on in a browser', () => {
  let provider: TestOidcProvider | undefined;
  let postgres: PostgresServer | undefined;
  let kafka: KafkaServer | undefined;
  let git: TempGitServer | undefined;
  let hub: NestFastifyApplication | undefined;
  let browser: Browser | undefined;
  let hubUrl: string;
  const gql = graphqlClient(() => hubUrl, ADMIN_TOKEN);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
    if (!existsSync(path.join(DASHBOARD_DIST, 'index.html')))
      throw new Error('build the dashboard first (npm run build)');
    // The provider must know the dashboard's address before the hub (which must know the provider) starts.
    const port = await freePort();
    hubUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      users: { alice: { name: 'Alice', groups: ['team-a'] } },
      dashboardRedirectUris: [`${hubUrl}/`],
      idTokenTtlSeconds: TOKEN_TTL_SECONDS,
    });
    postgres = await startPostgres();
    kafka = await startKafka({ log: () => undefined });
    git = await startTempGitServer('fw-sso-e2e-');
    const repo = await createRepo(git.root, 'objects');
    await repo.commit({ 'app/cm.yaml': CONFIG_MAP }, 'settings');

    hub = await createHubApp(
      hubConfigFor(
        {
          databaseUrl: await createDatabase(postgres.adminUrl, 'fleetwave_sso'),
          brokers: kafka.brokers,
          gitDir: path.join(git.root, '..', `${path.basename(git.root)}-mirrors`),
        },
        {
          auth: { bootstrapAdminToken: ADMIN_TOKEN },
          git: { syncTickSeconds: 3600 },
          rollouts: { passIntervalSeconds: 1 },
          dashboard: { dir: DASHBOARD_DIST },
          // offline_access: a refresh token, which the dashboard renews its ID token with.
          oidc: testOidcConfig(provider.issuer),
        },
      ),
    );
    await hub.listen({ host: '127.0.0.1', port });

    const { secret } = await hub
      .get(RegistrationService)
      .createToken({ name: 'e2e-admin', role: 'admin' }, { maxUses: 1 });
    await registerAgent(hubUrl, {
      token: secret,
      clusterName: 'edge-a',
      kubeSystemUid: 'uid-edge-a',
      labels: { team: 'a' },
      facts: {},
      agentVersion: 'sim-0.1.0',
    });
    for (const team of ['a', 'b']) {
      await gql(`mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }`, {
        input: teamProjectAndApp(team, git.url('objects')).project,
      });
      await gql(`mutation($input: CreateApplicationInput!) { createApplication(input: $input) { name } }`, {
        input: teamProjectAndApp(team, git.url('objects')).application,
      });
      await gql(`mutation($name: String!) { syncApplication(name: $name) { commit } }`, {
        name: `app-${team}`,
      });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await git?.stop();
    await kafka?.stop();
    await postgres?.stop();
    await provider?.stop();
  });

  it("signs in through the provider, starts a rollout in its project and cannot see another project's application", async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('dialog', (dialog) => void dialog.accept());

    await page.goto(hubUrl);
    await page.getByTestId('login-sso').click();
    // The provider's own pages: sign-in, then consent.
    await page.waitForURL((url) => url.origin === provider!.issuer);
    await page.locator('input[name="login"]').fill('alice');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.origin === hubUrl);
    await expect(page.getByTestId('role').textContent()).resolves.toBe('operator');
    // The token is in this tab's session storage, never in the URL.
    expect(page.url()).not.toContain('code=');
    const stored = await page.evaluate("window.sessionStorage.getItem('fleetwave.token')");
    expect(stored).toMatch(/^ey/);

    // Before the first token expires, the dashboard renews it; once the hub refuses the first token,
    // the dashboard still works (the pages below) with the renewed one.
    // A function, not a string: the dashboard's CSP forbids eval. (No DOM types in the test build.)
    const renewedFrom = (first: string | null) =>
      (
        globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }
      ).sessionStorage.getItem('fleetwave.token') !== first;
    await page.waitForFunction(renewedFrom, stored as string | null, {
      timeout: (TOKEN_TTL_SECONDS + 10) * 1000,
    });
    await waitFor(
      async () => {
        const answer = await postGraphql(hubUrl, `{ viewer { name } }`, {}, stored as string);
        return answer.errors?.[0]?.message === 'the SSO token has expired' || undefined;
      },
      {
        description: 'the hub refusing the first token',
        timeoutMs: (TOKEN_TTL_SECONDS + 10) * 1000,
        intervalMs: 500,
      },
    );
    await expect(page.getByTestId('role').textContent()).resolves.toBe('operator');

    await page.goto(`${hubUrl}/applications`);
    await page.getByTestId('application-row-app-a').waitFor();
    await expect(page.getByTestId('application-row-app-b').count()).resolves.toBe(0);
    await page.goto(`${hubUrl}/applications/app-b`);
    await page.getByTestId('application-missing').waitFor();

    await page.goto(`${hubUrl}/applications/app-a`);
    await page.getByTestId('start-rollout').click();
    const rollouts = await waitFor(
      async () => {
        const { rollouts: page1 } = await gql<{
          rollouts: { edges: { node: { createdBy: string; application: { name: string } } }[] };
        }>(`{ rollouts(first: 10) { edges { node { createdBy application { name } } } } }`);
        return page1.edges.length > 0 ? page1.edges.map((e) => e.node) : undefined;
      },
      { description: 'the rollout alice started', timeoutMs: UI_TIMEOUT_MS, intervalMs: 200 },
    );
    expect(rollouts).toEqual([{ createdBy: 'user:alice', application: { name: 'app-a' } }]);

    // A refresh token the provider does not honour, due now: back to the sign-in screen, saying why.
    await page.evaluate(`(() => {
      const session = JSON.parse(sessionStorage.getItem('fleetwave.sso.session'));
      sessionStorage.setItem('fleetwave.sso.session', JSON.stringify({
        ...session, refreshToken: 'not-a-refresh-token', issuedAt: Date.now() - 60000, expiresAt: Date.now() + 1000,
      }));
    })()`);
    await page.reload();
    await expect(page.getByTestId('login-error').textContent()).resolves.toMatch(
      /^Your single sign-on session could not be renewed \(.+\)\. Sign in again\.$/,
    );
    await expect(page.getByTestId('login-sso').isVisible()).resolves.toBe(true);
    // The stored token is dropped by the sign-out that follows the message (a render later).
    await waitFor(
      async () => (await page.evaluate("window.sessionStorage.getItem('fleetwave.token')")) === null,
      {
        description: 'the refused session to leave no token behind',
        timeoutMs: UI_TIMEOUT_MS,
        intervalMs: 100,
      },
    );
    await context.close();
  });
});
