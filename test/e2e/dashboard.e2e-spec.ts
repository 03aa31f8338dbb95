/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core, against a real hub
 * (in this process) on real Postgres, Kafka and a git server, with simulated agents. The browser
 * logs in from a `#token=` link, filters the fleet on the server, starts a rollout from the
 * application page and follows it live (rolloutChanged) through a canary, an approval gate and on
 * to Succeeded; a viewer sees the same pages without operator buttons; the freeze banner and the
 * notifications page close it. The tests build on each other, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type RegisterResponse } from '@fleetwave/contracts';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Producer } from 'kafkajs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createHubApp } from '../../services/hub/src/app.factory.js';
import { ClusterChangesFeed } from '../../services/hub/src/clusters/graphql/cluster-changes.feed.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type GitServer, startGitServer } from '../harness/git-server.js';
import { freePort } from '../harness/net.js';
import { type KafkaServer, startKafka } from '../harness/kafka.js';
import { cacheDir, repoRoot } from '../harness/paths.js';
import { createDatabase, type PostgresServer, startPostgres } from '../harness/postgres.js';
import { graphqlClient } from '../harness/graphql-client.js';
import { hubConfigFor } from '../harness/hub-config.js';
import { registerAgent, SimAgent } from '../harness/sim-agent.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { waitFor } from '../harness/wait-for.js';

const run = promisify(execFile);

/** Debian's chromium package (scripts/test.sh installs it); FLEETWAVE_CHROMIUM points elsewhere. */
const CHROMIUM = process.env['FLEETWAVE_CHROMIUM'] ?? '/usr/bin/chromium';
const DASHBOARD_DIST = path.join(repoRoot, 'services', 'dashboard', 'dist');
const ADMIN_TOKEN = 'e2e-dashboard-bootstrap-admin-token-0123456789';
const ADMIN = { name: 'e2e-admin', role: 'admin' as const };
/** Browser expectations: the hub, Kafka and the engine are in the loop of each. */
const UI_TIMEOUT_MS = 30_000;

const CLUSTERS: { name: string; labels: Record<string, string> }[] = [
  { name: 'canary-eu-1', labels: { env: 'prod', region: 'eu', ring: 'canary' } },
  { name: 'prod-eu-1', labels: { env: 'prod', region: 'eu' } },
  { name: 'prod-eu-2', labels: { env: 'prod', region: 'eu' } },
  { name: 'prod-us-1', labels: { env: 'prod', region: 'us' } },
  { name: 'staging-eu-1', labels: { env: 'staging', region: 'eu' } },
];
/** Its agent starts only once the browser watches the rollout, so the canary turns Healthy live. */
const CANARY = 'canary-eu-1';
const PROD = ['prod-eu-1', 'prod-eu-2', 'prod-us-1'];

const DEPLOYMENT = webDeployment({ namespace: 'web', replicas: '1', tag: '2.4.0' });

describe('the dashboard in a browser, against a live hub', () => {
  let postgres: PostgresServer | undefined;
  let kafka: KafkaServer | undefined;
  let git: GitServer | undefined;
  let hub: NestFastifyApplication | undefined;
  let producer: Producer | undefined;
  let browser: Browser | undefined;
  let workDir: string;
  let hubUrl: string;
  let commit: string;
  let viewerToken: string;
  let rolloutId: string;
  const identities = new Map<string, RegisterResponse>();
  const agents: SimAgent[] = [];
  const agentOf = new Map<string, SimAgent>();
  const contexts: BrowserContext[] = [];
  /** Uncaught errors and console errors (a CSP violation, say) of each page. */
  const pageProblems = new Map<Page, string[]>();

  const gql = graphqlClient(() => hubUrl, ADMIN_TOKEN);

  function startAgent(name: string): void {
    const agent = new SimAgent({
      hubUrl,
      identity: identities.get(name)!,
      reports: producerSink(producer!),
    });
    agent.start();
    agents.push(agent);
    agentOf.set(name, agent);
  }

  async function newPage(): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    // Start rollout and Roll back ask for confirmation.
    page.on('dialog', (dialog) => void dialog.accept());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    pageProblems.set(page, problems);
    return page;
  }

  /** Rows of the fleet table, by cluster name, as shown. */
  async function fleetRows(page: Page): Promise<string[]> {
    const ids = await page
      .locator('[data-testid^="cluster-row-"]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace('cluster-row-', ''));
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium; scripts/test.sh does it as root) or set FLEETWAVE_CHROMIUM`,
      );
    }
    workDir = await mkdtemp(path.join(os.tmpdir(), 'fw-dashboard-e2e-'));
    const started = await Promise.allSettled([
      startPostgres(),
      startKafka({ log: () => undefined }),
      startGitServer({ root: path.join(workDir, 'git') }),
      buildDashboardIfMissing(),
    ]);
    const [pg, kf, g] = started;
    if (pg.status === 'fulfilled') postgres = pg.value;
    if (kf.status === 'fulfilled') kafka = kf.value;
    if (g.status === 'fulfilled') git = g.value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;

    const repo = await createRepo(path.join(workDir, 'git'), 'fleet');
    commit = await repo.commit({ 'deploy/web.yaml': DEPLOYMENT }, 'web: serve 2.4.0', {
      name: 'Ada Lovelace',
      email: 'ada@fleetwave.invalid',
    });

    const config = hubConfigFor(
      {
        databaseUrl: await createDatabase(postgres!.adminUrl, 'fleetwave_dashboard'),
        brokers: kafka!.brokers,
        gitDir: path.join(workDir, 'mirrors'),
      },
      {
        database: { poolSize: 6 },
        auth: { bootstrapAdminToken: ADMIN_TOKEN },
        reports: {
          partitions: 3,
          // Simulated agents report only when their assignments change: no cluster may go Unknown.
          heartbeatIntervalSeconds: 3600,
          offlineAfterSeconds: 36_000,
          sweepIntervalSeconds: 60,
        },
        git: { syncTickSeconds: 3600 },
        rollouts: { passIntervalSeconds: 1 },
        dashboard: { dir: DASHBOARD_DIST },
      },
    );
    hub = await createHubApp(config);
    await hub.listen({ host: '127.0.0.1', port: 0 });
    hubUrl = await hub.getUrl();
    // Live updates flow once the hub's events consumer has joined (it starts at the newest offset).
    await hub.get(ClusterChangesFeed).whenJoined();

    producer = await connectReportProducer(kafka!.brokers, 'e2e-dashboard');
    const { secret } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: CLUSTERS.length });
    for (const [i, cluster] of CLUSTERS.entries()) {
      const identity = await registerAgent(hubUrl, {
        token: secret,
        clusterName: cluster.name,
        kubeSystemUid: `uid-${i}`,
        labels: cluster.labels,
        facts: { kubernetesVersion: 'v1.33.5', nodeCount: 3 },
        agentVersion: 'sim-0.1.0',
      });
      identities.set(cluster.name, identity);
    }
    for (const cluster of CLUSTERS) if (cluster.name !== CANARY) startAgent(cluster.name);

    await gql(`mutation($input: CreateApplicationInput!) { createApplication(input: $input) { id } }`, {
      input: {
        name: 'web',
        repoUrl: git!.url('fleet'),
        ref: 'main',
        path: 'deploy',
        targetSelector: 'env=prod',
        syncPolicy: 'manual',
        pollIntervalSeconds: 3600,
        plan: {
          waves: [
            { name: 'canary', selector: 'ring=canary' },
            { name: 'prod', selector: 'env=prod', requireApproval: true, maxConcurrency: 2 },
          ],
        },
      },
    });
    const { syncApplication } = await gql<{
      syncApplication: { commit: string | null; error: string | null };
    }>(`mutation { syncApplication(name: "web") { commit error } }`);
    expect(syncApplication).toEqual({ commit, error: null });
    const { createApiToken } = await gql<{ createApiToken: { secret: string } }>(
      `mutation { createApiToken(name: "e2e-viewer", role: viewer) { secret } }`,
    );
    viewerToken = createApiToken.secret;
    // Every agent that runs has reported once: those clusters are Ready, the canary still Pending.
    await waitFor(
      async () => {
        const { clusters } = await gql<{ clusters: { edges: { node: { status: string } }[] } }>(
          `{ clusters(status: Ready) { edges { node { status } } } }`,
        );
        return clusters.edges.length === CLUSTERS.length - 1;
      },
      { description: 'four clusters Ready', timeoutMs: 30_000, intervalMs: 200 },
    );

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });

  afterAll(async () => {
    for (const [page, problems] of pageProblems) {
      if (problems.length > 0) console.log(`browser problems on ${page.url()}:\n${problems.join('\n')}`);
    }
    await Promise.allSettled(contexts.map((c) => c.close()));
    await browser?.close().catch(() => undefined);
    await Promise.allSettled(agents.map((a) => a.stop()));
    await producer?.disconnect().catch(() => undefined);
    await hub?.close().catch(() => undefined);
    await Promise.allSettled([kafka?.stop(), postgres?.stop(), git?.stop()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('serves the dashboard at / and leaves every API path to the API', async () => {
    const index = await fetch(`${hubUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    expect(html).toContain('<div id="root"></div>');

    // Client routes get the app; hashed bundles are cached for good; a missing file is a 404.
    const deepLink = await fetch(`${hubUrl}/rollouts/00000000-0000-4000-8000-000000000000`);
    expect([deepLink.status, await deepLink.text()]).toEqual([200, html]);
    const script = (await readdir(path.join(DASHBOARD_DIST, 'assets'))).find((f) => f.endsWith('.js'))!;
    const asset = await fetch(`${hubUrl}/assets/${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    // Compressed at build time (.br next to the file), sent to clients that accept it.
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(await asset.text()).toBe(await readFile(path.join(DASHBOARD_DIST, 'assets', script), 'utf8'));
    expect((await fetch(`${hubUrl}/assets/missing-0000.js`)).status).toBe(404);

    // The API keeps its paths: known routes answer as before, unknown ones are the hub's JSON 404.
    expect((await fetch(`${hubUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${hubUrl}/metrics`)).headers.get('content-type')).toContain('text/plain');
    const graphqlGet = await fetch(`${hubUrl}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(await graphqlGet.json()).toEqual({ data: { __typename: 'Query' } });
    for (const apiPath of ['/agent/v1/nothing-here', '/webhooks/git', '/graphql/', '/metrics/x']) {
      const response = await fetch(`${hubUrl}${apiPath}`);
      expect([apiPath, response.status, response.headers.get('content-type')]).toEqual([
        apiPath,
        404,
        expect.stringContaining('application/json'),
      ]);
    }
  });

  it('refuses a wrong token with a clear message', async () => {
    const page = await newPage();
    await page.goto(`${hubUrl}/#token=fwa_not-a-real-token`);
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain(
      'The hub refused this token: the API token is not valid (unknown)',
    );
    expect(page.url()).toBe(`${hubUrl}/`);
  });

  it('logs in from a #token link and filters the fleet on the server, with live changes', async () => {
    const page = await newPage();
    await page.goto(`${hubUrl}/#token=${ADMIN_TOKEN}`);
    await page.getByTestId('fleet-table').waitFor();
    // The token left the URL at once, and stays in the browser for the next visit.
    expect(page.url()).toBe(`${hubUrl}/`);
    expect(await page.evaluate("window.localStorage.getItem('fleetwave.token')")).toBe(ADMIN_TOKEN);
    await expect(page.getByTestId('role').textContent()).resolves.toBe('admin');
    expect(await fleetRows(page)).toEqual(CLUSTERS.map((c) => c.name).sort());
    await expect(page.getByTestId('fleet-count').textContent()).resolves.toBe('5 clusters');
    await expect(page.getByTestId(`cluster-status-${CANARY}`).textContent()).resolves.toBe('Pending');
    await expect(page.getByTestId('cluster-status-prod-eu-1').textContent()).resolves.toBe('Ready');
    const canaryRow = page.getByTestId(`cluster-row-${CANARY}`);
    // The agents' facts show as read-only fleetwave.io/ labels.
    await expect(canaryRow.getByTestId('label-chip').allTextContents()).resolves.toEqual([
      'env=prod',
      'fleetwave.io/kubernetes-version=1.33',
      'fleetwave.io/node-count=3',
      'region=eu',
      'ring=canary',
    ]);

    const selector = page.getByTestId('fleet-selector');
    await selector.fill('env=prod,region=eu');
    await waitFor(async () => (await fleetRows(page)).join() === 'canary-eu-1,prod-eu-1,prod-eu-2', {
      description: 'the fleet filtered by env=prod,region=eu',
      timeoutMs: UI_TIMEOUT_MS,
    });
    expect(page.url()).toBe(`${hubUrl}/?selector=${encodeURIComponent('env=prod,region=eu')}`);

    await selector.fill('env in (prod');
    await expect(page.getByTestId('fleet-error').textContent()).resolves.toBe(
      "Cannot list clusters: selector: at position 12: expected ',' or ')', found end of string",
    );
    expect(await page.getByTestId('fleet-table').count()).toBe(0);
    // The subscription keeps the last selector the hub accepted: the refusal is reported once.
    expect(await page.getByTestId('fleet-live-error').count()).toBe(0);

    await selector.fill('');
    await page.getByTestId('fleet-status').selectOption('Pending');
    await waitFor(async () => (await fleetRows(page)).join() === CANARY, {
      description: 'only the Pending canary',
      timeoutMs: UI_TIMEOUT_MS,
    });
    await page.getByTestId('fleet-status').selectOption('');
    await waitFor(async () => (await fleetRows(page)).length === CLUSTERS.length, {
      description: 'the whole fleet again',
      timeoutMs: UI_TIMEOUT_MS,
    });

    // clusterChanged: the page does not poll, so a new label can only arrive through the
    // subscription. It registers asynchronously (no acknowledgement in the protocol): relabel until
    // the row shows a value, then check that the next change arrives as well.
    let round = 0;
    await waitFor(
      async () => {
        round += 1;
        await gql(
          `mutation($labels: Labels!) { setClusterLabels(name: "staging-eu-1", labels: $labels) { name } }`,
          {
            labels: { owner: `team-${round}` },
          },
        );
        return (
          await page.getByTestId('cluster-row-staging-eu-1').getByTestId('label-chip').allTextContents()
        ).some((chip) => chip.startsWith('owner='));
      },
      { description: 'a label change shown live', timeoutMs: UI_TIMEOUT_MS, intervalMs: 500 },
    );
    await gql(`mutation { setClusterLabels(name: "staging-eu-1", labels: { owner: "platform" }) { name } }`);
    await page
      .getByTestId('cluster-row-staging-eu-1')
      .getByTestId('label-chip')
      .filter({ hasText: 'owner=platform' })
      .waitFor();

    await saveScreenshot(page, 'dashboard-fleet.png');

    // A reload keeps the session (local storage) and the filter (URL).
    await page.getByTestId('fleet-status').selectOption('Ready');
    await waitFor(async () => (await fleetRows(page)).length === CLUSTERS.length - 1, {
      description: 'the Ready clusters',
      timeoutMs: UI_TIMEOUT_MS,
    });
    await page.reload();
    await page.getByTestId('fleet-table').waitFor();
    expect(await fleetRows(page)).toEqual(
      CLUSTERS.map((c) => c.name)
        .filter((n) => n !== CANARY)
        .sort(),
    );

    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.evaluate("window.localStorage.getItem('fleetwave.token')")).toBeNull();
  });

  it('starts a rollout and follows it live through the canary and an approval to Succeeded', async () => {
    const page = await newPage();
    await page.goto(`${hubUrl}/applications#token=${ADMIN_TOKEN}`);
    await page.getByTestId('application-row-web').getByRole('link', { name: 'web' }).click();
    await page.getByTestId('application-page').waitFor();
    await expect(page.getByTestId('latest-revision').textContent()).resolves.toBe(
      `${commit.slice(0, 7)}Ada Lovelaceweb: serve 2.4.0`,
    );
    await expect(page.getByTestId('application-target').textContent()).resolves.toBe('env=prod');
    // Plain YAML, renderer left at auto: no chart, and the revision id is the git commit.
    await expect(page.getByTestId('application-renderer').textContent()).resolves.toBe('auto');
    await expect(page.getByTestId('application-chart').count()).resolves.toBe(0);
    await expect(page.getByTestId('revision-git-commit').textContent()).resolves.toBe(commit.slice(0, 7));
    await expect(page.getByTestId('revision-error').count()).resolves.toBe(0);
    await page.getByTestId('plan-wave-prod').waitFor();
    await saveScreenshot(page, 'dashboard-application.png');

    await page.getByTestId('start-rollout').click();
    await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
    rolloutId = new URL(page.url()).pathname.split('/').at(-1)!;
    const state = page.getByTestId('rollout-state');
    const canaryCell = page.getByTestId(`cell-${CANARY}`);
    await page.locator('[data-testid="rollout-state"][data-state="Progressing"]').waitFor();
    // The canary's agent is not running yet: it stays Assigned (blue), prod waits (grey).
    await expect(canaryCell.getAttribute('data-phase')).resolves.toBe('Assigned');
    for (const name of PROD) {
      await expect(page.getByTestId(`cell-${name}`).getAttribute('data-phase')).resolves.toBe('Pending');
    }
    await expect(page.getByTestId('wave-blocking-prod').textContent()).resolves.toBe(
      'waiting for the previous wave',
    );
    await expect(page.getByTestId('rollout-commit').textContent()).resolves.toBe(
      `${commit.slice(0, 7)}Ada Lovelaceweb: serve 2.4.0`,
    );
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();

    // rolloutChanged registers asynchronously: pause and resume from outside (the API) until the
    // page shows an update it can only have from the subscription, then leave it running.
    const liveUpdates = async () => Number(await page.getByTestId('live-updates').getAttribute('data-count'));
    let paused = false;
    await waitFor(
      async () => {
        if ((await liveUpdates()) > 0) return true;
        await gql(`mutation($id: ID!) { ${paused ? 'resumeRollout' : 'pauseRollout'}(id: $id) { id } }`, {
          id: rolloutId,
        });
        paused = !paused;
        return false;
      },
      { description: 'the first live update of the rollout page', timeoutMs: UI_TIMEOUT_MS, intervalMs: 500 },
    );
    if (!paused) await gql(`mutation($id: ID!) { pauseRollout(id: $id) { id } }`, { id: rolloutId });
    await page.locator('[data-testid="rollout-state"][data-state="Paused"]').waitFor();
    await gql(`mutation($id: ID!) { resumeRollout(id: $id) { id } }`, { id: rolloutId });
    await page.locator('[data-testid="rollout-state"][data-state="Progressing"]').waitFor();
    await expect(page.getByTestId('action-approve').isDisabled()).resolves.toBe(true);

    // The canary's agent comes up, applies, reports Healthy: the canary turns green and the prod
    // wave stops at its approval gate.
    const updatesBefore = await liveUpdates();
    startAgent(CANARY);
    await page.locator(`[data-testid="cell-${CANARY}"][data-phase="Healthy"]`).waitFor();
    await page.locator('[data-testid="rollout-state"][data-state="AwaitingApproval"]').waitFor();
    await expect(page.getByTestId('wave-blocking-prod').textContent()).resolves.toBe('approval pending');
    await expect(page.getByTestId('rollout-blocking').textContent()).resolves.toBe('approval pending');
    await expect(page.getByTestId('wave-progress-canary').textContent()).resolves.toBe('1/1');
    await expect(page.getByTestId('wave-progress-prod').textContent()).resolves.toBe('0/3');
    for (const name of PROD) {
      await expect(page.getByTestId(`cell-${name}`).getAttribute('data-phase')).resolves.toBe('Pending');
    }
    expect(await liveUpdates()).toBeGreaterThan(updatesBefore);
    await saveScreenshot(page, 'dashboard-rollout-approval.png');

    // Approve: the answer shows the wave opened; the rest arrives live, to Succeeded.
    await expect(page.getByTestId('action-approve').textContent()).resolves.toBe('Approve prod');
    await page.getByTestId('action-approve').click();
    await page.locator('[data-testid="rollout-state"][data-state="Succeeded"]').waitFor();
    for (const name of [CANARY, ...PROD]) {
      await expect(page.getByTestId(`cell-${name}`).getAttribute('data-phase')).resolves.toBe('Healthy');
    }
    await expect(page.getByTestId('wave-progress-prod').textContent()).resolves.toBe('3/3');
    await expect(state.textContent()).resolves.toBe('Succeeded');
    await expect(page.getByTestId('action-approve').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('action-abort').isDisabled()).resolves.toBe(true);

    await saveScreenshot(page, 'dashboard-rollout.png');

    // A refused mutation shows the API's reason: a first deployment has nothing to roll back to.
    await page.getByTestId('action-rollback').click();
    await expect(page.getByTestId('action-error').textContent()).resolves.toMatch(
      /^Refused: no cluster of rollout .* ran an earlier revision of "web"; name the commit to roll back to$/,
    );
    expect(pageProblems.get(page)).toEqual([]);
  });

  it('shows a viewer the same rollout without any operator button', async () => {
    const page = await newPage();
    await page.goto(`${hubUrl}/rollouts/${rolloutId}#token=${viewerToken}`);
    await page.locator('[data-testid="rollout-state"][data-state="Succeeded"]').waitFor();
    expect(page.url()).toBe(`${hubUrl}/rollouts/${rolloutId}`);
    await expect(page.getByTestId('role').textContent()).resolves.toBe('viewer');
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('rollout-actions').count()).toBe(0);
    expect(await page.locator('[data-testid^="action-"]').count()).toBe(0);
    expect(await page.getByRole('button').allTextContents()).toEqual(['Log out']);

    await page.getByRole('link', { name: 'web', exact: true }).click();
    await page.getByTestId('application-page').waitFor();
    expect(await page.getByTestId('sync-now').count()).toBe(0);
    expect(await page.getByTestId('start-rollout').count()).toBe(0);
    expect(pageProblems.get(page)).toEqual([]);
  });

  it('shows the status matrix: cells coloured by phase, a drift badge, a filter, failing objects on click', async () => {
    const page = await newPage();
    await page.goto(`${hubUrl}/status#token=${ADMIN_TOKEN}`);
    await page.getByTestId('matrix').waitFor();
    const cell = (name: string) => page.getByTestId(`matrix-cell-web-${name}`);
    for (const name of [CANARY, ...PROD]) {
      await page.locator(`[data-testid="matrix-cell-web-${name}"][data-phase="Healthy"]`).waitFor();
    }
    // staging-eu-1 is in no application's placement: no column.
    expect(await page.locator('[data-testid$="-staging-eu-1"]').count()).toBe(0);

    await agentOf.get('prod-eu-1')!.correctDrift('web', 2);
    await expect(page.getByTestId('matrix-drift-web-prod-eu-1').textContent()).resolves.toBe('drift 2');
    await page.getByTestId('matrix-drifted').check();
    await page.waitForURL(`${hubUrl}/status?drifted=true`);
    // The unfiltered cells stay on screen until the filtered answer arrives: await the one row.
    await page.locator('[data-testid^="matrix-cell-"]').nth(1).waitFor({ state: 'detached' });
    await page.locator('[data-testid^="matrix-cell-"]').first().waitFor();
    await expect(
      page
        .locator('[data-testid^="matrix-cell-"]')
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-testid'))),
    ).resolves.toEqual(['matrix-cell-web-prod-eu-1']);
    await page.getByTestId('matrix-drifted').uncheck();

    await agentOf.get('prod-us-1')!.setPhase('web', 'Degraded');
    await page.locator('[data-testid="matrix-cell-web-prod-us-1"][data-phase="Degraded"]').waitFor();
    await cell('prod-us-1').click();
    await expect(page.getByTestId('matrix-detail-failing').textContent()).resolves.toContain(
      'sim Simulated: simulated Degraded',
    );
    await saveScreenshot(page, 'dashboard-status.png');
    expect(pageProblems.get(page)).toEqual([]);
  });

  it('heads every page with the fleet freeze (lifted by an admin) and lists subscriptions with their delivery log, never a secret', async () => {
    // A receiver nobody listens on: its delivery stays pending with the connection error.
    const port = await freePort();
    const secret = 'e2e-notification-secret-0123456789';
    const { createNotificationSubscription: subscription } = await gql<{
      createNotificationSubscription: { id: string };
    }>(
      `mutation($url: String!, $secret: String!) {
        createNotificationSubscription(input: { application: "web", kinds: ["driftCorrected"], url: $url, secret: $secret }) { id }
      }`,
      { url: `http://127.0.0.1:${port}/services/T0/B0/pathToken123`, secret },
    );
    await agentOf.get('prod-eu-2')!.correctDrift('web', 1);
    await waitFor(
      async () => {
        const { notificationSubscriptions } = await gql<{
          notificationSubscriptions: { id: string; deliveries: { attempts: number }[] }[];
        }>(`{ notificationSubscriptions { id deliveries { attempts } } }`);
        const found = notificationSubscriptions.find((s) => s.id === subscription.id);
        return (found?.deliveries[0]?.attempts ?? 0) > 0 || undefined;
      },
      { description: 'the drift notification tried once', timeoutMs: 30_000, intervalMs: 250 },
    );
    await gql(`mutation { freezeFleet(reason: "e2e change freeze") { freeze { by } } }`);

    const page = await newPage();
    await page.goto(`${hubUrl}/notifications#token=${ADMIN_TOKEN}`);
    const card = page.getByTestId(`subscription-${subscription.id}`);
    await card.waitFor();
    await expect(card.getByTestId('subscription-target').textContent()).resolves.toBe(
      `http://127.0.0.1:${port}`,
    );
    await expect(card.locator('[data-testid^="delivery-"]').first().textContent()).resolves.toMatch(
      /driftCorrected.*pending.*could not reach the receiver: ECONNREFUSED/,
    );
    const html = await page.content();
    expect(html).not.toContain(secret);
    expect(html).not.toContain('pathToken123');

    await expect(page.getByTestId('freeze-text').textContent()).resolves.toMatch(
      /^The fleet is frozen by .+, until an admin unfreezes it: e2e change freeze\./,
    );
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByTestId('freeze-banner').waitFor();
    const viewer = await newPage();
    await viewer.goto(`${hubUrl}/#token=${viewerToken}`);
    await viewer.getByTestId('freeze-banner').waitFor();
    expect(await viewer.getByTestId('unfreeze').count()).toBe(0);

    await page.getByRole('link', { name: 'Notifications', exact: true }).click();
    await card.waitFor();
    await saveScreenshot(page, 'dashboard-notifications.png');
    await page.getByTestId('unfreeze').click();
    await page.getByTestId('freeze-banner').waitFor({ state: 'detached' });
    const { fleet } = await gql<{ fleet: { freeze: unknown } }>(`{ fleet { freeze { by } } }`);
    expect(fleet.freeze).toBeNull();
    expect(pageProblems.get(page)).toEqual([]);
    expect(pageProblems.get(viewer)).toEqual([]);
  });
});

/** Test artifacts go to .cache/artifacts (git-ignored); the path is printed. */
async function saveScreenshot(page: Page, name: string): Promise<void> {
  const artifacts = cacheDir('artifacts');
  await mkdir(artifacts, { recursive: true });
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`dashboard e2e: screenshot ${file}`);
}

/** `npm run build` builds the dashboard; a test run straight after a clean checkout builds it here. */
async function buildDashboardIfMissing(): Promise<void> {
  if (existsSync(path.join(DASHBOARD_DIST, 'index.html'))) return;
  await run(path.join(repoRoot, 'node_modules', '.bin', 'vite'), ['build', 'services/dashboard'], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
}
