/**
 * Charts from a Helm repository (served by the harness: `helm package` + `helm repo index`) and a
 * real OCI registry (the CNCF distribution registry, `helm push`), pulled by a real hub at git sync
 * and rendered by the real helm; bad sources refused with their code and nothing rolled out.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BundlesRepository } from '../../services/hub/src/bundles/bundles.repository.js';
import { createRepo, type GitServer, startGitServer } from '../harness/git-server.js';
import {
  helmBinary,
  packageChart,
  runHelm,
  serveHelmRepository,
  type StaticServer,
} from '../harness/helm-repo-server.js';
import { freePort } from '../harness/net.js';
import { type OciRegistry, startOciRegistry } from '../harness/oci-registry.js';
import { repoRoot } from '../harness/paths.js';
import { gql, gqlOk, registerCluster } from './support/graphql.js';
import { fleetctlAgainst } from './support/fleetctl-process.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';

const FIXTURE = join(repoRoot, 'test/fixtures/charts/web');
const REGISTRY_AUTH = { username: 'charts-ci', password: 'registry-pass-5f1c9e' };
const WRONG_PASSWORD = 'wrong-pass-77a3d2';

interface Revision {
  commit: string;
  gitCommit: string;
  chart: { name: string; version: string; digest: string } | null;
  error: string | null;
}

interface Synced {
  commit: string | null;
  rolloutId: string | null;
  error: string | null;
}

describe('charts from Helm repositories and OCI registries (real hub, helm, registry)', () => {
  let work: string;
  let helmHome: string;
  let packages: string;
  let git: GitServer;
  let gitHead: string;
  let repository: StaticServer;
  let tampered: StaticServer;
  let registry: OciRegistry;
  let securedRegistry: OciRegistry;
  let hub: TestHub;
  const archives = new Map<string, string>();

  const sha256 = async (file: string) =>
    `sha256:${createHash('sha256')
      .update(await readFile(file))
      .digest('hex')}`;

  /** Packages the fixture chart at `version` into the served repository and indexes it again. */
  async function publish(...versions: string[]): Promise<void> {
    for (const version of versions) {
      archives.set(version, await packageChart(helmHome, FIXTURE, version, work, packages));
    }
    await runHelm(helmHome, ['repo', 'index', packages]);
  }

  async function createApp(name: string, chart: Record<string, unknown>): Promise<void> {
    const created = await gql(
      hub,
      `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { id } }`,
      {
        input: {
          name,
          repoUrl: git.url('values'),
          ref: 'main',
          path: 'deploy',
          valuesFiles: ['values-prod.yaml'],
          targetSelector: 'env=prod',
          plan: { waves: [] },
          chart,
        },
      },
    );
    expect(created.errors).toBeUndefined();
  }

  const sync = async (name: string) =>
    (
      await gqlOk<{ syncApplication: Synced }>(
        hub,
        `mutation($n: String!) { syncApplication(name: $n) { commit rolloutId error } }`,
        { n: name },
      )
    ).syncApplication;

  const state = async (name: string) =>
    (
      await gqlOk<{
        application: {
          lastSyncError: string | null;
          revisions: Revision[];
          rollouts: { totalCount: number; edges: { node: { id: string; commit: string } }[] };
        };
      }>(
        hub,
        `query($n: String!) { application(name: $n) {
           lastSyncError
           revisions { commit gitCommit chart { name version digest } error }
           rollouts(first: 10) { totalCount edges { node { id commit } } } } }`,
        { n: name },
      )
    ).application;

  /** The objects of the bundle the rollout gave the (only) cluster. */
  async function rolledOut(rolloutId: string) {
    const { rollout } = await gqlOk<{
      rollout: { clusters: { targetDigest: string | null }[] };
    }>(hub, `query($id: ID!) { rollout(id: $id) { clusters { targetDigest } } }`, { id: rolloutId });
    const digest = rollout.clusters[0]!.targetDigest!;
    const manifests = (await hub.app.get(BundlesRepository).find(digest))!;
    return parseAllDocuments(manifests).map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { labels?: Record<string, string> };
          spec?: { replicas?: number };
        },
    );
  }

  beforeAll(async () => {
    if (!existsSync(helmBinary()))
      throw new Error(`helm not found at ${helmBinary()}: run test/kube/build-helm.sh`);
    work = await mkdtemp(join(tmpdir(), 'fleetwave-chart-sources-'));
    helmHome = join(work, 'helm-home');
    packages = join(work, 'repository');
    await mkdir(packages, { recursive: true });
    await publish('1.0.0', '1.2.0');
    repository = await serveHelmRepository(packages);

    // A copy whose index names another digest than its archive's.
    const tamperedDir = join(work, 'tampered');
    await cp(packages, tamperedDir, { recursive: true });
    const index = await readFile(join(tamperedDir, 'index.yaml'), 'utf8');
    await writeFile(
      join(tamperedDir, 'index.yaml'),
      index.replace(/digest: [0-9a-f]{64}/g, `digest: ${'0'.repeat(64)}`),
    );
    tampered = await serveHelmRepository(tamperedDir);

    registry = await startOciRegistry();
    securedRegistry = await startOciRegistry({ auth: REGISTRY_AUTH });
    await runHelm(helmHome, [
      'push',
      archives.get('1.0.0')!,
      `oci://${registry.host}/charts`,
      '--plain-http',
    ]);
    await runHelm(helmHome, [
      'push',
      archives.get('1.2.0')!,
      `oci://${registry.host}/charts`,
      '--plain-http',
    ]);
    await runHelm(helmHome, [
      'push',
      archives.get('1.2.0')!,
      `oci://${securedRegistry.host}/charts`,
      '--plain-http',
      '--username',
      REGISTRY_AUTH.username,
      '--password',
      REGISTRY_AUTH.password,
    ]);

    git = await startGitServer({ root: join(work, 'served') });
    const repo = await createRepo(join(work, 'served'), 'values');
    gitHead = await repo.commit({ 'deploy/values-prod.yaml': 'replicaCount: 3\n' }, 'prod values');

    const credentialsFile = join(work, 'credentials.json');
    await writeFile(
      credentialsFile,
      JSON.stringify({
        'registry-bot': REGISTRY_AUTH,
        'wrong-bot': { username: REGISTRY_AUTH.username, password: WRONG_PASSWORD },
      }),
      { mode: 0o600 },
    );
    hub = await startTestHub(await testHubConfig({ git: { credentialsFile } }));
    await registerCluster(hub, 'east', { env: 'prod' }, { kubernetesVersion: 'v1.31.2' });
  });

  afterAll(async () => {
    await hub?.close();
    await git?.stop();
    await repository?.close();
    await tampered?.close();
    await registry?.stop();
    await securedRegistry?.stop();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('takes the newest version in range from a Helm repository, renders it with the values file, and rolls it out', async () => {
    await createApp('web-repo', { repository: repository.url, name: 'web', version: '^1.0.0' });

    const first = await sync('web-repo');

    expect(first.error).toBeNull();
    expect(first.rolloutId).not.toBeNull();
    const { revisions, rollouts } = await state('web-repo');
    expect(revisions).toEqual([
      {
        commit: first.commit,
        gitCommit: gitHead,
        chart: { name: 'web', version: '1.2.0', digest: await sha256(archives.get('1.2.0')!) },
        error: null,
      },
    ]);
    expect(first.commit).not.toBe(gitHead);
    expect(rollouts.edges).toEqual([{ node: { id: first.rolloutId, commit: first.commit } }]);
    const objects = await rolledOut(first.rolloutId!);
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.metadata.labels?.['helm.sh/chart']).toBe('web-1.2.0');
    expect(deployment.spec?.replicas).toBe(3);

    // Nothing new: the same revision, no rollout.
    const again = await sync('web-repo');
    expect(again).toEqual({ commit: first.commit, rolloutId: null, error: null });
  });

  it('a new version in range at the same commit is a new revision and starts a rollout; one out of range is not taken', async () => {
    const before = await sync('web-repo');
    await publish('1.3.0', '2.0.0');

    const after = await sync('web-repo');

    expect(after.error).toBeNull();
    expect(after.commit).not.toBe(before.commit);
    expect(after.rolloutId).not.toBeNull();
    const { revisions, rollouts } = await state('web-repo');
    expect(revisions.find((r) => r.commit === after.commit)).toEqual({
      commit: after.commit,
      gitCommit: gitHead,
      chart: { name: 'web', version: '1.3.0', digest: await sha256(archives.get('1.3.0')!) },
      error: null,
    });
    expect(rollouts.totalCount).toBe(2);
    const objects = await rolledOut(after.rolloutId!);
    expect(objects.find((o) => o.kind === 'Deployment')?.metadata.labels?.['helm.sh/chart']).toBe(
      'web-1.3.0',
    );
  });

  it('fleetctl apps create takes the chart flags', async () => {
    const run = fleetctlAgainst(hub, work);
    const fleetctl = async (...args: string[]) => {
      const result = await run(...args);
      if (result.code !== 0) throw new Error(result.stderr);
      return result.stdout;
    };

    expect(
      await fleetctl(
        'apps',
        'create',
        'web-cli',
        '--repo',
        git.url('values'),
        '--ref',
        'main',
        '--path',
        'deploy',
        '--selector',
        'env=prod',
        '--manual',
        '--chart-repository',
        repository.url,
        '--chart',
        'web',
        '--chart-version',
        '~1.2.0',
      ),
    ).toBe('application/web-cli created\n');
    const synced = await fleetctl('apps', 'sync', 'web-cli');

    const [revision] = (await state('web-cli')).revisions;
    expect(revision?.chart).toEqual({
      name: 'web',
      version: '1.2.0',
      digest: await sha256(archives.get('1.2.0')!),
    });
    expect(synced).toBe(`application/web-cli synced to ${revision!.commit.slice(0, 7)}\n`);
  });

  it('takes a chart from a real OCI registry by range and rolls it out', async () => {
    await createApp('web-oci', {
      repository: `oci://${registry.host}/charts`,
      name: 'web',
      version: '~1.0.0',
    });

    const synced = await sync('web-oci');

    expect(synced.error).toBeNull();
    expect(synced.rolloutId).not.toBeNull();
    const [revision] = (await state('web-oci')).revisions;
    expect(revision?.chart).toEqual({
      name: 'web',
      version: '1.0.0',
      digest: await sha256(archives.get('1.0.0')!),
    });
    const objects = await rolledOut(synced.rolloutId!);
    expect(objects.find((o) => o.kind === 'Deployment')?.metadata.labels?.['helm.sh/chart']).toBe(
      'web-1.0.0',
    );
  });

  it('pulls from a registry with auth using credentials by reference', async () => {
    await createApp('web-secured', {
      repository: `oci://${securedRegistry.host}/charts`,
      name: 'web',
      version: '>=1.0.0',
      credentialsRef: 'registry-bot',
    });

    const synced = await sync('web-secured');

    expect(synced.error).toBeNull();
    expect(synced.rolloutId).not.toBeNull();
    expect((await state('web-secured')).revisions[0]?.chart?.version).toBe('1.2.0');
  });

  it.each([
    ['a wrong password', 'wrong-bot', /^chart-auth-failed: .*refused the credentials \(HTTP 401\)/],
    ['no credentials', null, /^chart-auth-failed: .*needs credentials \(set chart\.credentialsRef\)/],
  ])(
    'refuses a registry with auth given %s, without echoing a secret, and rolls nothing out',
    async (_what, ref, expected) => {
      const name = `secured-${ref ?? 'anonymous'}`;
      await createApp(name, {
        repository: `oci://${securedRegistry.host}/charts`,
        name: 'web',
        version: '*',
        credentialsRef: ref,
      });

      const synced = await sync(name);

      expect(synced).toEqual({ commit: null, rolloutId: null, error: expect.stringMatching(expected) });
      const shown = await state(name);
      expect(shown.lastSyncError).toBe(synced.error);
      for (const text of [synced.error!, shown.lastSyncError!]) {
        expect(text).not.toContain(WRONG_PASSWORD);
        expect(text).not.toContain(REGISTRY_AUTH.password);
      }
      expect(shown.revisions).toEqual([]);
      expect(shown.rollouts.totalCount).toBe(0);
    },
  );

  it.each([
    [
      'a chart the repository does not have',
      'no-chart',
      () => ({ name: 'nope', version: '*' }),
      /^chart-not-found: chart "nope" is not in http:\/\/127\.0\.0\.1:\d+\/index\.yaml$/,
    ],
    [
      'a range no version matches',
      'no-match',
      () => ({ name: 'web', version: '^9.0.0' }),
      /^chart-version-not-found: no version of chart "web" in http:\/\/127\.0\.0\.1:\d+ matches "\^9\.0\.0" \(it has /,
    ],
    [
      'an archive that is not the one the index names',
      'tampered',
      () => ({ repository: tampered.url, name: 'web' }),
      /^chart-digest-mismatch: .*web-1\.2\.0\.tgz is not the archive its index names/,
    ],
    [
      'a chart the registry does not have',
      'no-oci-chart',
      () => ({ repository: `oci://${registry.host}/charts`, name: 'nope' }),
      /^chart-not-found: chart oci:\/\/127\.0\.0\.1:\d+\/charts\/nope not found: .*answered 404$/,
    ],
  ])('refuses %s with its code and rolls nothing out', async (_what, name, chart, expected) => {
    await createApp(name, { repository: repository.url, ...chart() });

    const synced = await sync(name);

    expect(synced).toEqual({ commit: null, rolloutId: null, error: expect.stringMatching(expected) });
    const shown = await state(name);
    expect(shown.revisions).toEqual([]);
    expect(shown.rollouts.totalCount).toBe(0);
  });

  it('refuses a repository that is down with its code and rolls nothing out', async () => {
    const closed = await freePort();
    await createApp('down', { repository: `http://127.0.0.1:${closed}/charts`, name: 'web' });

    const synced = await sync('down');

    expect(synced).toEqual({
      commit: null,
      rolloutId: null,
      error: expect.stringMatching(
        new RegExp(
          `^chart-repository-unreachable: http://127\\.0\\.0\\.1:${closed}/charts/index\\.yaml did not answer`,
        ),
      ),
    });
    expect((await state('down')).rollouts.totalCount).toBe(0);
  });
});
