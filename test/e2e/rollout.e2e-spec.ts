/**
 * Staged rollouts end to end: six real clusters (test/kube), the built agent in each, real Kafka and
 * Postgres, the hub, and a git repository served over HTTP that the test commits to. Pushes reach
 * the hub as signed GitHub webhooks. Each test builds on the previous one: first deploy, a change
 * that walks the waves, then a broken change that must stop in the canary and roll back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { type RolloutDetail, RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { type RolloutRecord } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { type LocalRepo } from '../harness/git-server.js';
import { waitFor } from '../harness/wait-for.js';
import { type Fleet, type FleetCluster, kubectl, randomSuffix } from '../kube/fleet.js';
import { RealFleetHub } from './support/real-fleet-hub.js';

const ADMIN = { name: 'e2e-admin', role: 'admin' as const };
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const NS = 'web';
const CLUSTERS = [
  { env: 'staging', region: 'eu' },
  { env: 'staging', region: 'us' },
  { env: 'prod', region: 'eu' },
  { env: 'prod', region: 'us' },
  { env: 'prod', region: 'eu' },
  { env: 'prod', region: 'us' },
];

function manifests(options: { greeting: string; broken?: boolean }): Record<string, string> {
  return {
    'deploy/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`,
    'deploy/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${NS}
data:
  greeting: ${options.greeting}
  cluster: \${cluster.name}
  region: \${cluster.labels.region}
`,
    'deploy/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: \${values.replicas}
  progressDeadlineSeconds: 10
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      ${options.broken ? 'nodeSelector: { fleetwave.io/no-such-node: "true" }' : 'nodeSelector: {}'}
      containers:
        - name: web
          image: registry.invalid/web:1
`,
  };
}

describe('staged rollouts across a real fleet', () => {
  let stack: RealFleetHub | undefined;
  let repo: LocalRepo;
  let hub: NestFastifyApplication;
  let fleet: Fleet;
  const names: string[] = [];

  const k = (cluster: FleetCluster, ...args: string[]) => kubectl(fleet.binaries, cluster, args);
  const rollouts = () => hub.get(RolloutsService);

  async function push(commit: string): Promise<void> {
    const answer = await stack!.push(commit);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ event: 'push', applications: ['web'] });
  }

  /** The rollout the hub started for `commit` (auto sync policy), once it is in `state`. */
  function rolloutOf(commit: string, state: RolloutRecord['state']) {
    return stack!.rolloutOf({ application: 'web', commit, state });
  }

  function expectWaveOrder(detail: RolloutDetail): void {
    const healthyAt = detail.waves.map((w) => w.healthyAt?.getTime());
    for (const cluster of detail.clusters) {
      const index = detail.waves.findIndex((w) => w.name === cluster.wave);
      if (index > 0 && cluster.assignedAt !== null) {
        expect(cluster.assignedAt.getTime()).toBeGreaterThanOrEqual(healthyAt[index - 1]!);
      }
    }
  }

  beforeAll(async () => {
    stack = await RealFleetHub.start({
      clusters: CLUSTERS.length,
      name: `ro-${randomSuffix()}`,
      webhookSecret: WEBHOOK_SECRET,
    });
    ({ repo, hub, fleet } = stack);
    const { secret } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: CLUSTERS.length });
    for (const [i, cluster] of fleet.clusters.entries()) {
      const labels = CLUSTERS[i]!;
      const name = `${labels.env}-${labels.region}-${i}`;
      names.push(name);
      await stack.startAgent(cluster, { name, labels, token: secret });
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('deploys the first commit to all six clusters with per-cluster values', async () => {
    const first = await repo.commit(manifests({ greeting: 'hello' }), 'web: first version');
    // All six agents registered before the application exists: creating it fetches the repository
    // at once and starts the first rollout, which picks its clusters then.
    await waitFor(
      async () => (await hub.get(ClustersService).list({ first: 0 })).totalCount === CLUSTERS.length,
      { description: 'six clusters registered', timeoutMs: 120_000, intervalMs: 500 },
    );
    await hub.get(ApplicationsService).create(ADMIN, {
      name: 'web',
      repoUrl: stack!.git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      targetSelector: 'env in (staging, prod)',
      valuesRules: [
        { selector: 'env=prod', values: { replicas: 2 } },
        { selector: '', values: { replicas: 1 } },
      ],
      plan: {
        waves: [
          { name: 'canary', selector: 'env=staging,region=eu', progressDeadlineSeconds: 60 },
          { name: 'staging', selector: 'env=staging', progressDeadlineSeconds: 60 },
          { name: 'prod', selector: 'env=prod', maxConcurrency: 2, progressDeadlineSeconds: 60 },
        ],
        autoRollback: true,
      },
      pollIntervalSeconds: 3600,
    });
    await push(first);
    const rollout = await rolloutOf(first, 'Succeeded');
    const detail = await rollouts().detail(rollout.id);
    expect(detail.waves.map((w) => [w.name, w.size])).toEqual([
      ['canary', 1],
      ['staging', 1],
      ['prod', 4],
      ['rest', 0],
    ]);
    expect(detail.clusters.every((c) => c.phase === 'Healthy')).toBe(true);
    expectWaveOrder(detail);
    for (const [i, cluster] of fleet.clusters.entries()) {
      const data = JSON.parse(
        await k(cluster, 'get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data}'),
      );
      expect(data).toEqual({ greeting: 'hello', cluster: names[i], region: CLUSTERS[i]!.region });
      const replicas = await k(
        cluster,
        'get',
        'deployment',
        'web',
        '-n',
        NS,
        '-o',
        'jsonpath={.spec.replicas}',
      );
      expect(replicas).toBe(CLUSTERS[i]!.env === 'prod' ? '2' : '1');
    }
  });

  it('moves a change wave by wave to all six clusters', async () => {
    const second = await repo.commit(manifests({ greeting: 'hi there' }), 'web: friendlier greeting');
    await push(second);
    const rollout = await rolloutOf(second, 'Succeeded');
    const detail = await rollouts().detail(rollout.id);
    expect(detail.clusters.filter((c) => c.phase === 'Healthy')).toHaveLength(6);
    expectWaveOrder(detail);
    for (const cluster of fleet.clusters) {
      expect(
        await k(cluster, 'get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data.greeting}'),
      ).toBe('hi there');
    }
  });

  it('stops a broken change in the canary and rolls it back; later waves never get it', async () => {
    const good = (await rollouts().list({ application: 'web', states: ['Succeeded'], first: 1 }))
      .rollouts[0]!;
    const broken = await repo.commit(
      manifests({ greeting: 'broken', broken: true }),
      'web: pin to a missing node',
    );
    await push(broken);
    const failed = await rolloutOf(broken, 'RolledBack');
    expect(failed.message).toBe('wave canary: 1/1 failed, budget 0');
    const detail = await rollouts().detail(failed.id);
    const assigned = detail.clusters.filter((c) => c.assignedAt !== null).map((c) => c.wave);
    expect(assigned).toEqual(['canary']);
    const rollback = await rollouts().get(failed.rolledBackBy!);
    expect(rollback).toMatchObject({ kind: 'rollback', state: 'Succeeded', commit: good.commit });

    const canary = fleet.clusters[0]!;
    expect(await k(canary, 'get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data.greeting}')).toBe(
      'hi there',
    );
    expect(
      await k(
        canary,
        'get',
        'deployment',
        'web',
        '-n',
        NS,
        '-o',
        'jsonpath={.spec.template.spec.nodeSelector}',
      ),
    ).toBe('');
    for (const cluster of fleet.clusters.slice(1)) {
      expect(
        await k(cluster, 'get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data.greeting}'),
      ).toBe('hi there');
    }
  });
});
