import { describe, expect, it } from '@jest/globals';
import { type Assignment, bundleDigest, type CompiledHealthChecks } from '@fleetwave/contracts';
import {
  type ChangeSetEntry,
  computeStatus,
  type Inventory,
  type InventoryEntry,
  type KubeObject,
  objectId,
  type ResourceStatus,
} from '../domain/index.js';
import { type ClusterPort } from './cluster-port.js';
import { reconcileBundle, type ReconcileInput } from './reconcile.js';

/** An in-memory cluster: enough behaviour to observe what the pipeline asks of the real one. */
class FakeCluster implements ClusterPort {
  live = new Map<string, KubeObject>();
  inventories = new Map<string, Inventory>();
  statuses = new Map<string, ResourceStatus['status']>();
  refuseDelete = new Set<string>();
  failApply = new Map<string, string>();
  throwOnApply: Error | undefined;
  applyCalls = 0;

  async checkScopes(objects: KubeObject[], defaultNamespace?: string) {
    const errors = objects
      .filter((o) => o.kind === 'Widget')
      .map((o) => ({ id: objectId(o), message: `unknown kind ${o.apiVersion} Widget` }));
    const known = objects
      .filter((o) => o.kind !== 'Widget')
      .map((o) =>
        o.kind === 'Namespace' || o.metadata.namespace
          ? o
          : { ...o, metadata: { ...o.metadata, namespace: defaultNamespace ?? 'default' } },
      );
    return { objects: known, errors };
  }
  async apply(objects: KubeObject[]) {
    this.applyCalls++;
    if (this.throwOnApply) throw this.throwOnApply;
    return objects.map((o): ChangeSetEntry => {
      const id = objectId(o);
      const failure = this.failApply.get(o.metadata.name);
      if (failure) return { id, action: 'skipped', reason: failure };
      const existed = this.live.has(id);
      this.live.set(id, o);
      return { id, action: existed ? 'unchanged' : 'created' };
    });
  }
  async loadInventory(application: string) {
    return this.inventories.get(application);
  }
  async readInventory(application: string) {
    const inventory = this.inventories.get(application);
    return inventory && { inventory };
  }
  async saveInventory(application: string, inventory: Inventory) {
    this.inventories.set(application, inventory);
  }
  async deleteInventory(application: string) {
    this.inventories.delete(application);
  }
  untrack() {}
  async prune(stale: InventoryEntry[]) {
    const entries: ChangeSetEntry[] = [];
    const survivors: InventoryEntry[] = [];
    for (const entry of stale) {
      if (this.refuseDelete.has(entry.id)) {
        survivors.push(entry);
        entries.push({ id: entry.id, action: 'skipped', reason: 'forbidden' });
      } else {
        this.live.delete(entry.id);
        entries.push({ id: entry.id, action: 'deleted' });
      }
    }
    return { entries, survivors };
  }
  /** A status set by the test, or the object's computed from what was applied (with the rules given). */
  async readStatuses(objects: KubeObject[], healthChecks?: CompiledHealthChecks) {
    return objects.map((o) => {
      const id = objectId(o);
      const set = this.statuses.get(o.metadata.name);
      const status: ResourceStatus =
        set !== undefined
          ? { status: set, message: '' }
          : computeStatus(this.live.get(id) ?? o, { healthChecks });
      return { id, status };
    });
  }
}

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const cm = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: web${extra}\ndata:\n  a: "1"\n`;
const docs = (...d: string[]) => d.join('---\n');

function input(
  manifests: string | { reason: string; message: string },
  overrides: Partial<ReconcileInput> = {},
): ReconcileInput {
  const text = typeof manifests === 'string' ? manifests : '';
  const assignment: Assignment = {
    application: 'web',
    digest: bundleDigest(text),
    commit: 'c'.repeat(40),
    prune: true,
    allowEmpty: false,
    progressDeadlineSeconds: 60,
    healthChecks: [],
  };
  return {
    assignment,
    clusterId: '11111111-1111-4111-8111-111111111111',
    manifests: typeof manifests === 'string' ? { ok: true, text } : { ok: false, ...manifests },
    since: new Date('2026-11-22T00:00:00Z'),
    now: new Date('2026-11-22T00:00:10Z'),
    reapply: false,
    ...overrides,
  };
}

describe('reconcileBundle', () => {
  it('applies a new bundle, records its inventory and reports Healthy', async () => {
    const cluster = new FakeCluster();
    const { status, changes } = await reconcileBundle(cluster, input(docs(ns('web'), cm('a'), cm('b'))));
    expect(status).toMatchObject({ application: 'web', phase: 'Healthy', ready: 3, total: 3, failing: [] });
    expect(changes.map((c) => c.action)).toEqual(['created', 'created', 'created']);
    expect(cluster.inventories.get('web')?.entries.map((e) => e.id)).toEqual([
      '_web__Namespace',
      'web_a__ConfigMap',
      'web_b__ConfigMap',
    ]);
  });

  it.each([
    ['malformed YAML', 'kind: [unclosed', 'InvalidManifests'],
    ['an object without a name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', 'InvalidManifests'],
    [
      'an unknown kind',
      docs(ns('web'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n'),
      'InvalidObjects',
    ],
  ])('stalls on %s without touching the cluster', async (_case, manifests, reason) => {
    const cluster = new FakeCluster();
    await reconcileBundle(cluster, input(docs(ns('web'), cm('keep'))));
    const before = new Map(cluster.live);
    const applyCalls = cluster.applyCalls;

    const { status } = await reconcileBundle(cluster, input(manifests));

    expect(status.phase).toBe('Stalled');
    expect(status.failing[0]).toMatchObject({ reason });
    expect(status.failing[0]!.message.length).toBeGreaterThan(0);
    expect(cluster.applyCalls).toBe(applyCalls);
    expect(cluster.live).toEqual(before);
  });

  it.each([
    ['a clean apply', docs(ns('web'), cm('a')), 'Healthy'],
    ['bad input that never reached the cluster', docs(ns('web'), 'kind: [\n'), 'Stalled'],
  ])('counts no apply errors for %s', async (_case, manifests, phase) => {
    const { status, applyErrors } = await reconcileBundle(new FakeCluster(), input(manifests));
    expect(status.phase).toBe(phase);
    expect(applyErrors).toBe(0);
  });

  it('stalls when the bundle could not be fetched, naming why', async () => {
    const { status } = await reconcileBundle(
      new FakeCluster(),
      input({ reason: 'DigestMismatch', message: 'content hashes to sha256:00' }),
    );
    expect(status).toMatchObject({
      phase: 'Stalled',
      failing: [{ reason: 'DigestMismatch', message: 'content hashes to sha256:00' }],
    });
  });

  it('prunes what left the bundle, keeping what refused deletion in the inventory', async () => {
    const cluster = new FakeCluster();
    await reconcileBundle(cluster, input(docs(ns('web'), cm('a'), cm('b'), cm('c'))));
    cluster.refuseDelete.add('web_c__ConfigMap');

    const { changes } = await reconcileBundle(cluster, input(docs(ns('web'), cm('a'))));

    expect(changes.filter((c) => c.action !== 'unchanged')).toEqual([
      { id: 'web_c__ConfigMap', action: 'skipped', reason: 'forbidden' },
      { id: 'web_b__ConfigMap', action: 'deleted' },
    ]);
    expect(cluster.live.has('web_b__ConfigMap')).toBe(false);
    expect(cluster.inventories.get('web')?.entries.map((e) => e.id)).toContain('web_c__ConfigMap');
  });

  it('refuses an empty bundle that would prune everything unless the assignment allows it', async () => {
    const cluster = new FakeCluster();
    await reconcileBundle(cluster, input(docs(ns('web'), cm('a'))));

    const refused = await reconcileBundle(cluster, input(''));
    expect(refused.status).toMatchObject({ phase: 'Stalled', failing: [{ reason: 'EmptyBundle' }] });
    expect(cluster.live.size).toBe(2);

    const allowed = input('');
    allowed.assignment.allowEmpty = true;
    const pruned = await reconcileBundle(cluster, allowed);
    expect(pruned.status.phase).toBe('Healthy');
    expect(cluster.live.size).toBe(0);
  });

  it('reports Failed and does not prune when an object fails to apply', async () => {
    const cluster = new FakeCluster();
    await reconcileBundle(cluster, input(docs(ns('web'), cm('a'), cm('old'))));
    cluster.failApply.set('a', 'ConfigMap "a" is invalid: data[a b]: Invalid value');

    const { status, applyErrors } = await reconcileBundle(cluster, input(docs(ns('web'), cm('a'))));

    expect(applyErrors).toBe(1);
    expect(status.phase).toBe('Failed');
    expect(status.failing[0]).toEqual({
      id: 'web_a__ConfigMap',
      reason: 'ApplyFailed',
      message: 'ConfigMap "a" is invalid: data[a b]: Invalid value',
    });
    expect(cluster.live.has('web_old__ConfigMap')).toBe(true);
  });

  it.each([
    ['before the deadline: Progressing', 30, 'Progressing'],
    ['after the deadline: Failed', 61, 'Failed'],
  ])('an object still in progress %s', async (_case, elapsedSeconds, phase) => {
    const cluster = new FakeCluster();
    cluster.statuses.set('a', 'InProgress');
    const since = new Date('2026-11-22T00:00:00Z');
    const { status } = await reconcileBundle(
      cluster,
      input(docs(ns('web'), cm('a')), { since, now: new Date(since.getTime() + elapsedSeconds * 1000) }),
    );
    expect(status.phase).toBe(phase);
  });

  it('counts re-created and re-configured objects as drift corrections on a re-apply', async () => {
    const cluster = new FakeCluster();
    await reconcileBundle(cluster, input(docs(ns('web'), cm('a'))));
    cluster.live.delete('web_a__ConfigMap'); // deleted out of band

    const { status } = await reconcileBundle(cluster, input(docs(ns('web'), cm('a')), { reapply: true }));

    expect(status.driftCorrections).toBe(1);
  });

  it('reports an API error precisely and keeps going', async () => {
    const cluster = new FakeCluster();
    cluster.throwOnApply = new Error('connect ECONNREFUSED 127.0.0.1:6443');
    const { status, applyErrors } = await reconcileBundle(cluster, input(docs(ns('web'))));
    expect(applyErrors).toBe(1);
    expect(status).toMatchObject({
      phase: 'Stalled',
      failing: [{ reason: 'ReconcileError', message: 'connect ECONNREFUSED 127.0.0.1:6443' }],
    });
  });

  describe('custom health rules', () => {
    const phased = (name: string, phase: string) => cm(name, `\n  labels:\n    phase: ${phase}`);
    const withRules = (manifests: string, healthChecks: Assignment['healthChecks']) => {
      const reconcile = input(manifests);
      reconcile.assignment.healthChecks = healthChecks;
      return reconcile;
    };
    const configMapRule = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      failed: "metadata.labels.phase == 'broken'",
      current: "metadata.labels.phase == 'ready'",
    };

    it.each([
      ['every object current by the rule', [phased('a', 'ready')], 'Healthy'],
      ['one object not yet current', [phased('a', 'ready'), phased('b', 'starting')], 'Progressing'],
      ['one object failed by the rule', [phased('a', 'ready'), phased('b', 'broken')], 'Failed'],
    ])('judge the bundle: %s', async (_case, configMaps, phase) => {
      const { status } = await reconcileBundle(
        new FakeCluster(),
        withRules(docs(ns('web'), ...configMaps), [configMapRule]),
      );
      expect(status.phase).toBe(phase);
    });

    it('name the rule that failed an object', async () => {
      const { status } = await reconcileBundle(
        new FakeCluster(),
        withRules(docs(ns('web'), phased('b', 'broken')), [configMapRule]),
      );
      expect(status.failing).toEqual([
        {
          id: 'web_b__ConfigMap',
          reason: 'HealthCheckFailed',
          message: 'healthChecks[0] (ConfigMap): failed is true',
        },
      ]);
    });

    it('turn an evaluation error into a failure only once the progress deadline passed', async () => {
      const rules = [{ apiVersion: 'v1', kind: 'ConfigMap', current: "metadata.annotations.ready == 'yes'" }];
      const early = await reconcileBundle(new FakeCluster(), withRules(docs(ns('web'), cm('a')), rules));
      expect(early.status).toMatchObject({ phase: 'Progressing', failing: [{ reason: 'HealthCheckError' }] });

      const late = withRules(docs(ns('web'), cm('a')), rules);
      late.now = new Date(late.since.getTime() + 61_000);
      const { status } = await reconcileBundle(new FakeCluster(), late);
      expect(status).toMatchObject({ phase: 'Failed', failing: [{ reason: 'ProgressDeadlineExceeded' }] });
      expect(status.failing[0]!.message).toBe(
        'healthChecks[0] (ConfigMap): current could not be evaluated: line 1, column 10: No such key: annotations',
      );
    });

    it('stall the application, touching nothing, when a rule does not compile here', async () => {
      const cluster = new FakeCluster();
      const { status } = await reconcileBundle(
        cluster,
        withRules(docs(ns('web'), cm('a')), [{ apiVersion: 'v1', kind: 'ConfigMap', current: 'data.a ==' }]),
      );
      expect(status).toMatchObject({
        phase: 'Stalled',
        failing: [
          {
            id: 'web',
            reason: 'InvalidHealthChecks',
            message: 'healthChecks[0].current: line 1, column 10: Unexpected token: EOF',
          },
        ],
      });
      expect(cluster.applyCalls).toBe(0);
      expect(cluster.inventories.size).toBe(0);
    });
  });
});
