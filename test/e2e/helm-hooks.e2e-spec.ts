/**
 * Helm hooks and immutable fields end to end: a real cluster (test/kube, whose kwok stages run the
 * Pods of Jobs to completion), the built agent, real Kafka and Postgres, the hub, and a git
 * repository with two applications in the shape `helm template` renders (hand-written here, so this
 * does not depend on a Helm renderer). What the cluster runs is read with kubectl; what the agent
 * reports through GraphQL; settings are made with fleetctl. The tests build on each other in order.
 *
 * - `shop`: a Deployment with a pre-install/pre-upgrade migration Job (hook-succeeded), a
 *   post-install/post-upgrade ConfigMap hook and a test Pod hook. The upgrade's Job can run only on
 *   a node labelled for it, so the test decides when it completes: the Deployment must not change
 *   before.
 * - `api`: two Deployments whose selectors change, one annotated `fleetwave.io/recreate: "true"`.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { runFleetctl } from '../harness/fleetctl.js';
import { graphqlClient } from '../harness/graphql-client.js';
import { type ManagedProcess } from '../harness/process.js';
import { waitFor } from '../harness/wait-for.js';
import { type Fleet, type FleetCluster, kubectl, randomSuffix } from '../kube/fleet.js';
import { RealFleetHub } from './support/real-fleet-hub.js';

const ADMIN = { name: 'e2e-admin', role: 'admin' as const };
const ADMIN_TOKEN = 'e2e-hooks-admin-token-0123456789';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
/** The label a node needs to run the upgrade's migration Job. */
const HOOK_NODE_LABEL = 'fleetwave.io/e2e-hook-node';

/** `shop` at chart version `version`, as `helm template` prints it. */
function shop(version: '1.0.0' | '2.0.0'): Record<string, string> {
  const gated = version === '2.0.0' ? `\n      nodeSelector:\n        ${HOOK_NODE_LABEL}: ready` : '';
  return {
    'shop/rendered.yaml': `---
# Source: shop/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: shop
    helm.sh/chart: shop-${version}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: shop
  template:
    metadata:
      labels:
        app.kubernetes.io/name: shop
    spec:
      containers:
        - name: web
          image: "registry.invalid/shop:${version}"
---
# Source: shop/templates/migrate-job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: shop-migrate
  namespace: shop
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-weight": "-5"
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never${gated}
      containers:
        - name: migrate
          image: "registry.invalid/shop-migrate:${version}"
---
# Source: shop/templates/release-notes.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-release-notes
  namespace: shop
  annotations:
    "helm.sh/hook": post-install,post-upgrade
data:
  version: "${version}"
---
# Source: shop/templates/tests/test-connection.yaml
apiVersion: v1
kind: Pod
metadata:
  name: shop-test-connection
  namespace: shop
  annotations:
    "helm.sh/hook": test
spec:
  restartPolicy: Never
  containers:
    - name: wget
      image: busybox
      command: ['wget']
      args: ['web:80']
`,
  };
}

/**
 * `api` with its two Deployments, each selecting `<name><suffix>` Pods (its own suffix); only `api`
 * is annotated to be re-created.
 */
function api(suffixes: { api: '' | '-v2'; worker: '' | '-v2' }, revision = 1): Record<string, string> {
  const deployment = (name: 'api' | 'worker', annotated: boolean) => `---
# Source: api/templates/${name}.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: api${annotated ? '\n  annotations:\n    fleetwave.io/recreate: "true"' : ''}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}${suffixes[name]}
  template:
    metadata:
      labels:
        app: ${name}${suffixes[name]}
        revision: "${revision}"
    spec:
      containers:
        - name: ${name}
          image: registry.invalid/${name}:1
`;
  return {
    'api/rendered.yaml': `---
# Source: api/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: api
${deployment('api', true)}${deployment('worker', false)}`,
  };
}

interface FailingObject {
  id: string;
  reason: string;
  message: string;
}
interface RolloutNode {
  id: string;
  kind: string;
  commit: string;
  state: string;
  clusters: { name: string; phase: string; failing: FailingObject[] }[];
}

describe('Helm hooks and immutable fields on a real cluster', () => {
  let stack: RealFleetHub | undefined;
  let hub: NestFastifyApplication;
  let fleet: Fleet;
  let cluster: FleetCluster;
  let agent: ManagedProcess;
  let v1: string;

  const gql = graphqlClient(() => stack!.hubUrl, ADMIN_TOKEN);
  const k = (...args: string[]) => kubectl(fleet.binaries, cluster, args);
  const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await k(...args, '-o', 'json')) as T;
  const jsonpath = (kind: string, name: string, namespace: string, expr: string) =>
    k('get', kind, name, '-n', namespace, '-o', `jsonpath=${expr}`);
  const uid = (deployment: string) => jsonpath('deployment', deployment, 'api', '{.metadata.uid}');
  const selector = (deployment: string) =>
    jsonpath('deployment', deployment, 'api', '{.spec.selector.matchLabels.app}');
  const exists = async (kind: string, name: string, namespace: string) =>
    (await k('get', kind, name, '-n', namespace, '--ignore-not-found', '-o', 'name')).trim() !== '';

  /** Runs the built fleetctl against the hub; its stdout, once it exited 0. */
  async function fleetctl(...args: string[]): Promise<string> {
    const result = await runFleetctl({ url: stack!.hubUrl, token: ADMIN_TOKEN }, args);
    if (result.code !== 0)
      throw new Error(`fleetctl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  async function rollout(
    application: string,
    commit: string,
    kind = 'rollout',
  ): Promise<RolloutNode | undefined> {
    const { rollouts } = await gql<{ rollouts: { edges: { node: RolloutNode }[] } }>(
      `query($app: String) { rollouts(application: $app, first: 20) {
        edges { node { id kind commit state clusters { name phase failing { id reason message } } } } } }`,
      { app: application },
    );
    return rollouts.edges.map((e) => e.node).find((r) => r.commit === commit && r.kind === kind);
  }

  /** The rollout of `commit`, once it is in `state`. */
  const settled = (application: string, commit: string, state: string, kind = 'rollout') =>
    waitFor(
      async () => {
        const found = await rollout(application, commit, kind);
        return found?.state === state ? found : undefined;
      },
      {
        description: `${application}: the ${kind} of ${commit.slice(0, 8)} ${state} (agent log: ${agent.logTail(5)})`,
        timeoutMs: 180_000,
        intervalMs: 500,
      },
    );

  /** The hook record the agent keeps with the inventory of `application`. */
  async function hookRecord(application: string) {
    const data = await json<{ data: Record<string, string> }>(
      'get',
      'configmap',
      `fleetwave-inventory-${application}`,
      '-n',
      'fleetwave-system',
    );
    return {
      hooks: JSON.parse(data.data['hooks.json'] ?? 'null') as {
        digest: string;
        mode: string;
        done: string[];
      },
      inventory: (JSON.parse(data.data['inventory.json']!) as { entries: { id: string }[] }).entries.map(
        (e) => e.id,
      ),
    };
  }

  /** When the Job controller said `shop-migrate` completed, each run (events outlive the Job). */
  async function migrationsCompleted(): Promise<Date[]> {
    const events = await json<{
      items: {
        reason: string;
        involvedObject: { kind: string; name: string };
        lastTimestamp?: string;
        eventTime?: string;
      }[];
    }>('get', 'events', '-n', 'shop');
    return events.items
      .filter(
        (e) =>
          e.involvedObject.kind === 'Job' &&
          e.involvedObject.name === 'shop-migrate' &&
          e.reason === 'Completed',
      )
      .map((e) => new Date(e.lastTimestamp ?? e.eventTime!))
      .sort((a, b) => a.getTime() - b.getTime());
  }

  beforeAll(async () => {
    stack = await RealFleetHub.start({
      clusters: 1,
      name: `hk-${randomSuffix()}`,
      webhookSecret: WEBHOOK_SECRET,
      hub: { auth: { bootstrapAdminToken: ADMIN_TOKEN } },
    });
    ({ hub, fleet } = stack);
    cluster = fleet.clusters[0]!;
    const { secret: token } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: 1 });
    v1 = await stack.repo.commit({ ...shop('1.0.0'), ...api({ api: '', worker: '' }) }, 'shop 1.0.0 and api');
    agent = await stack.startAgent(cluster, { name: 'hooks', labels: { env: 'prod' }, token });
    await waitFor(async () => (await hub.get(ClustersService).list({ first: 0 })).totalCount === 1, {
      description: 'the cluster registered',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    const repo = stack.git.url('fleet');
    for (const [name, recreate] of [
      ['shop', []],
      ['api', ['--recreate', 'annotated']],
    ] as const) {
      expect(
        await fleetctl(
          'apps',
          'create',
          name,
          '--repo',
          repo,
          '--ref',
          'main',
          '--path',
          name,
          '--selector',
          'env=prod',
          ...recreate,
        ),
      ).toBe(`application/${name} created\n`);
    }
    await settled('shop', v1, 'Succeeded');
    await settled('api', v1, 'Succeeded');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('installs: the pre-install Job ran to completion and was deleted (hook-succeeded), the post-install hook ran, the test hook never', async () => {
    expect(await jsonpath('deployment', 'web', 'shop', '{.spec.template.spec.containers[0].image}')).toBe(
      'registry.invalid/shop:1.0.0',
    );
    expect(await migrationsCompleted()).toHaveLength(1);
    expect(await exists('job', 'shop-migrate', 'shop')).toBe(false);
    expect(await jsonpath('configmap', 'shop-release-notes', 'shop', '{.data.version}')).toBe('1.0.0');
    expect(await exists('pod', 'shop-test-connection', 'shop')).toBe(false);

    const { hooks, inventory } = await hookRecord('shop');
    expect(hooks).toMatchObject({ mode: 'install', done: ['pre', 'post'] });
    // Hooks are never inventoried, so never pruned.
    expect(inventory).toEqual(['_shop__Namespace', 'shop_web_apps_Deployment']);
  });

  it('upgrades: the Deployment changes only after the pre-upgrade Job completed, which is then deleted', async () => {
    const v2 = await stack!.repo.commit(shop('2.0.0'), 'shop 2.0.0');
    await stack!.push(v2);

    // The agent created the upgrade's Job; it cannot run yet (no node has the label it selects).
    await waitFor(
      async () =>
        (await exists('job', 'shop-migrate', 'shop')) &&
        (await jsonpath('job', 'shop-migrate', 'shop', '{.spec.template.spec.containers[0].image}')) ===
          'registry.invalid/shop-migrate:2.0.0',
      {
        description: `the pre-upgrade Job created (agent log: ${agent.logTail(5)})`,
        timeoutMs: 90_000,
        intervalMs: 250,
      },
    );
    const waiting = await waitFor(
      async () => {
        const found = await rollout('shop', v2);
        const failing = found?.clusters[0]?.failing ?? [];
        return failing.some((f) => f.reason === 'HookRunning') ? found : undefined;
      },
      { description: 'the cluster reports the hook running', timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(waiting.state).toBe('Progressing');
    expect(waiting.clusters[0]).toMatchObject({
      failing: [
        {
          id: 'shop_shop-migrate_batch_Job',
          reason: 'HookRunning',
          message: expect.stringMatching(/^pre-upgrade hook: Job not complete/),
        },
      ],
    });
    expect(await jsonpath('job', 'shop-migrate', 'shop', '{.status.completionTime}')).toBe('');
    expect(await jsonpath('deployment', 'web', 'shop', '{.spec.template.spec.containers[0].image}')).toBe(
      'registry.invalid/shop:1.0.0',
    );
    expect(await jsonpath('configmap', 'shop-release-notes', 'shop', '{.data.version}')).toBe('1.0.0');

    // Now the Job can run (kwok completes its Pod), and the upgrade goes on.
    const node = await k('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}');
    await k('label', 'node', node, `${HOOK_NODE_LABEL}=ready`);
    await settled('shop', v2, 'Succeeded');

    expect(await jsonpath('deployment', 'web', 'shop', '{.spec.template.spec.containers[0].image}')).toBe(
      'registry.invalid/shop:2.0.0',
    );
    expect(await exists('job', 'shop-migrate', 'shop')).toBe(false);
    // The API's own clocks agree: the agent applied the Deployment after the Job completed.
    const completed = await migrationsCompleted();
    expect(completed).toHaveLength(2);
    const deployment = await json<{
      metadata: { managedFields: { manager: string; operation: string; time: string }[] };
    }>('get', 'deployment', 'web', '-n', 'shop', '--show-managed-fields');
    const applied = deployment.metadata.managedFields.find(
      (f) => f.manager === 'fleetwave' && f.operation === 'Apply',
    )!;
    expect(new Date(applied.time).getTime()).toBeGreaterThanOrEqual(completed[1]!.getTime());
    // The post-upgrade hook ran once the Deployment was healthy.
    expect(await jsonpath('configmap', 'shop-release-notes', 'shop', '{.data.version}')).toBe('2.0.0');
    expect((await hookRecord('shop')).hooks).toMatchObject({ mode: 'upgrade', done: ['pre', 'post'] });
  });

  it('never runs the hooks of a revision again: a drift correction re-applies the release, not its hooks', async () => {
    const uid = await jsonpath('deployment', 'web', 'shop', '{.metadata.uid}');
    await k('delete', 'deployment', 'web', '-n', 'shop', '--wait=true');
    await waitFor(
      async () =>
        (await exists('deployment', 'web', 'shop')) &&
        (await jsonpath('deployment', 'web', 'shop', '{.metadata.uid}')) !== uid,
      {
        description: `the Deployment re-applied (agent log: ${agent.logTail(5)})`,
        timeoutMs: 90_000,
        intervalMs: 250,
      },
    );
    // Pre-hooks would have run before the Deployment was applied again: none did.
    expect(await exists('job', 'shop-migrate', 'shop')).toBe(false);
    expect(await migrationsCompleted()).toHaveLength(2);
  });

  it('re-creates a Deployment whose selector changed when it is annotated fleetwave.io/recreate', async () => {
    const before = { api: await uid('api'), worker: await uid('worker') };
    const v3 = await stack!.repo.commit(api({ api: '-v2', worker: '' }), 'api: a new selector');
    await stack!.push(v3);
    await settled('api', v3, 'Succeeded');

    expect(await uid('api')).not.toBe(before.api);
    expect(await selector('api')).toBe('api-v2');
    expect(await uid('worker')).toBe(before.worker);
    // The re-creation is in the change set the agent logs, like any other change.
    expect(await readFile(agent.logFile, 'utf8')).toMatch(
      /"changes":\[\{"id":"api_api_apps_Deployment","action":"recreated","reason":"immutable spec\.selector changed"\}\]/,
    );
  });

  it('fails the revision, naming the object and the field, when the changed one is not annotated', async () => {
    const worker = await uid('worker');
    const v3 = await stack!.repo.head();
    const v4 = await stack!.repo.commit(api({ api: '-v2', worker: '-v2' }), 'api: a new worker selector');
    await stack!.push(v4);
    const failed = await settled('api', v4, 'Failed');
    expect(failed.clusters[0]!.failing).toEqual([
      {
        id: 'api_worker_apps_Deployment',
        reason: 'ImmutableField',
        message:
          'Deployment.apps api/worker: field spec.selector is immutable and differs from the live object; annotate it ' +
          'fleetwave.io/recreate: "true" to have it deleted and re-created, or set the application\'s recreate policy to always',
      },
    ]);
    // Left on a failed commit, the cluster is caught up to the settled one; the worker was never touched.
    await settled('api', v3, 'Succeeded', 'catchup');
    expect(await uid('worker')).toBe(worker);
    expect(await selector('worker')).toBe('worker');
  });

  it('with recreate always (fleetctl apps update), the next revision re-creates the unannotated one too', async () => {
    expect(await fleetctl('apps', 'update', 'api', '--recreate', 'always')).toBe('application/api updated\n');
    expect(await fleetctl('apps', 'get', 'api')).toMatch(/\nRecreate:\s+always\n/);
    const worker = await uid('worker');

    const v5 = await stack!.repo.commit(api({ api: '-v2', worker: '-v2' }, 2), 'api: revision 2');
    await stack!.push(v5);
    await settled('api', v5, 'Succeeded');

    expect(await uid('worker')).not.toBe(worker);
    expect(await selector('worker')).toBe('worker-v2');
  });
});
