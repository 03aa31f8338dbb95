import { describe, expect, it } from '@jest/globals';
import { type Assignment, bundleDigest, type CompiledHealthChecks } from '@fleetwave/contracts';
import {
  type ChangeSetEntry,
  computeStatus,
  type HookDeletion,
  type Inventory,
  type InventoryEntry,
  type KubeObject,
  objectId,
  type ResourceStatus,
} from '../domain/index.js';
import { type ClusterPort, type InventoryMeta, type InventoryRecord } from './cluster-port.js';
import { reconcileBundle, type ReconcileInput } from './reconcile.js';

/** An in-memory cluster: enough behaviour to observe what the pipeline asks of the real one. */
class FakeCluster implements ClusterPort {
  live = new Map<string, KubeObject>();
  inventories = new Map<string, Inventory>();
  /** Each application's stored record as saved (a copy: the pipeline keeps changing its own). */
  records = new Map<string, InventoryRecord>();
  statuses = new Map<string, ResourceStatus['status']>();
  refuseDelete = new Set<string>();
  failApply = new Map<string, string>();
  /** By name: fields the API server refuses to change on an object that exists. */
  immutable = new Map<string, string[]>();
  /** By name: hook objects whose deletion does not finish within the wait. */
  stuckDeleting = new Set<string>();
  throwOnApply: Error | undefined;
  applyCalls = 0;
  /** What was asked, in order: `apply web,a` (a staged apply), `applyHook migrate`, `recreate api`, … */
  events: string[] = [];

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
    this.events.push(`apply ${objects.map((o) => o.metadata.name).join(',')}`);
    const observed = new Map<string, KubeObject>();
    const entries = objects.map((o): ChangeSetEntry => {
      const id = objectId(o);
      const failure = this.failApply.get(o.metadata.name);
      if (failure) return { id, action: 'skipped', reason: failure };
      const fields = this.immutable.get(o.metadata.name);
      if (fields && this.live.has(id)) {
        return {
          id,
          action: 'skipped',
          reason: 'Invalid (422): field is immutable',
          immutableFields: fields,
        };
      }
      const existed = this.live.has(id);
      this.live.set(id, o);
      observed.set(id, o);
      return { id, action: existed ? 'unchanged' : 'created' };
    });
    return { entries, observed };
  }
  async loadInventory(application: string) {
    return this.inventories.get(application);
  }
  async readInventory(application: string) {
    return this.records.get(application);
  }
  async saveInventory(application: string, inventory: Inventory, meta: InventoryMeta) {
    this.inventories.set(application, inventory);
    this.records.set(application, structuredClone({ inventory, ...meta }));
  }
  async deleteInventory(application: string) {
    this.inventories.delete(application);
    this.records.delete(application);
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
  /** The ids of the apply's answers handed to each status read. */
  observedByRead: string[][] = [];
  /** A status set by the test, or the object's computed from what was applied (with the rules given). */
  async readStatuses(
    objects: KubeObject[],
    healthChecks?: CompiledHealthChecks,
    observed?: ReadonlyMap<string, KubeObject>,
  ) {
    this.observedByRead.push([...(observed?.keys() ?? [])]);
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
  async recreate(object: KubeObject, _labels: Record<string, string>, fields: string[]) {
    this.events.push(`recreate ${object.metadata.name}`);
    this.live.set(objectId(object), object);
    return {
      id: objectId(object),
      action: 'recreated' as const,
      reason: `immutable ${fields.join(', ')} changed`,
    };
  }
  async applyHook(object: KubeObject) {
    this.events.push(`applyHook ${object.metadata.name}`);
    const id = objectId(object);
    const failure = this.failApply.get(object.metadata.name);
    if (failure) return { id, action: 'skipped' as const, reason: failure };
    const existed = this.live.has(id);
    // A Job starts with no status; a test completes or fails it.
    this.live.set(id, { ...object, ...(object.kind === 'Job' ? { status: {} } : {}) });
    return { id, action: existed ? ('unchanged' as const) : ('created' as const) };
  }
  async readObject(object: KubeObject) {
    return this.live.get(objectId(object));
  }
  async deleteHook(
    object: KubeObject,
    _application: string,
    why: string,
    wait: boolean,
  ): Promise<HookDeletion> {
    const id = objectId(object);
    if (!this.live.has(id)) return { result: 'gone' };
    this.events.push(`deleteHook ${object.metadata.name} (${why}${wait ? ', wait' : ''})`);
    if (this.refuseDelete.has(id)) {
      return {
        result: 'refused',
        entry: { id, action: 'skipped', reason: `${why}: not managed by fleetwave` },
      };
    }
    if (wait && this.stuckDeleting.has(object.metadata.name)) {
      return { result: 'waiting', message: 'still being deleted after 60s' };
    }
    this.live.delete(id);
    return { result: 'gone', entry: { id, action: 'deleted', reason: why } };
  }

  /** The Job `name` finished: Complete, or Failed with `reason`. */
  finishJob(name: string, failure?: { reason: string; message: string }) {
    const id = [...this.live.keys()].find((key) => key.endsWith(`_${name}_batch_Job`))!;
    const job = this.live.get(id)!;
    const condition = failure
      ? { type: 'Failed', status: 'True', ...failure }
      : { type: 'Complete', status: 'True' };
    this.live.set(id, { ...job, status: { conditions: [condition] } });
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
    recreate: 'annotated',
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
    [
      'a namespace outside',
      docs(cm('a')),
      { namespaces: ['team-*'], kinds: ['*'], clusterKinds: [] },
      '/ConfigMap web/a',
    ],
    [
      'a kind outside',
      docs(cm('a')),
      { namespaces: ['web'], kinds: ['Secret'], clusterKinds: [] },
      '/ConfigMap web/a',
    ],
    [
      'a cluster-scoped object not listed',
      docs(ns('web'), cm('a')),
      { namespaces: ['web'], kinds: ['*'], clusterKinds: [] },
      '/Namespace web: cluster-scoped',
    ],
  ])(
    'stalls on %s of the project bounds without touching the cluster',
    async (_case, manifests, bounds, offender) => {
      const cluster = new FakeCluster();
      const base = input(manifests);
      const { status } = await reconcileBundle(cluster, {
        ...base,
        assignment: { ...base.assignment, bounds },
      });
      expect(status.phase).toBe('Stalled');
      expect(status.failing[0]).toMatchObject({ reason: 'OutsideProjectBounds' });
      expect(status.failing[0]!.message).toContain(offender);
      expect(cluster.applyCalls).toBe(0);
      expect(cluster.live.size).toBe(0);
    },
  );

  it('applies a bundle within the project bounds', async () => {
    const cluster = new FakeCluster();
    const base = input(docs(ns('web'), cm('a')));
    const bounds = { namespaces: ['web'], kinds: ['ConfigMap'], clusterKinds: ['Namespace'] };
    const { status } = await reconcileBundle(cluster, {
      ...base,
      assignment: { ...base.assignment, bounds },
    });
    expect(status.phase).toBe('Healthy');
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

  it("hands the apply's answers to the status read, and none for an object the apply refused", async () => {
    const cluster = new FakeCluster();
    cluster.failApply.set('b', 'admission webhook denied the request');
    await reconcileBundle(cluster, input(docs(ns('web'), cm('a'), cm('b'))));
    expect(cluster.observedByRead).toEqual([['_web__Namespace', 'web_a__ConfigMap']]);
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

/** The YAML of a hook's metadata.annotations: `helm.sh/hook: events` and `extra`. */
const hookAnnotations = (events: string, extra: Record<string, string>) =>
  Object.entries({ 'helm.sh/hook': events, ...extra })
    .map(([k, v]) => `\n    ${k}: "${v}"`)
    .join('');
/** helm-template-shaped hooks: a Job, a ConfigMap. */
const hookJob = (name: string, events: string, extra: Record<string, string> = {}) =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n  namespace: web\n  annotations:${hookAnnotations(events, extra)}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: run\n          image: busybox\n`;
const hookConfigMap = (name: string, events: string, extra: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: web\n  annotations:${hookAnnotations(events, extra)}\ndata:\n  a: "1"\n`;

describe('reconcileBundle: Helm hooks', () => {
  const hooksOf = (cluster: FakeCluster) => cluster.records.get('web')?.hooks;

  it('runs a pre-install hook to completion before anything else is applied, then the rest', async () => {
    const cluster = new FakeCluster();
    const bundle = docs(ns('web'), cm('a'), hookJob('migrate', 'pre-install,pre-upgrade'));

    const pending = await reconcileBundle(cluster, input(bundle));
    expect(pending.status).toMatchObject({
      phase: 'Progressing',
      ready: 0,
      total: 2,
      failing: [
        {
          id: 'web_migrate_batch_Job',
          reason: 'HookRunning',
          message: 'pre-install hook: Job not complete: 0 active, 0 succeeded, 0 failed',
        },
      ],
    });
    // Only the Namespace (Helm creates the release namespace before any hook), then the hook.
    expect(cluster.events).toEqual(['apply web', 'applyHook migrate']);
    expect([...cluster.live.keys()]).toEqual(['_web__Namespace', 'web_migrate_batch_Job']);
    expect(hooksOf(cluster)).toMatchObject({
      mode: 'install',
      started: ['pre-install/web_migrate_batch_Job'],
    });
    // The hook is not inventoried: a withdrawal now deletes the Namespace only, never the hook.
    expect(cluster.inventories.get('web')?.entries.map((e) => e.id)).toEqual(['_web__Namespace']);

    // Still running on the next pass: not created again, still nothing else applied.
    await reconcileBundle(cluster, input(bundle));
    expect(cluster.events).toEqual(['apply web', 'applyHook migrate', 'apply web']);
    expect(cluster.live.has('web_a__ConfigMap')).toBe(false);

    cluster.finishJob('migrate');
    const done = await reconcileBundle(cluster, input(bundle));
    expect(done.status).toMatchObject({ phase: 'Healthy', ready: 2, total: 2, failing: [] });
    expect(cluster.events.slice(3)).toEqual(['apply web', 'apply web,a']);
    expect(cluster.inventories.get('web')?.entries.map((e) => e.id)).toEqual([
      '_web__Namespace',
      'web_a__ConfigMap',
    ]);
    expect(hooksOf(cluster)).toMatchObject({
      succeeded: ['pre-install/web_migrate_batch_Job'],
      done: ['pre'],
    });
    // No delete policy: before-hook-creation, so the finished Job stays until the next run.
    expect(cluster.live.has('web_migrate_batch_Job')).toBe(true);
  });

  it('does not run the hooks again when the same digest is re-applied (drift correction, resync, restart)', async () => {
    const cluster = new FakeCluster();
    const bundle = docs(
      ns('web'),
      hookJob('migrate', 'pre-install'),
      hookConfigMap('marker', 'post-install'),
    );
    await reconcileBundle(cluster, input(bundle));
    cluster.finishJob('migrate');
    await reconcileBundle(cluster, input(bundle));
    expect(cluster.events).toEqual([
      'apply web',
      'applyHook migrate',
      'apply web',
      'apply web',
      'applyHook marker',
    ]);

    cluster.live.delete('_web__Namespace'); // drift: the re-apply puts it back, the hooks stay done
    const before = cluster.events.length;
    const again = await reconcileBundle(cluster, input(bundle, { reapply: true }));
    expect(again.status).toMatchObject({ phase: 'Healthy', driftCorrections: 1 });
    expect(cluster.events.slice(before)).toEqual(['apply web']);
  });

  it('fails the bundle with the Job failure reason, applies nothing else, and does not retry the digest', async () => {
    const cluster = new FakeCluster();
    const bundle = docs(ns('web'), cm('a'), hookJob('migrate', 'pre-install'));
    await reconcileBundle(cluster, input(bundle));
    cluster.finishJob('migrate', {
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });

    for (const reapply of [false, true]) {
      const { status } = await reconcileBundle(cluster, input(bundle, { reapply }));
      expect(status).toMatchObject({
        phase: 'Failed',
        failing: [
          {
            id: 'web_migrate_batch_Job',
            reason: 'BackoffLimitExceeded',
            message:
              'pre-install hook Job.batch web/migrate: Job failed: Job has reached the specified backoff limit (BackoffLimitExceeded)',
          },
        ],
      });
    }
    expect(cluster.live.has('web_a__ConfigMap')).toBe(false);
    // The pass that found it failed applied the Namespace again; the next one nothing at all.
    expect(cluster.events).toEqual(['apply web', 'applyHook migrate', 'apply web']);
    // No hook-failed policy: the failed Job stays, for its logs.
    expect(cluster.live.has('web_migrate_batch_Job')).toBe(true);

    // A new digest (a fixed revision) runs it again: the old run is deleted first.
    const fixed = docs(ns('web'), cm('a'), hookJob('migrate', 'pre-install'), cm('b'));
    const retried = await reconcileBundle(cluster, input(fixed));
    expect(retried.status.phase).toBe('Progressing');
    expect(cluster.events.slice(3)).toEqual([
      'apply web',
      'deleteHook migrate (before-hook-creation, wait)',
      'applyHook migrate',
    ]);
  });

  it.each([
    ['no policy (before-hook-creation)', undefined, true, true],
    ['hook-succeeded', 'hook-succeeded', false, true],
    ['hook-failed', 'hook-failed', true, false],
    ['hook-succeeded,hook-failed', 'hook-succeeded,hook-failed', false, false],
  ])(
    'delete policy %s: kept after success %s, after failure %s',
    async (_case, policy, keptOnSuccess, keptOnFailure) => {
      const extra: Record<string, string> =
        policy === undefined ? {} : { 'helm.sh/hook-delete-policy': policy };
      for (const failure of [undefined, { reason: 'DeadlineExceeded', message: 'too long' }]) {
        const cluster = new FakeCluster();
        const bundle = docs(ns('web'), hookJob('migrate', 'pre-install', extra));
        await reconcileBundle(cluster, input(bundle));
        cluster.finishJob('migrate', failure);
        const { status } = await reconcileBundle(cluster, input(bundle));
        expect(status.phase).toBe(failure ? 'Failed' : 'Healthy');
        expect(cluster.live.has('web_migrate_batch_Job')).toBe(failure ? keptOnFailure : keptOnSuccess);
      }
    },
  );

  it('before-hook-creation: waits for the old run to be gone before creating the hook again', async () => {
    const cluster = new FakeCluster();
    const v1 = docs(ns('web'), cm('a'), hookJob('migrate', 'pre-upgrade'));
    await reconcileBundle(cluster, input(v1)); // install: a pre-upgrade hook does not run
    expect(cluster.events).toEqual(['apply web,a']);

    const v2 = docs(ns('web'), cm('a', '\n  labels: { v: "2" }'), hookJob('migrate', 'pre-upgrade'));
    cluster.live.set('web_migrate_batch_Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
    });
    cluster.stuckDeleting.add('migrate');
    const waiting = await reconcileBundle(cluster, input(v2));
    expect(waiting.status).toMatchObject({
      phase: 'Progressing',
      failing: [
        {
          id: 'web_migrate_batch_Job',
          message: 'pre-upgrade hook: its earlier run is still being deleted after 60s',
        },
      ],
    });
    expect(hooksOf(cluster)?.started ?? []).toEqual([]); // not created: the deletion goes first

    cluster.stuckDeleting.clear();
    await reconcileBundle(cluster, input(v2));
    expect(cluster.events.slice(1)).toEqual([
      'apply web',
      'deleteHook migrate (before-hook-creation, wait)',
      'apply web',
      'deleteHook migrate (before-hook-creation, wait)',
      'applyHook migrate',
    ]);
  });

  it('refuses to run a hook whose namesake is not ours, rather than delete it', async () => {
    const cluster = new FakeCluster();
    cluster.live.set('web_migrate_batch_Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
    });
    cluster.refuseDelete.add('web_migrate_batch_Job');
    const { status } = await reconcileBundle(
      cluster,
      input(docs(ns('web'), hookJob('migrate', 'pre-install'))),
    );
    expect(status).toMatchObject({
      phase: 'Failed',
      failing: [
        {
          id: 'web_migrate_batch_Job',
          reason: 'HookNotRun',
          message: expect.stringContaining('before-hook-creation: not managed by fleetwave'),
        },
      ],
    });
    expect(cluster.events).toEqual(['apply web', 'deleteHook migrate (before-hook-creation, wait)']);
  });

  it('deletes hook-succeeded hooks once every hook of the phase succeeded, last first (a ServiceAccount outlives its Job)', async () => {
    const cluster = new FakeCluster();
    const policy = { 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' };
    const sa = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: migrator\n  namespace: web\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: "-5"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n`;
    const bundle = docs(ns('web'), hookJob('migrate', 'pre-install', policy), sa);
    await reconcileBundle(cluster, input(bundle));
    expect(cluster.events).toEqual(['apply web', 'applyHook migrator', 'applyHook migrate']);
    expect(cluster.live.has('web_migrator__ServiceAccount')).toBe(true);

    cluster.finishJob('migrate');
    const { status, changes } = await reconcileBundle(cluster, input(bundle));
    expect(status.phase).toBe('Healthy');
    expect(cluster.events.slice(3)).toEqual([
      'apply web',
      'deleteHook migrate (hook-succeeded)',
      'deleteHook migrator (hook-succeeded)',
      'apply web',
    ]);
    expect(changes.filter((c) => c.action === 'deleted')).toEqual([
      { id: 'web_migrate_batch_Job', action: 'deleted', reason: 'hook-succeeded' },
      { id: 'web_migrator__ServiceAccount', action: 'deleted', reason: 'hook-succeeded' },
    ]);
  });

  it('runs post hooks only once the rest is healthy, and is Progressing until they complete', async () => {
    const cluster = new FakeCluster();
    const bundle = docs(ns('web'), cm('a'), hookJob('notify', 'post-install'));
    cluster.statuses.set('a', 'InProgress');
    const progressing = await reconcileBundle(cluster, input(bundle));
    expect(progressing.status.phase).toBe('Progressing');
    expect(cluster.events).toEqual(['apply web,a']);

    cluster.statuses.delete('a');
    const running = await reconcileBundle(cluster, input(bundle));
    expect(running.status).toMatchObject({
      phase: 'Progressing',
      ready: 2,
      total: 2,
      failing: [{ id: 'web_notify_batch_Job', reason: 'HookRunning' }],
    });
    expect(cluster.events.at(-1)).toBe('applyHook notify');

    cluster.finishJob('notify');
    const healthy = await reconcileBundle(cluster, input(bundle));
    expect(healthy.status).toMatchObject({ phase: 'Healthy', failing: [] });
    expect(hooksOf(cluster)).toMatchObject({ done: ['post'] });
  });

  it('a failed post hook fails the bundle; the release objects are still kept as applied', async () => {
    const cluster = new FakeCluster();
    const bundle = docs(ns('web'), cm('a'), hookJob('notify', 'post-install'));
    await reconcileBundle(cluster, input(bundle));
    cluster.finishJob('notify', { reason: 'BackoffLimitExceeded', message: 'backoff' });
    await reconcileBundle(cluster, input(bundle));

    cluster.live.delete('web_a__ConfigMap');
    const { status } = await reconcileBundle(cluster, input(bundle, { reapply: true }));
    expect(status).toMatchObject({
      phase: 'Failed',
      ready: 2,
      driftCorrections: 1,
      failing: [{ id: 'web_notify_batch_Job', reason: 'BackoffLimitExceeded' }],
    });
    expect(cluster.live.has('web_a__ConfigMap')).toBe(true);
    expect(cluster.events.filter((e) => e === 'applyHook notify')).toHaveLength(1);
  });

  it('installs on the first apply, upgrades after: each runs its own hooks', async () => {
    const cluster = new FakeCluster();
    const hooks = [hookConfigMap('on-install', 'pre-install'), hookConfigMap('on-upgrade', 'pre-upgrade')];
    await reconcileBundle(cluster, input(docs(ns('web'), ...hooks)));
    expect(cluster.events).toEqual(['apply web', 'applyHook on-install', 'apply web']);

    await reconcileBundle(cluster, input(docs(ns('web'), cm('a'), ...hooks)));
    expect(cluster.events.slice(3)).toEqual(['apply web', 'applyHook on-upgrade', 'apply web,a']);
    expect(hooksOf(cluster)).toMatchObject({ mode: 'upgrade' });
  });

  it('never applies test hooks', async () => {
    const cluster = new FakeCluster();
    const test = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-test-connection\n  namespace: web\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers: []\n`;
    const { status } = await reconcileBundle(cluster, input(docs(ns('web'), cm('a'), test)));
    expect(status).toMatchObject({ phase: 'Healthy', total: 2 });
    expect(cluster.events).toEqual(['apply web,a']);
    expect(cluster.records.get('web')?.hooks).toBeUndefined();
  });

  it('never prunes a hook, even one that was a release object of the previous revision', async () => {
    const cluster = new FakeCluster();
    await reconcileBundle(cluster, input(docs(ns('web'), cm('a'), cm('seed'))));
    const { changes } = await reconcileBundle(
      cluster,
      input(docs(ns('web'), cm('a'), hookConfigMap('seed', 'pre-delete'))),
    );
    expect(changes.filter((c) => c.action === 'deleted')).toEqual([]);
    expect(cluster.live.has('web_seed__ConfigMap')).toBe(true);
    expect(cluster.inventories.get('web')?.entries.map((e) => e.id)).toEqual([
      '_web__Namespace',
      'web_a__ConfigMap',
    ]);
  });

  it('fails a pre hook still running past the progress deadline, and goes on once it completes', async () => {
    const cluster = new FakeCluster();
    const bundle = docs(ns('web'), hookJob('migrate', 'pre-install'));
    const since = new Date('2026-11-22T00:00:00Z');
    const late = { since, now: new Date(since.getTime() + 61_000) };
    await reconcileBundle(cluster, input(bundle, { since, now: since }));
    const { status } = await reconcileBundle(cluster, input(bundle, late));
    expect(status).toMatchObject({
      phase: 'Failed',
      failing: [{ id: 'web_migrate_batch_Job', reason: 'ProgressDeadlineExceeded' }],
    });
    cluster.finishJob('migrate');
    expect((await reconcileBundle(cluster, input(bundle, late))).status.phase).toBe('Healthy');
  });

  it('fails the bundle when a hook cannot be created', async () => {
    const cluster = new FakeCluster();
    cluster.failApply.set(
      'migrate',
      'Invalid (422): Job.batch "migrate" is invalid: spec.template.spec.containers: Required value',
    );
    const { status, applyErrors } = await reconcileBundle(
      cluster,
      input(docs(ns('web'), hookJob('migrate', 'pre-install'))),
    );
    expect(applyErrors).toBe(1);
    expect(status).toMatchObject({
      phase: 'Failed',
      failing: [
        {
          id: 'web_migrate_batch_Job',
          reason: 'HookApplyFailed',
          message: expect.stringContaining('Required value'),
        },
      ],
    });
  });
});

describe('reconcileBundle: immutable fields', () => {
  const deployment = (selector: string, annotated: boolean) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: web${annotated ? '\n  annotations:\n    fleetwave.io/recreate: "true"' : ''}\nspec:\n  selector:\n    matchLabels: { app: ${selector} }\n`;

  it.each([
    ['never', true, false],
    ['annotated', false, false],
    ['annotated', true, true],
    ['always', false, true],
  ] as const)('recreate %s, annotated %s: re-created %s', async (policy, annotated, recreated) => {
    const cluster = new FakeCluster();
    // The Deployment has no status for kstatus to judge: the test says it is Current.
    cluster.statuses.set('api', 'Current');
    await reconcileBundle(cluster, input(docs(ns('web'), deployment('api', annotated))));
    cluster.immutable.set('api', ['spec.selector']);

    const next = input(docs(ns('web'), deployment('api-v2', annotated)));
    next.assignment.recreate = policy;
    const { status, changes, applyErrors } = await reconcileBundle(cluster, next);

    const entry = changes.find((c) => c.id === 'web_api_apps_Deployment');
    if (recreated) {
      expect(status.phase).toBe('Healthy');
      expect(entry).toEqual({
        id: 'web_api_apps_Deployment',
        action: 'recreated',
        reason: 'immutable spec.selector changed',
      });
      expect(cluster.events.at(-1)).toBe('recreate api');
      expect(applyErrors).toBe(0);
    } else {
      expect(status.phase).toBe('Failed');
      expect(status.failing[0]).toEqual({
        id: 'web_api_apps_Deployment',
        reason: 'ImmutableField',
        message: expect.stringMatching(
          /^Deployment\.apps web\/api: field spec\.selector is immutable and differs from the live object; /,
        ) as unknown as string,
      });
      expect(entry?.action).toBe('skipped');
      expect(cluster.events).not.toContain('recreate api');
      expect(applyErrors).toBe(1);
    }
  });
});
