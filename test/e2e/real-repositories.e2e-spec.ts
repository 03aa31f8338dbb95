/**
 * Real repositories on a real fleet: three kwok-backed clusters (test/kube), the built agent in
 * each, real Kafka and Postgres, the hub, a git server, and a real OCI registry (the CNCF
 * distribution registry, test/harness/oci-registry.ts) the test `helm push`es to.
 *
 *  - A chart pulled from the registry by version range, with values from the application, a values
 *    file in git and a rule per label group, goes out wave by wave: the canary first, the rest only
 *    once approved; kubectl shows each cluster's replicas and name. A new chart version pushed to
 *    the registry starts the next rollout, which reaches every cluster.
 *  - The Kustomize fixture repository, one application per overlay: each environment's clusters run
 *    their overlay's objects, with `${cluster.labels.region}` filled in per cluster.
 *
 * The tests build on each other in order. The test chart's pre-install/pre-upgrade hook Job is left
 * out of the packaged copy: hooks are tested on their own.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { fixtureFiles } from '../harness/fixture-files.js';
import { graphqlClient } from '../harness/graphql-client.js';
import { packageChart, runHelm } from '../harness/helm-repo-server.js';
import { type OciRegistry, startOciRegistry } from '../harness/oci-registry.js';
import { repoRoot } from '../harness/paths.js';
import { StopWaiting, waitFor } from '../harness/wait-for.js';
import { type FleetCluster, kubectl, randomSuffix } from '../kube/fleet.js';
import { RealFleetHub } from './support/real-fleet-hub.js';

const ADMIN = { name: 'e2e-admin', role: 'admin' as const };
const ADMIN_TOKEN = 'e2e-real-repositories-admin-token-0123456789';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const CHART_FIXTURE = path.join(repoRoot, 'test/fixtures/charts/web');
const KUSTOMIZE_FIXTURE = path.join(repoRoot, 'services/hub/test-fixtures/kustomize/repo');

/** One cluster per fleet cluster, in order: the staging canary first. */
const CLUSTERS: { name: string; labels: Record<string, string> }[] = [
  { name: 'canary-eu', labels: { env: 'staging', ring: 'canary', region: 'eu-west' } },
  { name: 'prod-us', labels: { env: 'prod', region: 'us-east' } },
  { name: 'prod-eu', labels: { env: 'prod', region: 'eu-central' } },
];
const CANARY = CLUSTERS[0]!;
const PROD = CLUSTERS.slice(1);

/** The chart's objects: release `web` (the application's name) in the application's namespace. */
const RELEASE_NS = 'default';
const DEPLOYMENT = 'web-web';
const SETTINGS = 'web-web-settings';

interface RolloutView {
  id: string;
  commit: string;
  state: string;
  message: string | null;
  waves: { name: string; size: number; healthyAt: string | null }[];
  clusters: {
    name: string;
    wave: string;
    phase: string;
    assignedAt: string | null;
    targetDigest: string | null;
  }[];
}

/** Rollout states nothing leaves: waiting longer for another one cannot help. */
const FINISHED = new Set(['Succeeded', 'Failed', 'RolledBack', 'Aborted', 'Superseded']);

const ROLLOUT_FIELDS = `id commit state message
  waves { name size healthyAt }
  clusters { name wave phase assignedAt targetDigest }`;

describe('real repositories (an OCI chart, kustomize overlays) on a real fleet', () => {
  let stack: RealFleetHub | undefined;
  let registry: OciRegistry | undefined;
  let helmHome: string;
  let pushChart: (version: string) => Promise<void>;

  const gql = graphqlClient(() => stack!.hubUrl, ADMIN_TOKEN);
  const clusterOf = (name: string): FleetCluster =>
    stack!.fleet.clusters[CLUSTERS.findIndex((c) => c.name === name)]!;
  const k = (name: string, ...args: string[]) => kubectl(stack!.fleet.binaries, clusterOf(name), args);
  const agentLogs = () => stack?.agents.map((a) => a.logTail(3)).join('\n') ?? '';

  async function createApplication(input: Record<string, unknown>): Promise<void> {
    await gql(`mutation($input: CreateApplicationInput!) { createApplication(input: $input) { id } }`, {
      input: { repoUrl: stack!.git.url('fleet'), ref: 'main', pollIntervalSeconds: 3600, ...input },
    });
  }

  /** Syncs `application` now; resolves to the revision it is at (a new chart version makes a new one). */
  async function sync(application: string): Promise<string> {
    const { syncApplication } = await gql<{
      syncApplication: { commit: string | null; error: string | null };
    }>(`mutation($n: String!) { syncApplication(name: $n) { commit error } }`, { n: application });
    expect(syncApplication.error).toBeNull();
    return syncApplication.commit!;
  }

  /** The rollout of `application` to revision `commit` once `accept` holds; on a time-out, the last one seen. */
  async function rolloutOf(
    application: string,
    commit: string,
    accept: (r: RolloutView) => boolean,
  ): Promise<RolloutView> {
    let last: RolloutView | undefined;
    try {
      return await waitFor(
        async () => {
          const { application: app } = await gql<{
            application: { rollouts: { edges: { node: RolloutView }[] } };
          }>(
            `query($n: String!) { application(name: $n) { rollouts(first: 10) { edges { node { ${ROLLOUT_FIELDS} } } } } }`,
            { n: application },
          );
          last = app.rollouts.edges.map((e) => e.node).find((r) => r.commit === commit);
          if (last === undefined) return undefined;
          if (accept(last)) return last;
          if (FINISHED.has(last.state)) throw new StopWaiting(`it finished ${last.state}: ${last.message}`);
          return undefined;
        },
        {
          description: `the rollout of ${application} at ${commit.slice(0, 8)}`,
          timeoutMs: 180_000,
          intervalMs: 250,
        },
      );
    } catch (error) {
      throw new Error(`${String(error)}; last seen: ${JSON.stringify(last)}; agents:\n${agentLogs()}`, {
        cause: error,
      });
    }
  }

  const inState = (state: string) => (r: RolloutView) => r.state === state;

  async function approve(rollout: RolloutView, wave: string): Promise<void> {
    await gql(`mutation($id: ID!, $wave: String) { approveWave(id: $id, wave: $wave) { id } }`, {
      id: rollout.id,
      wave,
    });
  }

  /**
   * The chart's Deployment on one cluster as kubectl shows it: `web-1.2.0 2/2` (chart, replicas
   * wanted/ready), or '' when it has none.
   */
  const deploymentOn = (name: string) =>
    k(
      name,
      'get',
      'deployment',
      DEPLOYMENT,
      '-n',
      RELEASE_NS,
      '--ignore-not-found',
      '-o',
      'jsonpath={.metadata.labels.helm\\.sh/chart} {.spec.replicas}/{.status.readyReplicas}',
    );

  /** The chart version the cluster's Deployment was rendered from, '' when it has none. */
  const chartOn = async (name: string) => (await deploymentOn(name)).split(' ')[0];

  /** What kubectl shows of the chart on one cluster: its version, replicas and settings. */
  async function chartState(name: string) {
    const [chart, replicas] = (await deploymentOn(name)).split(' ');
    const settings = JSON.parse(
      await k(name, 'get', 'configmap', SETTINGS, '-n', RELEASE_NS, '-o', 'jsonpath={.data}'),
    ) as Record<string, string>;
    return { chart, replicas, settings };
  }

  function expectCanaryFirst(rollout: RolloutView): void {
    const canaryHealthy = Date.parse(rollout.waves.find((w) => w.name === 'canary')!.healthyAt!);
    for (const c of rollout.clusters.filter((c) => c.wave === 'rest')) {
      expect(Date.parse(c.assignedAt!)).toBeGreaterThanOrEqual(canaryHealthy);
    }
  }

  beforeAll(async () => {
    stack = await RealFleetHub.start({
      clusters: CLUSTERS.length,
      name: `rr-${randomSuffix()}`,
      webhookSecret: WEBHOOK_SECRET,
      hub: { auth: { bootstrapAdminToken: ADMIN_TOKEN } },
    });
    const { hub, fleet, workDir } = stack;
    registry = await startOciRegistry();

    // The test chart without its hook Job, packaged at each version the test publishes.
    helmHome = path.join(workDir, 'helm-home');
    const chart = path.join(workDir, 'web-chart');
    const packages = path.join(workDir, 'packages');
    await cp(CHART_FIXTURE, chart, { recursive: true });
    await rm(path.join(chart, 'templates/migrate-job.yaml'));
    await mkdir(packages);
    pushChart = async (version) => {
      const archive = await packageChart(helmHome, chart, version, workDir, packages);
      await runHelm(helmHome, ['push', archive, `oci://${registry!.host}/charts`, '--plain-http']);
    };
    await pushChart('1.2.0');

    const { secret: token } = await hub.get(RegistrationService).createToken(ADMIN, {
      maxUses: CLUSTERS.length,
    });
    await Promise.all(CLUSTERS.map((c, i) => stack!.startAgent(fleet.clusters[i]!, { ...c, token })));
    await waitFor(
      async () => (await hub.get(ClustersService).list({ first: 0 })).totalCount === CLUSTERS.length,
      { description: `${CLUSTERS.length} clusters registered`, timeoutMs: 120_000, intervalMs: 500 },
    );
  });

  afterAll(async () => {
    await registry?.stop();
    await stack?.stop();
  });

  it('rolls a chart from the OCI registry out wave by wave, with values per cluster', async () => {
    const gitCommit = await stack!.repo.commit(
      { 'web/values-fleet.yaml': 'greeting: hello from git\n' },
      'web: the fleet values file',
    );
    await createApplication({
      name: 'web',
      path: 'web',
      chart: { repository: `oci://${registry!.host}/charts`, name: 'web', version: '^1.0.0' },
      defaultNamespace: RELEASE_NS,
      targetSelector: 'env in (staging, prod)',
      // Application values < values files < matching rules.
      values: {
        replicaCount: 1,
        greeting: 'from the application',
        extra: { cluster: '${cluster.name}', region: '${cluster.labels.region}' },
      },
      valuesFiles: ['values-fleet.yaml'],
      valuesRules: [{ selector: 'env=prod', values: { replicaCount: 2 } }],
      plan: {
        waves: [{ name: 'canary', selector: 'ring=canary', progressDeadlineSeconds: 120 }],
        rest: { maxConcurrency: 2, requireApproval: true, progressDeadlineSeconds: 120 },
      },
    });
    const revision = await sync('web');
    const { application } = await gql<{
      application: { revisions: { commit: string; gitCommit: string; chart: { version: string } | null }[] };
    }>(`query { application(name: "web") { revisions { commit gitCommit chart { version } } } }`);
    expect(application.revisions).toEqual([{ commit: revision, gitCommit, chart: { version: '1.2.0' } }]);

    // The canary wave is done and the rest waits for approval: only the canary has the chart.
    const waiting = await rolloutOf('web', revision, inState('AwaitingApproval'));
    expect(waiting.waves.map((w) => [w.name, w.size, w.healthyAt !== null])).toEqual([
      ['canary', 1, true],
      ['rest', 2, false],
    ]);
    expect(waiting.clusters.map((c) => [c.name, c.wave, c.phase, c.assignedAt !== null])).toEqual([
      ['canary-eu', 'canary', 'Healthy', true],
      ['prod-eu', 'rest', 'Pending', false],
      ['prod-us', 'rest', 'Pending', false],
    ]);
    expect(await chartState(CANARY.name)).toEqual({
      chart: 'web-1.2.0',
      replicas: '1/1',
      settings: expect.objectContaining({
        greeting: 'hello from git',
        cluster: 'canary-eu',
        region: 'eu-west',
      }) as unknown,
    });
    for (const c of PROD) expect(await chartOn(c.name)).toBe('');

    await approve(waiting, 'rest');
    const done = await rolloutOf('web', revision, inState('Succeeded'));
    expect(done.clusters.every((c) => c.phase === 'Healthy')).toBe(true);
    expectCanaryFirst(done);
    // The two prod clusters share the rule's replicas but not their names: two bundles.
    expect(new Set(done.clusters.map((c) => c.targetDigest)).size).toBe(3);
    for (const c of PROD) {
      expect(await chartState(c.name)).toEqual({
        chart: 'web-1.2.0',
        replicas: '2/2',
        settings: expect.objectContaining({
          greeting: 'hello from git',
          cluster: c.name,
          region: c.labels.region,
        }) as unknown,
      });
    }
  });

  it('starts a rollout for a new chart version in the registry, canary first, and reaches every cluster', async () => {
    const before = await sync('web');
    await pushChart('1.3.0');

    const revision = await sync('web');
    expect(revision).not.toBe(before);
    const waiting = await rolloutOf('web', revision, inState('AwaitingApproval'));
    expect(await chartOn(CANARY.name)).toBe('web-1.3.0');
    for (const c of PROD) expect(await chartOn(c.name)).toBe('web-1.2.0');

    await approve(waiting, 'rest');
    const done = await rolloutOf('web', revision, inState('Succeeded'));
    expectCanaryFirst(done);
    for (const c of CLUSTERS) {
      const state = await chartState(c.name);
      expect(state.chart).toBe('web-1.3.0');
      expect(state.replicas).toBe(c.labels.env === 'prod' ? '2/2' : '1/1');
      expect(state.settings.cluster).toBe(c.name);
    }
  });

  it('runs each environment’s kustomize overlay on its clusters, with the region filled in per cluster', async () => {
    // The overlays put everything in their own namespace; the agent creates no namespace by
    // inference, so each overlay here also lists its Namespace object.
    const files = fixtureFiles(KUSTOMIZE_FIXTURE);
    for (const env of ['staging', 'prod']) {
      const dir = `apps/shop/overlays/${env}`;
      const kustomization = files[`${dir}/kustomization.yaml`]!;
      expect(kustomization).toContain('  - ../../base\n');
      files[`${dir}/kustomization.yaml`] = kustomization.replace(
        '  - ../../base\n',
        '  - ../../base\n  - namespace.yaml\n',
      );
      files[`${dir}/namespace.yaml`] = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop-${env}\n`;
    }
    await stack!.repo.commit(files, 'shop: base, component, staging and prod overlays');
    for (const env of ['staging', 'prod']) {
      await createApplication({
        name: `shop-${env}`,
        path: `apps/shop/overlays/${env}`,
        targetSelector: `env=${env}`,
        plan: { waves: [], rest: { maxConcurrency: 2, progressDeadlineSeconds: 120 } },
      });
    }
    const [staging, prod] = await Promise.all(
      ['staging', 'prod'].map(async (env) => {
        const revision = await sync(`shop-${env}`);
        return rolloutOf(`shop-${env}`, revision, inState('Succeeded'));
      }),
    );
    expect(staging!.clusters.map((c) => c.name)).toEqual(['canary-eu']);
    expect(prod!.clusters.map((c) => c.name).sort()).toEqual(['prod-eu', 'prod-us']);
    // One build per overlay, substituted per cluster: each prod cluster has a bundle of its own.
    expect(new Set(prod!.clusters.map((c) => c.targetDigest)).size).toBe(2);

    const shopOn = async (cluster: string, namespace: string, deployment: string) => {
      const d = JSON.parse(
        await k(cluster, 'get', 'deployment', deployment, '-n', namespace, '-o', 'json'),
      ) as {
        spec: {
          replicas: number;
          template: { spec: { containers: { image: string; env: { name: string; value: string }[] }[] } };
        };
        status: { readyReplicas?: number };
      };
      const container = d.spec.template.spec.containers[0]!;
      return {
        replicas: `${d.spec.replicas}/${d.status.readyReplicas ?? 0}`,
        image: container.image,
        env: Object.fromEntries(container.env.map((e) => [e.name, e.value])),
      };
    };
    const namespaces = async (cluster: string) =>
      (await k(cluster, 'get', 'namespaces', '-o', 'jsonpath={.items[*].metadata.name}'))
        .split(' ')
        .filter((n) => n.startsWith('shop-'));

    expect(await namespaces(CANARY.name)).toEqual(['shop-staging']);
    expect(await shopOn(CANARY.name, 'shop-staging', 'staging-shop')).toEqual({
      replicas: '2/2',
      image: 'registry.example/shop:1.0.0',
      env: { CLUSTER: 'canary-eu', REGION: 'eu-west', GREETING: '${not-a-placeholder}' },
    });
    for (const c of PROD) {
      expect(await namespaces(c.name)).toEqual(['shop-prod']);
      expect(await shopOn(c.name, 'shop-prod', 'shop')).toEqual({
        replicas: '5/5',
        image: 'registry.example/shop:1.2.0',
        env: { CLUSTER: c.name, REGION: c.labels.region, GREETING: '${not-a-placeholder}' },
      });
    }
  });
});
