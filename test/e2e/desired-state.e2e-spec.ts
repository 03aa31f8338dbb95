/**
 * Desired state end to end: three real clusters (test/kube), the built agent in each, real Kafka
 * and Postgres, the hub, and a git repository the test commits to. A cluster whose agent starts
 * after the application's rollout Succeeded catches up with no new commit; the maintenance
 * annotation on an agent's namespace holds that cluster out of a wave until it is removed; the
 * facts agents read from real nodes show as labels that selectors match; `fleetctl status` shows
 * the drift correction of a manual `kubectl scale`. The tests build on each other in order.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { greetingFiles, webDeployment } from '../harness/fixtures.js';
import { runFleetctl } from '../harness/fleetctl.js';
import { graphqlClient } from '../harness/graphql-client.js';
import { type LocalRepo } from '../harness/git-server.js';
import { waitFor } from '../harness/wait-for.js';
import { type Fleet, type FleetCluster, kubectl, randomSuffix } from '../kube/fleet.js';
import { RealFleetHub } from './support/real-fleet-hub.js';

const ADMIN = { name: 'e2e-admin', role: 'admin' as const };
const ADMIN_TOKEN = 'e2e-desired-state-admin-token-0123456789';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const NS = 'web';
/** The agent's own namespace (its default), where the maintenance annotation goes. */
const AGENT_NS = 'fleetwave-system';
const NODES_PER_CLUSTER = 2;
/** The first two register at once; the last one only after the first rollout Succeeded. */
const NAMES = ['prod-a', 'prod-b', 'prod-late'];

const manifests = (greeting: string) => greetingFiles(NS, greeting);

describe('desired state across a real fleet', () => {
  let stack: RealFleetHub | undefined;
  let repo: LocalRepo;
  let hub: NestFastifyApplication;
  let fleet: Fleet;
  let token: string;
  let first: string;

  const k = (cluster: FleetCluster, ...args: string[]) => kubectl(fleet.binaries, cluster, args);
  const greetingIn = (cluster: FleetCluster) =>
    k(cluster, 'get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data.greeting}');
  const gql = graphqlClient(() => stack!.hubUrl, ADMIN_TOKEN);

  function startAgent(index: number): Promise<unknown> {
    return stack!.startAgent(fleet.clusters[index]!, {
      name: NAMES[index]!,
      labels: { env: 'prod' },
      token,
    });
  }

  beforeAll(async () => {
    stack = await RealFleetHub.start({
      clusters: NAMES.length,
      nodesPerCluster: NODES_PER_CLUSTER,
      name: `ds-${randomSuffix()}`,
      webhookSecret: WEBHOOK_SECRET,
      hub: {
        auth: { bootstrapAdminToken: ADMIN_TOKEN },
        // Agents learn their heartbeat interval from the hub; maintenance travels on heartbeats.
        reports: { heartbeatIntervalSeconds: 2 },
      },
    });
    ({ repo, hub, fleet } = stack);
    ({ secret: token } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: NAMES.length }));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('gives a cluster that registers after the rollout Succeeded the settled revision, with no new commit', async () => {
    first = await repo.commit(manifests('hello'), 'web: first version');
    await Promise.all([startAgent(0), startAgent(1)]);
    await waitFor(async () => (await hub.get(ClustersService).list({ first: 0 })).totalCount === 2, {
      description: 'two clusters registered',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    await hub.get(ApplicationsService).create(ADMIN, {
      name: 'web',
      repoUrl: stack!.git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      targetSelector: 'env=prod',
      plan: { waves: [{ name: 'prod', selector: 'env=prod', progressDeadlineSeconds: 60 }] },
      pollIntervalSeconds: 3600,
    });
    const settled = await stack!.rolloutOf({ application: 'web', commit: first, state: 'Succeeded' });
    const settledDetail = await hub.get(RolloutsService).detail(settled.id);
    expect(settledDetail.clusters.map((c) => c.name).sort()).toEqual(['prod-a', 'prod-b']);

    await startAgent(2);
    const catchup = await stack!.rolloutOf({
      application: 'web',
      commit: first,
      kind: 'catchup',
      state: 'Succeeded',
    });
    const detail = await hub.get(RolloutsService).detail(catchup.id);
    expect(detail.clusters.map((c) => [c.name, c.phase])).toEqual([['prod-late', 'Healthy']]);
    const late = fleet.clusters[2]!;
    const data = JSON.parse(
      await k(late, 'get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data}'),
    );
    expect(data).toEqual({ greeting: 'hello', cluster: 'prod-late' });
    // No commit since: the only rollout of kind `rollout` is still the first one.
    const all = await hub.get(RolloutsService).list({ application: 'web', first: 20 });
    expect(all.rollouts.filter((r) => r.kind === 'rollout').map((r) => r.id)).toEqual([settled.id]);
  });

  it('holds a cluster in maintenance out of a wave until the annotation is removed', async () => {
    const held = fleet.clusters[1]!;
    await k(held, 'annotate', 'namespace', AGENT_NS, 'fleetwave.io/maintenance=node upgrades');
    await waitFor(
      async () =>
        (await hub.get(ClustersService).findByName('prod-b'))?.maintenanceReason === 'node upgrades',
      { description: 'the hub sees prod-b in maintenance', timeoutMs: 60_000, intervalMs: 250 },
    );

    const second = await repo.commit(manifests('hi there'), 'web: friendlier greeting');
    const answer = await stack!.push(second);
    expect(answer.status).toBe(202);
    const started = await stack!.rolloutOf({ application: 'web', commit: second, state: 'Progressing' });
    const waiting = await waitFor(
      async () => {
        const detail = await hub.get(RolloutsService).detail(started.id);
        const phases = Object.fromEntries(detail.clusters.map((c) => [c.name, c.phase]));
        return phases['prod-a'] === 'Healthy' && phases['prod-late'] === 'Healthy' ? detail : undefined;
      },
      { description: 'the clusters not in maintenance Healthy', timeoutMs: 120_000, intervalMs: 250 },
    );
    const heldDetail = waiting.clusters.find((c) => c.name === 'prod-b')!;
    expect(heldDetail.phase).toBe('Pending');
    expect(heldDetail.blocking).toMatchObject({ kind: 'maintenance', reason: 'node upgrades' });
    expect(waiting.rollout.state).toBe('Progressing');
    expect(await greetingIn(fleet.clusters[0]!)).toBe('hi there');
    expect(await greetingIn(fleet.clusters[2]!)).toBe('hi there');
    expect(await greetingIn(held)).toBe('hello');

    // Drift correction keeps running in maintenance: an edit is put back to the running revision.
    const patched = await k(
      held,
      'patch',
      'configmap',
      'settings',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"data":{"greeting":"edited"}}',
    );
    expect(patched.trim()).toBe('configmap/settings patched');
    await waitFor(async () => (await greetingIn(held)) === 'hello', {
      description: 'the edit in prod-b reverted',
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    expect((await hub.get(RolloutsService).get(started.id)).state).toBe('Progressing');

    await k(held, 'annotate', 'namespace', AGENT_NS, 'fleetwave.io/maintenance-');
    const done = await stack!.rolloutOf({ application: 'web', commit: second, state: 'Succeeded' });
    const detail = await hub.get(RolloutsService).detail(done.id);
    expect(detail.clusters.map((c) => [c.name, c.phase]).sort()).toEqual([
      ['prod-a', 'Healthy'],
      ['prod-b', 'Healthy'],
      ['prod-late', 'Healthy'],
    ]);
    expect(await greetingIn(held)).toBe('hi there');
  });

  it('shows node count and Kubernetes version from the real nodes as labels selectors match', async () => {
    for (const [i, cluster] of fleet.clusters.entries()) {
      const nodes = JSON.parse(await k(cluster, 'get', 'nodes', '-o', 'json')) as { items: unknown[] };
      const server = (
        JSON.parse(await k(cluster, 'version', '-o', 'json')) as {
          serverVersion: { major: string; minor: string };
        }
      ).serverVersion;
      const version = `${server.major}.${server.minor.replace(/\D.*$/, '')}`;
      const labels = (await hub.get(ClustersService).findByName(NAMES[i]!))!.labels;
      expect(labels).toMatchObject({
        env: 'prod',
        'fleetwave.io/node-count': String(nodes.items.length),
        'fleetwave.io/kubernetes-version': version,
      });
    }

    const matching = async (selector: string) => {
      const { clusters } = await gql<{ clusters: { edges: { node: { name: string } }[] } }>(
        `query($selector: String) { clusters(selector: $selector) { edges { node { name } } } }`,
        { selector },
      );
      return clusters.edges.map((e) => e.node.name).sort();
    };
    expect(await matching(`fleetwave.io/node-count>${NODES_PER_CLUSTER - 1}`)).toEqual(NAMES);
    expect(await matching(`fleetwave.io/node-count>${NODES_PER_CLUSTER}`)).toEqual([]);
    expect(await matching(`env=prod,fleetwave.io/node-count=${NODES_PER_CLUSTER}`)).toEqual(NAMES);
  });

  it('shows the drift correction of a manual kubectl scale in fleetctl status', async () => {
    // Its clusters carry no region label: the Deployment's is fixed.
    const deployment = webDeployment({ namespace: 'scaled', replicas: '2', tag: '1.0', region: 'eu' });
    const commit = await repo.commit(
      {
        'scaled/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: scaled\n',
        'scaled/deployment.yaml': deployment,
      },
      'scaled: a Deployment',
    );
    await hub.get(ApplicationsService).create(ADMIN, {
      name: 'scaled',
      repoUrl: stack!.git.url('fleet'),
      ref: 'main',
      path: 'scaled',
      targetSelector: 'env=prod',
      plan: { waves: [{ name: 'prod', selector: 'env=prod', progressDeadlineSeconds: 60 }] },
      pollIntervalSeconds: 3600,
    });
    await stack!.rolloutOf({ application: 'scaled', commit, state: 'Succeeded' });
    const fleetctl = (...args: string[]) => runFleetctl({ url: stack!.hubUrl, token: ADMIN_TOKEN }, args);
    const before = await fleetctl('status', 'scaled', '--drifted');
    expect(before).toEqual({ code: 0, stdout: '', stderr: 'No placements found.\n' });

    const scaled = fleet.clusters[0]!;
    await k(scaled, 'scale', 'deployment', 'web', '-n', 'scaled', '--replicas=5');
    await waitFor(
      async () =>
        (await k(scaled, 'get', 'deployment', 'web', '-n', 'scaled', '-o', 'jsonpath={.spec.replicas}')) ===
        '2',
      { description: 'the scale reverted to 2', timeoutMs: 60_000, intervalMs: 500 },
    );
    const drifted = await waitFor(
      async () => {
        const run = await fleetctl('status', 'scaled', '--drifted', '-o', 'json');
        const rows = JSON.parse(run.stdout || '[]') as {
          cluster: { name: string };
          driftCorrections: number;
        }[];
        return rows.length > 0 ? rows : undefined;
      },
      { description: 'fleetctl status --drifted lists prod-a', timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(drifted.map((r) => r.cluster.name)).toEqual(['prod-a']);
    expect(drifted[0]!.driftCorrections).toBeGreaterThanOrEqual(1);

    // The table: one row per cluster, the drift in prod-a's (last hour/all), the others' 0/0; prod-a
    // is Healthy again once its Deployment settled back to 2 replicas.
    const short = commit.slice(0, 12);
    const rows = await waitFor(
      async () => {
        const table = await fleetctl('status', 'scaled');
        if (table.code !== 0) throw new Error(table.stderr);
        const lines = table.stdout.trimEnd().split('\n');
        expect(lines[0]).toMatch(/^APP\s+CLUSTER\s+PHASE\s+READY\s+COMMIT\s+DESIRED\s+DRIFT\s+LAST REPORT$/);
        const cells = lines.slice(1).map((l) => l.split(/\s+/).slice(0, 7));
        return cells[0]?.[2] === 'Healthy' ? cells : undefined;
      },
      { description: 'prod-a Healthy again in fleetctl status', timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(rows).toEqual([
      ['scaled', 'prod-a', 'Healthy', '2/2', short, short, expect.stringMatching(/^[1-9]\d*\/[1-9]\d*$/)],
      ['scaled', 'prod-b', 'Healthy', '2/2', short, short, '0/0'],
      ['scaled', 'prod-late', 'Healthy', '2/2', short, short, '0/0'],
    ]);
  });
});
