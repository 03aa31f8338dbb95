import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleDigest } from '@fleetwave/contracts';
import { ApplicationsRepository } from '../../services/hub/src/applications/applications.repository.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { packArtifact, renderManifests, unpackArtifact } from '../../services/hub/src/git/index.js';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../harness/git-server.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub } from './support/hub.js';

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: site
data:
  cluster: \${cluster.name}
`;

/** Files under the application's path besides its manifest: what a Helm chart brings along. */
const OTHER_FILES = {
  'site/README.md': '# the site\n',
  'site/charts/dep-1.0.0.tgz': '\u0000\u00ff\u0001 packaged chart',
  'site/Chart.lock': 'dependencies: []\n',
};

describe('revisions store every file under the path as a content-addressed artifact (real hub and git)', () => {
  let gitRoot: string;
  let git: GitServer;
  let repo: LocalRepo;
  let hub: TestHub;
  let applications: ApplicationsRepository;

  async function createAndSync(name: string): Promise<{ id: string; commit: string }> {
    const { createApplication } = await gqlOk<{ createApplication: { id: string } }>(
      hub,
      `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { id } }`,
      {
        input: {
          name,
          repoUrl: git.url('site'),
          ref: 'main',
          path: 'site',
          targetSelector: 'env=prod',
          syncPolicy: 'manual',
          plan: { waves: [] },
        },
      },
    );
    return { id: createApplication.id, commit: await sync(name) };
  }

  async function sync(name: string): Promise<string> {
    const { syncApplication } = await gqlOk<{ syncApplication: { commit: string; error: string | null } }>(
      hub,
      `mutation($name: String!) { syncApplication(name: $name) { commit error } }`,
      { name },
    );
    expect(syncApplication.error).toBeNull();
    return syncApplication.commit;
  }

  async function previewDigest(name: string): Promise<string> {
    const { previewRollout } = await gqlOk<{
      previewRollout: { waves: { clusters: { digest: string }[] }[]; renderErrors: string[] };
    }>(
      hub,
      `query($name: String!) { previewRollout(application: $name) { waves { clusters { digest } } renderErrors } }`,
      {
        name,
      },
    );
    expect(previewRollout.renderErrors).toEqual([]);
    return previewRollout.waves[0]!.clusters[0]!.digest;
  }

  beforeAll(async () => {
    gitRoot = await mkdtemp(join(tmpdir(), 'fleetwave-artifacts-git-'));
    git = await startGitServer({ root: join(gitRoot, 'served') });
    repo = await createRepo(join(gitRoot, 'served'), 'site');
    await repo.commit({ 'site/config.yaml': CONFIG_MAP, ...OTHER_FILES, 'elsewhere.yaml': 'x: 1\n' }, 'site');
    hub = await startTestHub();
    applications = hub.app.get(ApplicationsRepository);
    await registerCluster(hub, 'east', { env: 'prod' });
  });

  afterAll(async () => {
    await hub?.close();
    await git?.stop();
    await rm(gitRoot, { recursive: true, force: true });
  });

  it('records the files of any type, stored once by digest, and renders the YAML as before', async () => {
    const first = await createAndSync('site-a');
    const second = await createAndSync('site-b');

    const revision = await applications.findRevision(first.id, first.commit);
    const files = { 'site/config.yaml': CONFIG_MAP, ...OTHER_FILES };
    const expected = packArtifact(
      Object.entries(files).map(([path, content]) => ({ path, content: Buffer.from(content) })),
    );
    expect(revision).toMatchObject({ artifactDigest: expected.digest, error: null });
    expect((await applications.findRevision(second.id, second.commit))?.artifactDigest).toBe(expected.digest);
    const stored = await applications.findArtifact(expected.digest);
    expect(stored).toEqual(expected.bytes);
    expect(unpackArtifact(stored!).map((f) => f.path)).toEqual(Object.keys(files).sort());
    const artifacts = await hub.app
      .get(Transactions)
      .manager.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM artifact`);
    expect(artifacts).toEqual([{ count: 1 }]);

    // The bundle is what the template renderer always made of the YAML alone.
    const manifests = renderManifests([{ path: 'site/config.yaml', content: CONFIG_MAP }], {
      cluster: { name: 'east', labels: { env: 'prod' } },
      values: {},
    });
    expect(await previewDigest('site-a')).toBe(bundleDigest(manifests));
  });

  it('a change to a file that is not YAML is a new artifact but the same bundle', async () => {
    const before = await previewDigest('site-a');
    const app = (await applications.findByName('site-a'))!;
    const oldDigest = (await applications.findRevision(app.id, app.latestCommit!))!.artifactDigest;

    await repo.commit({ 'site/README.md': '# the site, now documented\n' }, 'docs');
    const commit = await sync('site-a');

    const revision = await applications.findRevision(app.id, commit);
    expect(revision?.artifactDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(revision?.artifactDigest).not.toBe(oldDigest);
    expect(await previewDigest('site-a')).toBe(before);
  });

  it("records a path without YAML with the renderer's error and no rollout from it", async () => {
    await repo.commit({ 'docs-only/README.md': '# nothing to deploy\n' }, 'docs only');
    await gqlOk(
      hub,
      `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { id } }`,
      {
        input: {
          name: 'docs-only',
          repoUrl: git.url('site'),
          ref: 'main',
          path: 'docs-only',
          syncPolicy: 'manual',
          plan: { waves: [] },
        },
      },
    );
    const { syncApplication } = await gqlOk<{ syncApplication: { error: string | null } }>(
      hub,
      `mutation { syncApplication(name: "docs-only") { error } }`,
    );
    expect(syncApplication.error).toBe('no *.yaml or *.yml files under "docs-only"');
    const app = (await applications.findByName('docs-only'))!;
    expect(await applications.findRevision(app.id, app.latestCommit!)).toMatchObject({
      artifactDigest: expect.stringMatching(/^sha256:/),
      error: 'no *.yaml or *.yml files under "docs-only"',
    });
    const started = await gql(hub, `mutation { startRollout(application: "docs-only") { id } }`);
    expect(codes(started)).toEqual(['FAILED_PRECONDITION']);
  });
});
