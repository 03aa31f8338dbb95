import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AssignmentsRepository } from '../../services/hub/src/assignments/assignments.repository.js';
import { BundlesRepository } from '../../services/hub/src/bundles/bundles.repository.js';
import { fixtureFiles } from '../harness/fixture-files.js';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../harness/git-server.js';
import { repoRoot } from '../harness/paths.js';
import { waitFor } from '../harness/wait-for.js';
import { createSyncedApp } from './support/applications.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { fleetctlAgainst } from './support/fleetctl-process.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';

/** The test chart (test/fixtures/charts/web) as files of a commit under `deploy/`. */
const chartFiles = () => fixtureFiles(path.join(repoRoot, 'test/fixtures/charts/web'), 'deploy/');

interface Preview {
  waves: { clusters: { name: string; digest: string | null }[] }[];
  renderErrors: string[];
}

describe('Helm charts in git, rendered by the real helm (real hub, git, Postgres)', () => {
  let gitRoot: string;
  let git: GitServer;
  let repo: LocalRepo;
  let hub: TestHub;
  const clusterIds: string[] = [];

  const preview = async (name: string) =>
    (
      await gqlOk<{ previewRollout: Preview }>(
        hub,
        `query($a: String!) { previewRollout(application: $a) { waves { clusters { name digest } } renderErrors } }`,
        { a: name },
      )
    ).previewRollout;

  /** fleetwave_hub_renders_total{renderer="helm",result=…} on this hub. */
  async function renders(result: 'rendered' | 'cached' | 'failed'): Promise<number> {
    const { body } = await hub.request('GET', '/metrics');
    const line = String(body)
      .split('\n')
      .find((l) => l.startsWith(`fleetwave_hub_renders_total{renderer="helm",result="${result}"}`));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  }

  const fleetctl = (...parts: string[][]) => fleetctlAgainst(hub, gitRoot)(...parts.flat());

  const manifestsOf = async (digest: string) => (await hub.app.get(BundlesRepository).find(digest))!;

  beforeAll(async () => {
    gitRoot = await mkdtemp(join(tmpdir(), 'fleetwave-helm-git-'));
    git = await startGitServer({ root: join(gitRoot, 'served') });
    repo = await createRepo(join(gitRoot, 'served'), 'charts');
    await repo.commit(chartFiles(), 'the web chart');
    hub = await startTestHub();
    for (const [name, env] of [
      ['prod-1', 'prod'],
      ['prod-2', 'prod'],
      ['prod-3', 'prod'],
      ['stage-1', 'staging'],
    ]) {
      const { clusterId } = await registerCluster(
        hub,
        name!,
        { env: env!, app: 'web' },
        { kubernetesVersion: 'v1.31.2' },
      );
      clusterIds.push(clusterId);
    }
  });

  afterAll(async () => {
    await hub?.close();
    await git?.stop();
    await rm(gitRoot, { recursive: true, force: true });
  });

  it('renders once per distinct value set, with values merged per cluster, and reuses the renders', async () => {
    await createSyncedApp(hub, git.url('charts'), 'web', 'app=web', {
      values: { replicaCount: 2, extra: { owner: '${cluster.labels.env}-team' } },
      valuesRules: [{ selector: 'env=prod', values: { replicaCount: 4 } }],
      plan: { waves: [] },
    });
    const before = await renders('rendered');

    const first = await preview('web');

    expect(first.renderErrors).toEqual([]);
    const digests = new Map(first.waves.flatMap((w) => w.clusters).map((c) => [c.name, c.digest!]));
    expect(new Set(digests.values()).size).toBe(2);
    expect(digests.get('prod-1')).toBe(digests.get('prod-3'));
    expect(await renders('rendered')).toBe(before + 2);

    const objects = parseAllDocuments(await manifestsOf(digests.get('prod-1')!)).map(
      (d) =>
        d.toJS() as { kind: string; metadata: { name: string }; spec?: { replicas: number }; data?: object },
    );
    expect(objects.find((o) => o.kind === 'Deployment')?.spec?.replicas).toBe(4);
    expect(objects.find((o) => o.metadata.name === 'web-web-settings')?.data).toMatchObject({
      owner: 'prod-team',
      kubeVersion: 'v1.31.2',
    });
    expect(objects.some((o) => o.kind === 'CustomResourceDefinition')).toBe(true);

    // Pre-flight: each distinct bundle with its object count, and the grouped diff (nothing runs yet).
    const { previewRollout } = await gqlOk<{
      previewRollout: {
        bundles: { digest: string; clusters: number; objects: number }[];
        diff: { clusters: string[]; changes: { object: string; change: string; diff: string }[] }[];
      };
    }>(
      hub,
      `query { previewRollout(application: "web") { bundles { digest clusters objects }
         diff { clusters changes { object change diff } } } }`,
    );
    expect(previewRollout.bundles).toEqual([
      { digest: digests.get('prod-1'), clusters: 3, objects: objects.length },
      { digest: digests.get('stage-1'), clusters: 1, objects: objects.length },
    ]);
    expect(previewRollout.diff.map((g) => g.clusters)).toEqual([['prod-1', 'prod-2', 'prod-3'], ['stage-1']]);
    expect(previewRollout.diff[0]!.changes.every((c) => c.change === 'added')).toBe(true);
    expect(
      previewRollout.diff[0]!.changes.find((c) => c.object === 'Deployment shop/web-web'),
    ).toBeUndefined();
    expect(previewRollout.diff[0]!.changes.map((c) => c.object)).toContain('Deployment web-web');

    // The same inputs again (a second preview, then the rollout itself): no new render.
    const cached = await renders('cached');
    await preview('web');
    const started = await gqlOk<{ startRollout: { id: string } }>(
      hub,
      `mutation { startRollout(application: "web") { id } }`,
    );
    expect(started.startRollout.id).toBeTruthy();
    expect(await renders('rendered')).toBe(before + 2);
    expect(await renders('cached')).toBe(cached + 4);

    // The application names no namespace: a chart's objects go to its release namespace, `default`,
    // as helm install puts them (the agent refuses a namespaced object with neither).
    const assignments = hub.app.get(AssignmentsRepository);
    const assigned = await waitFor(
      async () => {
        for (const id of clusterIds) {
          const found = (await assignments.forCluster(id))?.assignments.find((a) => a.application === 'web');
          if (found) return found;
        }
        return undefined;
      },
      { timeoutMs: 30_000, description: 'a cluster assigned web' },
    );
    expect(assigned.defaultNamespace).toBe('default');
  });

  it('fleetctl: create with the Helm flags, render one cluster, preview the diff', async () => {
    await repo.commit({ 'deploy/values-prod.yaml': 'greeting: hello from the values file\n' }, 'values file');
    const create = await fleetctl(
      ['apps', 'create', 'web-cli', '--repo', git.url('charts'), '--ref', 'main', '--path', 'deploy'],
      ['--selector', 'env=staging', '--manual', '--renderer', 'helm', '--release-name', 'shop'],
      ['--no-include-crds', '--values-from', 'values-prod.yaml'],
    );
    expect(create).toEqual({ code: 0, stdout: 'application/web-cli created\n', stderr: '' });
    expect((await fleetctl(['apps', 'sync', 'web-cli'])).code).toBe(0);

    const rendered = await fleetctl(['apps', 'render', 'web-cli', '--cluster', 'stage-1']);
    expect(rendered.code).toBe(0);
    const objects = parseAllDocuments(rendered.stdout).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string }; data?: Record<string, string> },
    );
    expect(objects.find((o) => o.kind === 'Deployment')?.metadata.name).toBe('shop-web');
    expect(objects.some((o) => o.kind === 'CustomResourceDefinition')).toBe(false);
    expect(objects.find((o) => o.metadata.name === 'shop-web-settings')?.data?.greeting).toBe(
      'hello from the values file',
    );

    const diff = await fleetctl(['rollouts', 'preview', 'web-cli', '--diff']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^# 1 cluster\(s\): stage-1 — \d+ object\(s\) change\n/);
    expect(diff.stdout).toContain('+++ b/Deployment shop-web');

    const unknown = await fleetctl(['apps', 'render', 'web-cli', '--cluster', 'nowhere']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/cluster "nowhere" not found/);
  });

  it('refuses a chart whose template does not render, with helm’s error, and starts nothing', async () => {
    await repo.commit({ 'deploy/templates/broken.yaml': '{{ .Values.nope.deeper }}\n' }, 'broken template');
    await createSyncedApp(hub, git.url('charts'), 'broken', 'env=staging', { plan: { waves: [] } });

    const shown = await preview('broken');
    expect(shown.renderErrors).toEqual([
      expect.stringMatching(/^stage-1: helm template: .*broken\.yaml.*nil pointer/s),
    ]);
    const started = await gql(hub, `mutation { startRollout(application: "broken") { id } }`);
    expect(codes(started)).toEqual(['INVALID_ARGUMENT']);
    expect(started.errors?.[0]?.message).toMatch(
      /does not render for 1 cluster\(s\): stage-1: helm template:/,
    );
    await repo.commit({ 'deploy/templates/broken.yaml': null }, 'fixed');
  });

  it('refuses a dependency that would be fetched over the network when the revision is read', async () => {
    const chart = chartFiles()['deploy/Chart.yaml']!.replace(
      'repository: file://deps/cache',
      'repository: https://charts.example.com',
    );
    await repo.commit({ 'deploy/Chart.yaml': chart }, 'remote dependency');
    const app = await gql(
      hub,
      `mutation { createApplication(input: { name: "remote", repoUrl: "${git.url('charts')}", ref: "main", path: "deploy", syncPolicy: manual }) { id } }`,
    );
    expect(app.errors).toBeUndefined();
    const synced = await gqlOk<{ syncApplication: { error: string | null } }>(
      hub,
      `mutation { syncApplication(name: "remote") { error } }`,
    );
    expect(synced.syncApplication.error).toMatch(
      /dependency "cache" comes from https:\/\/charts\.example\.com/,
    );
    const started = await gql(hub, `mutation { startRollout(application: "remote") { id } }`);
    expect(codes(started)).toEqual(['FAILED_PRECONDITION']);
  });
});

describe('the render sandbox stops a render that runs too long (real hub)', () => {
  let gitRoot: string;
  let git: GitServer;
  let hub: TestHub;

  beforeAll(async () => {
    gitRoot = await mkdtemp(join(tmpdir(), 'fleetwave-helm-slow-'));
    git = await startGitServer({ root: join(gitRoot, 'served') });
    const repo = await createRepo(join(gitRoot, 'served'), 'slow');
    await repo.commit(chartFiles(), 'the web chart');
    // A "helm" that never answers, and its child too: the whole tree must go.
    const slowHelm = join(gitRoot, 'slow-helm');
    await writeFile(slowHelm, '#!/bin/sh\nsleep 300 &\nsleep 300\n', { mode: 0o755 });
    const config = await testHubConfig();
    hub = await startTestHub({
      ...config,
      render: { ...config.render, timeoutMs: 1000, binaries: { ...config.render.binaries, helm: slowHelm } },
    });
    await registerCluster(hub, 'east', { env: 'prod' });
  });

  afterAll(async () => {
    await hub?.close();
    await git?.stop();
    await rm(gitRoot, { recursive: true, force: true });
  });

  it('fails the render with the timeout and rolls nothing out', async () => {
    await createSyncedApp(hub, git.url('slow'), 'slow', 'env=prod', { plan: { waves: [] } });
    const started = await gql(hub, `mutation { startRollout(application: "slow") { id } }`);
    expect(codes(started)).toEqual(['INVALID_ARGUMENT']);
    expect(started.errors?.[0]?.message).toMatch(
      /east: helm dependency build: helm did not finish within 1 s \(stopped\)/,
    );
    const { application } = await gqlOk<{ application: { rollouts: { totalCount: number } } }>(
      hub,
      `query { application(name: "slow") { rollouts { totalCount } } }`,
    );
    expect(application.rollouts.totalCount).toBe(0);
  });
});
