import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ApplicationsRepository } from '../../services/hub/src/applications/applications.repository.js';
import { unpackArtifact } from '../../services/hub/src/git/index.js';
import { fixtureFiles } from '../harness/fixture-files.js';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../harness/git-server.js';
import { repoRoot } from '../harness/paths.js';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub } from './support/hub.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };

/** The kustomize test repository (services/hub/test-fixtures/kustomize/repo) as one commit's files. */
const repoFiles = () => fixtureFiles(path.join(repoRoot, 'services/hub/test-fixtures/kustomize/repo'));

describe('Kustomize overlays per environment, built by the real kustomize (real hub, git, Postgres)', () => {
  let gitRoot: string;
  let git: GitServer;
  let repo: LocalRepo;
  let hub: TestHub;

  async function createAndSync(name: string, appPath: string, selector: string) {
    await hub.app.get(ApplicationsService).create(ADMIN, {
      name,
      repoUrl: git.url('shop'),
      ref: 'main',
      path: appPath,
      syncPolicy: 'manual',
      targetSelector: selector,
      plan: { waves: [] },
    });
    return hub.app.get(GitSyncService).sync((await hub.app.get(ApplicationsService).findByName(name))!);
  }

  /** What `cluster` would get from `name` (renderApplication: fleetctl apps render). */
  async function bundleOf(name: string, cluster: string) {
    const { renderApplication } = await gqlOk<{
      renderApplication: { digest: string | null; manifests: string | null; error: string | null };
    }>(
      hub,
      `query($a: String!, $c: String!) { renderApplication(application: $a, cluster: $c) { digest manifests error } }`,
      {
        a: name,
        c: cluster,
      },
    );
    expect(renderApplication.error).toBeNull();
    return parseAllDocuments(renderApplication.manifests!).map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { name: string; namespace?: string; labels?: Record<string, string> };
          spec?: { replicas?: number };
        },
    );
  }

  beforeAll(async () => {
    gitRoot = await mkdtemp(join(tmpdir(), 'fleetwave-kustomize-git-'));
    git = await startGitServer({ root: join(gitRoot, 'served') });
    repo = await createRepo(join(gitRoot, 'served'), 'shop');
    await repo.commit({ ...repoFiles(), 'unrelated/big.yaml': 'kind: NotPartOfTheApp\n' }, 'shop');
    hub = await startTestHub();
    // The overlays put ${cluster.labels.region} into the Deployment (substituted after the build).
    await registerCluster(hub, 'prod-1', { env: 'prod', region: 'eu' });
    await registerCluster(hub, 'stage-1', { env: 'staging', region: 'us' });
  });

  afterAll(async () => {
    await hub?.close();
    await git?.stop();
    await rm(gitRoot, { recursive: true, force: true });
  });

  it('reads the base and components an overlay references outside its path, and nothing else', async () => {
    const outcome = await createAndSync('shop-prod', 'apps/shop/overlays/prod', 'env=prod');
    expect(outcome.error).toBeNull();

    const app = (await hub.app.get(ApplicationsRepository).findByName('shop-prod'))!;
    const revision = (await hub.app.get(ApplicationsRepository).findRevision(app.id, outcome.commit!))!;
    const paths = unpackArtifact(
      (await hub.app.get(ApplicationsRepository).findArtifact(revision.artifactDigest!))!,
    ).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'apps/shop/overlays/prod/kustomization.yaml',
        'apps/shop/base/kustomization.yaml',
        'apps/shop/components/metrics/kustomization.yaml',
      ]),
    );
    expect(paths.some((p) => p.startsWith('unrelated/') || p.startsWith('apps/shop/overlays/staging/'))).toBe(
      false,
    );

    const objects = await bundleOf('shop-prod', 'prod-1');
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment?.metadata.namespace).toBe('shop-prod');
  });

  it('builds one overlay per environment, each from the same base', async () => {
    expect(
      (await createAndSync('shop-staging', 'apps/shop/overlays/staging', 'env=staging')).error,
    ).toBeNull();
    const prod = (await bundleOf('shop-prod', 'prod-1')).find((o) => o.kind === 'Deployment');
    const staging = (await bundleOf('shop-staging', 'stage-1')).find((o) => o.kind === 'Deployment');
    expect(staging?.metadata.namespace).not.toBe(prod?.metadata.namespace);
    expect(staging?.spec?.replicas).not.toBe(prod?.spec?.replicas);
  });

  it('refuses a remote base when the revision is read, naming it, and nothing can start', async () => {
    await repo.commit(
      {
        'apps/remote/kustomization.yaml': 'resources:\n  - https://github.com/example/shop//base?ref=v1\n',
      },
      'remote base',
    );
    const outcome = await createAndSync('remote', 'apps/remote', '');
    expect(outcome.error).toMatch(/https:\/\/github\.com\/example\/shop\/\/base\?ref=v1.*remote resource/);
  });
});
