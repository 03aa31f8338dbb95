/**
 * End-to-end check of the fleet harness against real control planes:
 * 3 clusters (etcd + kube-apiserver + kube-controller-manager + kube-scheduler
 * + kwok fake node each), driven with @kubernetes/client-node server-side apply.
 *
 * The Deployment conditions asserted here are set by the real
 * kube-controller-manager; kwok only plays the kubelet (marks pods Running/Ready).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Deployment,
  type V1DeploymentCondition,
  type V1Namespace,
} from '@kubernetes/client-node';

import { waitForObserved } from '../harness/wait-for.js';
import {
  ensureKubeBinaries,
  type Fleet,
  type FleetCluster,
  kubectl,
  randomSuffix,
  startFleet,
} from '../kube/fleet.js';

const CLUSTERS = 3;
const FIELD_MANAGER = 'fleetwave-e2e';
// A cold build-kube.sh takes ~15 min on 2 cores (~30 s once the Go caches are warm); CI should run it as a step of its own first.
const BUILD_TIMEOUT_MS = 45 * 60_000;
const START_TIMEOUT_MS = CLUSTERS * 180_000;

let fleet: Fleet | undefined;
const namespace = `fw-e2e-${randomSuffix()}`;

function clustersOf(f: Fleet | undefined): FleetCluster[] {
  if (!f) throw new Error('fleet did not start (see beforeAll)');
  return f.clusters;
}

function objectApi(cluster: FleetCluster): KubernetesObjectApi {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  kc.setCurrentContext(cluster.context);
  return KubernetesObjectApi.makeApiClient(kc);
}

function namespaceObject(): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER } },
  };
}

function deploymentObject(
  name: string,
  extra: { nodeSelector?: Record<string, string>; progressDeadlineSeconds?: number } = {},
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      progressDeadlineSeconds: extra.progressDeadlineSeconds,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: extra.nodeSelector,
          // kwok never pulls images: any reference will do.
          containers: [{ name: 'app', image: 'fleetwave/demo:1' }],
        },
      },
    },
  };
}

async function apply<T extends V1Namespace | V1Deployment>(api: KubernetesObjectApi, obj: T): Promise<T> {
  return api.patch<T>(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

async function readDeployment(api: KubernetesObjectApi, name: string): Promise<V1Deployment> {
  return api.read<V1Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace } });
}

function condition(d: V1Deployment, type: string): V1DeploymentCondition | undefined {
  return d.status?.conditions?.find((c) => c.type === type);
}

function describeConditions(d: V1Deployment): string {
  const cs = d.status?.conditions ?? [];
  return `replicas=${d.status?.replicas ?? 0} available=${d.status?.availableReplicas ?? 0} conditions=[${cs
    .map((c) => `${c.type}=${c.status}(${c.reason ?? ''})`)
    .join(', ')}]`;
}

beforeAll(async () => {
  const binaries = await ensureKubeBinaries();
  fleet = await startFleet({ clusters: CLUSTERS, nodesPerCluster: 1, namePrefix: 'e2e', binaries });
}, BUILD_TIMEOUT_MS + START_TIMEOUT_MS);

afterAll(async () => {
  await fleet?.stop();
}, 120_000);

describe('fleet of real clusters', () => {
  it('returns one kubeconfig and context per cluster', () => {
    const clusters = clustersOf(fleet);
    expect(clusters.map((c) => c.name)).toEqual(['e2e-1', 'e2e-2', 'e2e-3']);
    expect(new Set(clusters.map((c) => c.server)).size).toBe(CLUSTERS);
    for (const c of clusters) expect(c.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('each cluster has a Ready node (kubectl get nodes)', async () => {
    const f = fleet;
    if (!f) throw new Error('fleet did not start');
    for (const c of f.clusters) {
      // Only the returned kubeconfig: its current-context is the cluster's context.
      const out = await kubectl(f.binaries, c, ['get', 'nodes', '--no-headers']);
      const rows = out
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/));
      expect(rows.some((cols) => cols[1] === 'Ready')).toBe(true);
    }
  });

  it('server-side-applied Deployments become Available in every cluster', async () => {
    const clusters = clustersOf(fleet);
    await Promise.all(
      clusters.map(async (c) => {
        const api = objectApi(c);
        const ns = await apply(api, namespaceObject());
        expect(ns.metadata?.name).toBe(namespace);
        const applied = await apply(api, deploymentObject('web'));
        expect(
          applied.metadata?.managedFields?.some(
            (m) => m.manager === FIELD_MANAGER && m.operation === 'Apply',
          ),
        ).toBe(true);
        const done = await waitForObserved(`${c.name}: deployment web Available=True`, 90_000, async () => {
          const d = await readDeployment(api, 'web');
          const available = condition(d, 'Available');
          return { done: available?.status === 'True' ? d : undefined, observed: describeConditions(d) };
        });
        expect(done.status?.availableReplicas).toBe(2);
        expect(condition(done, 'Available')?.reason).toBe('MinimumReplicasAvailable');
      }),
    );
  }, 240_000);

  it('an unschedulable Deployment reports ProgressDeadlineExceeded within its deadline', async () => {
    const clusters = clustersOf(fleet);
    const deadlineSeconds = 10;
    const marginMs = 30_000; // controller resync + 2-core scheduling noise
    await Promise.all(
      clusters.map(async (c) => {
        const api = objectApi(c);
        await apply(api, namespaceObject());
        const started = Date.now();
        await apply(
          api,
          deploymentObject('stuck', {
            nodeSelector: { 'fleetwave.io/no-such-node': 'true' },
            progressDeadlineSeconds: deadlineSeconds,
          }),
        );
        const d = await waitForObserved(
          `${c.name}: deployment stuck Progressing=False/ProgressDeadlineExceeded`,
          deadlineSeconds * 1000 + marginMs,
          async () => {
            const dep = await readDeployment(api, 'stuck');
            const p = condition(dep, 'Progressing');
            const hit = p?.status === 'False' && p.reason === 'ProgressDeadlineExceeded';
            return { done: hit ? dep : undefined, observed: describeConditions(dep) };
          },
        );
        const elapsed = Date.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(deadlineSeconds * 1000 - 2_000);
        expect(d.status?.availableReplicas ?? 0).toBe(0);
        expect(condition(d, 'Available')?.status).toBe('False');
      }),
    );
  }, 120_000);
});
