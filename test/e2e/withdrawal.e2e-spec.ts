/**
 * Leaving clusters are cleaned up, explicitly, end to end: three real clusters (test/kube), the
 * built agent in each, real Kafka and Postgres, the hub, and a git repository with two
 * applications. Operators act through GraphQL and fleetctl (relabel, cordon, deleteApplication,
 * deregisterCluster); what the clusters run is read with kubectl. An agent is stopped while the hub
 * ends its placement, so the hub's side (Removing, Deleting, Deregistering) is seen before the
 * agent confirms, and the withdrawal is delivered when it comes back; assignments that merely lose
 * an application (no tombstone) remove nothing. The tests build on each other in order.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { graphqlClient } from '../harness/graphql-client.js';
import { type ManagedProcess } from '../harness/process.js';
import { waitFor } from '../harness/wait-for.js';
import { type Fleet, type FleetCluster, kubectl, randomSuffix } from '../kube/fleet.js';
import { inProcessFleetctl } from './support/in-process-fleetctl.js';
import { RealFleetHub } from './support/real-fleet-hub.js';

const ADMIN = { name: 'e2e-admin', role: 'admin' as const };
const ADMIN_TOKEN = 'e2e-withdrawal-admin-token-0123456789';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
/** w-a stays to the end, w-b is cordoned, w-c is relabelled out. */
const NAMES = ['w-a', 'w-b', 'w-c'] as const;
type Name = (typeof NAMES)[number];

/** `web`: a Namespace with a ConfigMap the agent prunes and one that opts out of pruning. */
const WEB = {
  'web/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n`,
  'web/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: web
data:
  cluster: \${cluster.name}
`,
  'web/keep.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
  namespace: web
  annotations:
    fleetwave.io/prune: disabled
data:
  note: stays when web leaves
`,
};
/** `tools`: a Namespace with one ConfigMap; nothing in it opts out. */
const TOOLS = {
  'tools/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tools\n`,
  'tools/toolbox.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: toolbox
  namespace: tools
data:
  cluster: \${cluster.name}
`,
};

interface Withdrawal {
  application: string;
  clusterName: string;
  reason: string;
  deletionPolicy: string;
}
interface AuditEvent {
  action: string;
  actor: string;
  after: Record<string, unknown> | null;
}

const WITHDRAWAL_FIELDS = 'withdrawals { application clusterName reason deletionPolicy }';

describe('withdrawals across a real fleet', () => {
  let stack: RealFleetHub | undefined;
  let hub: NestFastifyApplication;
  let fleet: Fleet;
  let token: string;
  let commit: string;
  const agents = new Map<Name, ManagedProcess>();
  /** The Succeeded rollout of each application, by application name. */
  const settled = new Map<string, string>();

  const gql = graphqlClient(() => stack!.hubUrl, ADMIN_TOKEN);
  const clusterOf = (name: Name): FleetCluster => fleet.clusters[NAMES.indexOf(name)]!;
  const k = (name: Name, ...args: string[]) => kubectl(fleet.binaries, clusterOf(name), args);

  /** Which of `objects` (e.g. `configmap/settings`) exist in `namespace` of `name`, sorted. */
  async function present(name: Name, namespace: string, ...objects: string[]): Promise<string[]> {
    const out = await k(name, 'get', ...objects, '-n', namespace, '--ignore-not-found', '-o', 'name');
    return out.split('\n').filter(Boolean).sort();
  }
  async function namespaceExists(name: Name, namespace: string): Promise<boolean> {
    return (await k(name, 'get', 'namespace', namespace, '--ignore-not-found', '-o', 'name')).trim() !== '';
  }
  /** The applications whose inventory record the agent of `name` keeps (in its own namespace). */
  async function inventories(name: Name): Promise<string[]> {
    const out = await k(
      name,
      'get',
      'configmaps',
      '-n',
      'fleetwave-system',
      '-l',
      'fleetwave.io/inventory-of',
      '-o',
      'name',
    );
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace('configmap/fleetwave-inventory-', ''))
      .sort();
  }
  const webObjects = (name: Name) => present(name, 'web', 'configmap/settings', 'configmap/keep');
  const toolsObjects = (name: Name) => present(name, 'tools', 'configmap/toolbox');

  async function startAgent(name: Name): Promise<void> {
    agents.set(name, await stack!.startAgent(clusterOf(name), { name, labels: { env: 'prod' }, token }));
  }
  async function stopAgent(name: Name): Promise<void> {
    await agents.get(name)!.stop();
    agents.delete(name);
  }

  const fleetctl = inProcessFleetctl(() => stack!.workDir);

  async function clusterWithdrawals(name: Name): Promise<Withdrawal[]> {
    const { cluster } = await gql<{ cluster: { withdrawals: Withdrawal[] } | null }>(
      `query($name: String!) { cluster(name: $name) { ${WITHDRAWAL_FIELDS} } }`,
      { name },
    );
    return cluster!.withdrawals;
  }

  async function eventsOf(targetKind: 'application' | 'cluster', targetId: string): Promise<AuditEvent[]> {
    const { events } = await gql<{ events: { edges: { node: AuditEvent }[] } }>(
      `query($kind: EventTargetKind, $id: String) {
        events(targetKind: $kind, targetId: $id, first: 500) { edges { node { action actor after } } }
      }`,
      { kind: targetKind, id: targetId },
    );
    return events.edges.map((e) => e.node).reverse(); // oldest first
  }

  /** The application's rollouts, by application name (kept after it is deleted), with their clusters. */
  async function rolloutsOf(application: string) {
    const { rollouts } = await gql<{
      rollouts: {
        edges: {
          node: { id: string; kind: string; state: string; clusters: { name: string; phase: string }[] };
        }[];
      };
    }>(
      `query($app: String) { rollouts(application: $app, first: 50) {
        edges { node { id kind state clusters { name phase } } } } }`,
      { app: application },
    );
    return rollouts.edges.map((e) => e.node);
  }

  /** Waits for a Succeeded catch-up of `application` that brought `cluster` (alone) to Healthy. */
  async function caughtUp(application: string, cluster: Name): Promise<void> {
    await waitFor(
      async () =>
        (await rolloutsOf(application)).some(
          (r) =>
            r.kind === 'catchup' &&
            r.state === 'Succeeded' &&
            r.clusters.length === 1 &&
            r.clusters[0]!.name === cluster &&
            r.clusters[0]!.phase === 'Healthy',
        ),
      {
        description: `${application}: a catch-up of ${cluster} Succeeded`,
        timeoutMs: 90_000,
        intervalMs: 250,
      },
    );
  }

  async function applicationId(name: string): Promise<string> {
    return (await hub.get(ApplicationsService).findByName(name))!.id;
  }

  beforeAll(async () => {
    stack = await RealFleetHub.start({
      clusters: NAMES.length,
      name: `wd-${randomSuffix()}`,
      webhookSecret: WEBHOOK_SECRET,
      hub: { auth: { bootstrapAdminToken: ADMIN_TOKEN } },
    });
    ({ hub, fleet } = stack);
    ({ secret: token } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: NAMES.length }));
    await fleetctl('config', 'set-context', 'e2e', '--hub', stack.hubUrl, '--token', ADMIN_TOKEN);
    commit = await stack.repo.commit({ ...WEB, ...TOOLS }, 'web and tools');
    await Promise.all(NAMES.map((name) => startAgent(name)));
    await waitFor(async () => (await hub.get(ClustersService).list({ first: 0 })).totalCount === 3, {
      description: 'three clusters registered',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    for (const application of ['web', 'tools']) {
      await hub.get(ApplicationsService).create(ADMIN, {
        name: application,
        repoUrl: stack.git.url('fleet'),
        ref: 'main',
        path: application,
        targetSelector: 'env=prod',
        plan: { waves: [{ name: 'prod', selector: 'env=prod', progressDeadlineSeconds: 60 }] },
        pollIntervalSeconds: 3600,
      });
    }
    for (const application of ['web', 'tools']) {
      const rollout = await stack.rolloutOf({ application, commit, state: 'Succeeded' });
      settled.set(application, rollout.id);
    }
    for (const name of NAMES) {
      expect(await webObjects(name)).toEqual(['configmap/keep', 'configmap/settings']);
      expect(await toolsObjects(name)).toEqual(['configmap/toolbox']);
      expect(await inventories(name)).toEqual(['tools', 'web']);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('prunes a cluster relabelled out of the target (what opts out stays), Removing until its agent confirmed, its history kept', async () => {
    // Cordoned first: the sweep that withdraws w-c looks at w-b too, and must leave it alone.
    expect(await fleetctl('clusters', 'cordon', 'w-b')).toBe('cluster/w-b cordoned\n');
    // The agent is away while the placement ends: the hub shows Removing and deletes nothing itself.
    await stopAgent('w-c');
    const relabelled = await gql<{ setClusterLabels: { labels: Record<string, string> } }>(
      `mutation { setClusterLabels(name: "w-c", labels: { env: "staging" }) { labels } }`,
    );
    expect(relabelled.setClusterLabels.labels).toMatchObject({ env: 'staging' });
    const removing = await waitFor(
      async () => {
        const pending = await clusterWithdrawals('w-c');
        return pending.length === 2 ? pending : undefined;
      },
      { description: 'w-c: web and tools Removing', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(removing.map((w) => [w.application, w.reason, w.deletionPolicy]).sort()).toEqual([
      ['tools', 'labels', 'prune'],
      ['web', 'labels', 'prune'],
    ]);
    const { application } = await gql<{ application: { withdrawals: Withdrawal[] } }>(
      `{ application(name: "web") { ${WITHDRAWAL_FIELDS} } }`,
    );
    expect(application.withdrawals.map((w) => w.clusterName)).toEqual(['w-c']);
    expect(await webObjects('w-c')).toEqual(['configmap/keep', 'configmap/settings']);
    expect(await toolsObjects('w-c')).toEqual(['configmap/toolbox']);
    expect(await inventories('w-c')).toEqual(['tools', 'web']);

    // The agent comes back, fetches its withdrawals, prunes and confirms.
    await startAgent('w-c');
    await waitFor(async () => (await clusterWithdrawals('w-c')).length === 0, {
      description: `w-c confirmed both removals (agent log: ${agents.get('w-c')?.logTail(5) ?? ''})`,
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    expect(await webObjects('w-c')).toEqual(['configmap/keep']);
    expect(await inventories('w-c')).toEqual([]);
    // `web` holds an object that opted out: its Namespace stays. `tools` holds nothing: it goes.
    expect(await namespaceExists('w-c', 'web')).toBe(true);
    expect(await toolsObjects('w-c')).toEqual([]);
    await waitFor(async () => !(await namespaceExists('w-c', 'tools')), {
      description: 'namespace tools gone from w-c',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    // The clusters that stay are untouched.
    for (const name of ['w-a', 'w-b'] as const) {
      expect(await webObjects(name)).toEqual(['configmap/keep', 'configmap/settings']);
      expect(await toolsObjects(name)).toEqual(['configmap/toolbox']);
    }

    // History: the rollout w-c took part in, and the placement's end in the audit trail.
    const [rollout] = await rolloutsOf('web');
    expect(rollout).toMatchObject({ id: settled.get('web'), state: 'Succeeded' });
    // It ended Healthy there, though w-c runs and reports web no more.
    expect(rollout!.clusters.map((c) => [c.name, c.phase]).sort()).toEqual([
      ['w-a', 'Healthy'],
      ['w-b', 'Healthy'],
      ['w-c', 'Healthy'],
    ]);
    const wc = (await hub.get(ClustersService).findByName('w-c'))!;
    const placement = (await eventsOf('application', await applicationId('web'))).filter((e) =>
      e.action.startsWith('placement.'),
    );
    expect(placement).toEqual([
      {
        action: 'placement.withdrawn',
        actor: 'placement',
        after: expect.objectContaining({ cluster: 'w-c', reason: 'labels', deletionPolicy: 'prune' }),
      },
      {
        action: 'placement.removed',
        actor: expect.stringMatching(/^cluster:/),
        after: expect.objectContaining({ clusterId: wc.id, reason: 'labels', deletionPolicy: 'prune' }),
      },
    ]);
    expect((await eventsOf('cluster', wc.id)).map((e) => e.action)).toContain('cluster.labelsChanged');
  });

  it('never withdraws from a cordoned cluster: it keeps its objects', async () => {
    const { cluster } = await gql<{ cluster: { cordoned: boolean; withdrawals: Withdrawal[] } }>(
      `{ cluster(name: "w-b") { cordoned ${WITHDRAWAL_FIELDS} } }`,
    );
    expect(cluster).toEqual({ cordoned: true, withdrawals: [] });
    expect(await webObjects('w-b')).toEqual(['configmap/keep', 'configmap/settings']);
    expect(await toolsObjects('w-b')).toEqual(['configmap/toolbox']);
    for (const application of ['web', 'tools']) {
      const withdrawn = (await eventsOf('application', await applicationId(application))).filter(
        (e) => e.action === 'placement.withdrawn',
      );
      expect(withdrawn.map((e) => e.after?.['cluster'])).toEqual(['w-c']);
    }
  });

  it('deletes nothing when the assignments merely lose an application (a hub restored from an old backup)', async () => {
    // w-b is cordoned, so no catch-up puts the rows back behind the test's back.
    const wb = (await hub.get(ClustersService).findByName('w-b'))!;
    const db = hub.get(Transactions).manager;
    const reported = async () =>
      (
        await db.query<{ application: string; phase: string }[]>(
          `SELECT application, phase FROM cluster_bundle_status WHERE cluster_id = $1 ORDER BY application`,
          [wb.id],
        )
      ).map((r) => `${r.application}:${r.phase}`);
    expect(await reported()).toEqual(['tools:Healthy', 'web:Healthy']);
    await db.transaction(async (tx) => {
      await tx.query(`DELETE FROM cluster_assignment WHERE cluster_id = $1`, [wb.id]);
      await tx.query(`UPDATE cluster SET assignment_generation = assignment_generation + 1 WHERE id = $1`, [
        wb.id,
      ]);
      await tx.query(`SELECT pg_notify('fleetwave_assignments', $1)`, [wb.id]);
    });
    // The agent took the empty list (its report no longer lists the applications) ...
    await waitFor(async () => (await reported()).length === 0, {
      description: `w-b's agent reported no application (agent log: ${agents.get('w-b')?.logTail(3) ?? ''})`,
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    // ... and removed nothing: the objects and its inventory records are all there.
    expect(await webObjects('w-b')).toEqual(['configmap/keep', 'configmap/settings']);
    expect(await toolsObjects('w-b')).toEqual(['configmap/toolbox']);
    expect(await inventories('w-b')).toEqual(['tools', 'web']);
    expect(await clusterWithdrawals('w-b')).toEqual([]);

    // Uncordoned, it joins both placements again through the catch-up lane.
    expect(await fleetctl('clusters', 'uncordon', 'w-b')).toBe('cluster/w-b uncordoned\n');
    for (const application of ['web', 'tools']) await caughtUp(application, 'w-b');
    expect(await reported()).toEqual(['tools:Healthy', 'web:Healthy']);
  });

  it('catches a cluster relabelled back in up again, the object left behind adopted', async () => {
    expect(await fleetctl('clusters', 'label', 'w-c', 'env=prod')).toBe('cluster/w-c labeled\n');
    for (const application of ['web', 'tools']) await caughtUp(application, 'w-c');
    expect(await webObjects('w-c')).toEqual(['configmap/keep', 'configmap/settings']);
    expect(await toolsObjects('w-c')).toEqual(['configmap/toolbox']);
    expect(await clusterWithdrawals('w-c')).toEqual([]);
  });

  it('deleteApplication(prune) empties every cluster, Deleting until each confirmed; its rollouts and events stay queryable', async () => {
    const webId = await applicationId('web');
    // w-b, cordoned (a deletion withdraws from it all the same), confirms only when its agent is back.
    await gql(`mutation { cordonCluster(name: "w-b") { cordoned } }`);
    await stopAgent('w-b');
    const { deleteApplication } = await gql<{
      deleteApplication: { deletion: { policy: string; remaining: number; deletedAt: string | null } };
    }>(
      `mutation { deleteApplication(name: "web", deletionPolicy: prune) { deletion { policy remaining deletedAt } } }`,
    );
    expect(deleteApplication.deletion).toMatchObject({ policy: 'prune', deletedAt: null });
    expect(deleteApplication.deletion.remaining).toBeGreaterThanOrEqual(1);

    await waitFor(async () => (await webObjects('w-a')).length === 1, {
      description: 'web pruned from w-a',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    expect(await webObjects('w-a')).toEqual(['configmap/keep']);
    const deleting = await waitFor(
      async () => {
        const { application } = await gql<{
          application: {
            deletion: { remaining: number; deletedAt: string | null };
            withdrawals: Withdrawal[];
          } | null;
        }>(`{ application(name: "web") { deletion { remaining deletedAt } ${WITHDRAWAL_FIELDS} } }`);
        return application?.deletion.remaining === 1 ? application : undefined;
      },
      { description: 'web Deleting, waiting for w-b only', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(deleting.deletion.deletedAt).toBeNull();
    expect(deleting.withdrawals).toEqual([
      { application: 'web', clusterName: 'w-b', reason: 'deleted', deletionPolicy: 'prune' },
    ]);
    expect(await webObjects('w-b')).toEqual(['configmap/keep', 'configmap/settings']);

    await startAgent('w-b');
    await waitFor(async () => (await hub.get(ApplicationsService).findByName('web')) === null, {
      description: `web deleted once w-b confirmed (agent log: ${agents.get('w-b')?.logTail(5) ?? ''})`,
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    for (const name of NAMES) {
      expect(await webObjects(name)).toEqual(['configmap/keep']);
      expect(await inventories(name)).toEqual(['tools']);
    }
    const { application } = await gql<{ application: unknown }>(`{ application(name: "web") { name } }`);
    expect(application).toBeNull();

    // Its history is kept: the rollout, and the audit trail from creation to deletion.
    const kept = await rolloutsOf('web');
    expect(kept.map((r) => r.id)).toContain(settled.get('web'));
    expect(kept.map((r) => r.kind).sort()).toEqual(['catchup', 'catchup', 'rollout']);
    // Each as it ended, though no cluster runs web any more.
    for (const r of kept) {
      expect(r.state).toBe('Succeeded');
      expect(new Set(r.clusters.map((c) => c.phase))).toEqual(new Set(['Healthy']));
    }
    const { rollout } = await gql<{ rollout: { application: unknown } }>(
      `query($id: ID!) { rollout(id: $id) { application { id name deletion { policy remaining deletedAt } } } }`,
      { id: settled.get('web') },
    );
    expect(rollout.application).toEqual({
      id: webId,
      name: 'web',
      deletion: { policy: 'prune', remaining: 0, deletedAt: expect.any(String) },
    });
    const trail = await eventsOf('application', webId);
    expect(trail[0]!.action).toBe('application.created');
    expect(trail.at(-1)!.action).toBe('application.deleted');
    const byCluster = (action: string) =>
      trail
        .filter((e) => e.action === action && e.after?.['reason'] === 'deleted')
        .map((e) => e.after?.['cluster'] ?? e.after?.['clusterId']);
    expect(byCluster('placement.withdrawn').sort()).toEqual(['w-a', 'w-b', 'w-c']);
    expect(byCluster('placement.removed')).toHaveLength(3);
  });

  it('deregisterCluster(prune) removes what the cluster runs, then the cluster is gone from the registry', async () => {
    const wa = (await hub.get(ClustersService).findByName('w-a'))!;
    expect(await fleetctl('clusters', 'deregister', 'w-a')).toBe(
      'cluster/w-a deregistering (prune): deleted once its agent confirmed every withdrawal\n',
    );
    await waitFor(
      async () => (await gql<{ cluster: unknown }>(`{ cluster(name: "w-a") { name } }`)).cluster === null,
      {
        description: `w-a gone from the registry (agent log: ${agents.get('w-a')?.logTail(5) ?? ''})`,
        timeoutMs: 90_000,
        intervalMs: 500,
      },
    );
    expect(await toolsObjects('w-a')).toEqual([]);
    await waitFor(async () => !(await namespaceExists('w-a', 'tools')), {
      description: 'namespace tools gone from w-a',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    // The others keep it.
    expect(await toolsObjects('w-b')).toEqual(['configmap/toolbox']);
    expect(await toolsObjects('w-c')).toEqual(['configmap/toolbox']);
    const trail = await eventsOf('cluster', wa.id);
    expect(trail.at(-1)).toMatchObject({
      action: 'cluster.deregistered',
      after: { deletionPolicy: 'prune' },
    });
    const removed = (await eventsOf('application', await applicationId('tools'))).filter(
      (e) => e.action === 'placement.removed' && e.after?.['clusterId'] === wa.id,
    );
    expect(removed.map((e) => e.after?.['reason'])).toEqual(['deregistered']);
  });

  it('deleteApplication(orphan) leaves the objects in place', async () => {
    const toolsId = await applicationId('tools');
    expect(await fleetctl('apps', 'delete', 'tools', '--orphan')).toMatch(
      /^application\/tools deleting \(orphan\): [12] cluster\(s\) to confirm\n$/,
    );
    await waitFor(async () => (await hub.get(ApplicationsService).findByName('tools')) === null, {
      description: 'tools deleted once w-b and w-c confirmed',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    for (const name of ['w-b', 'w-c'] as const) {
      expect(await toolsObjects(name)).toEqual(['configmap/toolbox']);
      expect(await inventories(name)).toEqual([]);
    }
    const removed = (await eventsOf('application', toolsId)).filter(
      (e) => e.action === 'placement.removed' && e.after?.['reason'] === 'deleted',
    );
    expect(removed.map((e) => e.after?.['deletionPolicy'])).toEqual(['orphan', 'orphan']);
    expect((await rolloutsOf('tools')).map((r) => r.id)).toContain(settled.get('tools'));
  });
});
