/**
 * Staged rollouts end to end: six real clusters (test/kube), the built agent in each, real Kafka and
 * Postgres, the hub, and a git repository served over HTTP that the test commits to. Pushes reach
 * the hub as signed GitHub webhooks. Each test builds on the previous one: first deploy, a change
 * that walks the waves, then a broken change that must stop in the canary and roll back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHubApp } from '../../services/hub/src/app.factory.js';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { type RolloutDetail, RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { type RolloutRecord } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { sendPushWebhook } from '../harness/git-push.js';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../harness/git-server.js';
import { hubConfigFor } from '../harness/hub-config.js';
import { startKafka, type KafkaServer } from '../harness/kafka.js';
import { freePort } from '../harness/net.js';
import { agentBin } from '../harness/paths.js';
import { createDatabase, type PostgresServer, startPostgres } from '../harness/postgres.js';
import { type ManagedProcess, startManagedProcess } from '../harness/process.js';
import { waitFor } from '../harness/wait-for.js';
import { type Fleet, type FleetCluster, kubectl, randomSuffix, startFleet } from '../kube/fleet.js';

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
  let fleet: Fleet | undefined;
  let kafka: KafkaServer | undefined;
  let postgres: PostgresServer | undefined;
  let git: GitServer | undefined;
  let repo: LocalRepo;
  let hub: NestFastifyApplication | undefined;
  let hubUrl: string;
  let workDir: string;
  const agents: ManagedProcess[] = [];
  const names: string[] = [];

  const k = (cluster: FleetCluster, ...args: string[]) => kubectl(fleet!.binaries, cluster, args);
  const rollouts = () => hub!.get(RolloutsService);

  async function push(commit: string): Promise<void> {
    const answer = await sendPushWebhook({
      hubUrl,
      secret: WEBHOOK_SECRET,
      repoUrl: git!.url('fleet'),
      commit,
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ event: 'push', applications: ['web'] });
  }

  /** The rollout the hub started for `commit` (auto sync policy), once it is in `state`. */
  async function rolloutOf(commit: string, state: RolloutRecord['state'], timeoutMs = 180_000) {
    return waitFor(
      async () => {
        const page = await rollouts().list({ application: 'web', first: 20 });
        const found = page.rollouts.find((r) => r.commit === commit && r.kind === 'rollout');
        return found?.state === state ? found : undefined;
      },
      {
        description: `rollout of ${commit.slice(0, 8)} ${state} (agent log: ${agents[0]?.logTail(3) ?? ''})`,
        timeoutMs,
        intervalMs: 250,
      },
    );
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
    workDir = await mkdtemp(path.join(os.tmpdir(), 'fw-rollout-e2e-'));
    const started = await Promise.allSettled([
      startFleet({ clusters: CLUSTERS.length, namePrefix: `ro-${randomSuffix()}` }),
      startKafka({ log: () => undefined }),
      startPostgres(),
      startGitServer({ root: path.join(workDir, 'git') }),
    ]);
    const [f, kf, pg, g] = started;
    if (f.status === 'fulfilled') fleet = f.value;
    if (kf.status === 'fulfilled') kafka = kf.value;
    if (pg.status === 'fulfilled') postgres = pg.value;
    if (g.status === 'fulfilled') git = g.value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;

    repo = await createRepo(path.join(workDir, 'git'), 'fleet');
    const config = hubConfigFor(
      {
        databaseUrl: await createDatabase(postgres!.adminUrl, 'fleetwave_e2e'),
        brokers: kafka!.brokers,
        gitDir: path.join(workDir, 'mirrors'),
      },
      {
        database: { poolSize: 8 },
        reports: { partitions: 3 },
        git: { webhookSecret: WEBHOOK_SECRET },
        rollouts: { passIntervalSeconds: 2 },
      },
    );
    hub = await createHubApp(config);
    await hub.listen({ host: '127.0.0.1', port: 0 });
    hubUrl = await hub.getUrl();

    const { secret } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: CLUSTERS.length });
    for (const [i, cluster] of fleet!.clusters.entries()) {
      const labels = CLUSTERS[i]!;
      const name = `${labels.env}-${labels.region}-${i}`;
      names.push(name);
      agents.push(
        startManagedProcess(agentBin, [], {
          logFile: path.join(workDir, `agent-${name}.log`),
          env: {
            ...process.env,
            AGENT_HUB_URL: hubUrl,
            AGENT_KAFKA_BROKERS: kafka!.brokers.join(','),
            AGENT_CLUSTER_NAME: name,
            AGENT_CLUSTER_LABELS: `env=${labels.env},region=${labels.region}`,
            AGENT_REGISTRATION_TOKEN: secret,
            AGENT_KUBECONFIG: cluster.kubeconfigPath,
            AGENT_KUBE_CONTEXT: cluster.context,
            AGENT_CACHE_DIR: path.join(workDir, `cache-${i}`),
            AGENT_HEALTH_HOST: '127.0.0.1',
            AGENT_HEALTH_PORT: String(await freePort()),
            AGENT_RESYNC_SECONDS: '60',
            LOG_LEVEL: 'info',
          },
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.allSettled(agents.map((a) => a.stop()));
    await hub?.close().catch(() => undefined);
    await Promise.allSettled([fleet?.stop(), kafka?.stop(), postgres?.stop(), git?.stop()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('deploys the first commit to all six clusters with per-cluster values', async () => {
    const first = await repo.commit(manifests({ greeting: 'hello' }), 'web: first version');
    // All six agents registered before the application exists: creating it fetches the repository
    // at once and starts the first rollout, which picks its clusters then.
    await waitFor(
      async () => (await hub!.get(ClustersService).list({ first: 0 })).totalCount === CLUSTERS.length,
      { description: 'six clusters registered', timeoutMs: 120_000, intervalMs: 500 },
    );
    await hub!.get(ApplicationsService).create(ADMIN, {
      name: 'web',
      repoUrl: git!.url('fleet'),
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
    for (const [i, cluster] of fleet!.clusters.entries()) {
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
    for (const cluster of fleet!.clusters) {
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

    const canary = fleet!.clusters[0]!;
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
    for (const cluster of fleet!.clusters.slice(1)) {
      expect(
        await k(cluster, 'get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data.greeting}'),
      ).toBe('hi there');
    }
  });
});
