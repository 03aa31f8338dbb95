/**
 * The agent's Kubernetes I/O layer (services/agent/src/kube) against a real cluster
 * (etcd + kube-apiserver + kube-controller-manager + kube-scheduler + a kwok node):
 * staged server-side apply with dry-run change detection, prune, kstatus health, the
 * inventory ConfigMap, discovery, and the drift watcher.
 *
 * Every test uses its own application and namespace. Nothing waits a fixed time: every
 * wait polls for the condition it needs, bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForObserved } from '../harness/wait-for.js';

import {
  checkNamespaces,
  diffInventory,
  inventoryOf,
  objectId,
  ownerLabels,
  PRUNE_DISABLED_ANNOTATION,
  type ChangeSetEntry,
  type KubeObject,
} from '../../services/agent/src/domain/index.js';
import {
  applyBundle,
  createKubeClients,
  DriftWatcher,
  HttpMethod,
  InventoryCorruptError,
  inventoryConfigMapName,
  InventoryStore,
  prune,
  readStatuses,
  type ApplyOptions,
  type DriftEvent,
  type KubeClients,
} from '../../services/agent/src/kube/index.js';
import { ensureKubeBinaries, randomSuffix, startFleet, type Fleet } from '../kube/fleet.js';

const BUILD_TIMEOUT_MS = 45 * 60_000;
const START_TIMEOUT_MS = 180_000;

let fleet: Fleet | undefined;
let kube: KubeClients | undefined;
const watchers: DriftWatcher[] = [];

function clients(): KubeClients {
  if (kube === undefined) throw new Error('cluster did not start (see beforeAll)');
  return kube;
}

beforeAll(async () => {
  const binaries = await ensureKubeBinaries();
  fleet = await startFleet({ clusters: 1, namePrefix: 'agent-kube', binaries });
  const cluster = fleet.clusters[0]!;
  kube = createKubeClients({ kubeconfigPath: cluster.kubeconfigPath, context: cluster.context });
}, BUILD_TIMEOUT_MS + START_TIMEOUT_MS);

afterAll(async () => {
  for (const watcher of watchers) await watcher.stop();
  kube?.close();
  await fleet?.stop();
}, 120_000);

// ------------------------------------------------------------------------------------------ helpers

function uniqueApp(prefix: string): string {
  return `${prefix}-${randomSuffix()}`;
}

function applyOptions(application: string, extra: Partial<ApplyOptions> = {}): ApplyOptions {
  return {
    fieldManager: 'fleetwave',
    ownerLabels: ownerLabels({ application, clusterId: 'e2e-cluster' }),
    waitTimeoutMs: 30_000,
    ...extra,
  };
}

function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...extra }, data };
}

function deployment(
  namespace: string,
  name: string,
  extra: { replicas?: number; nodeSelector?: Record<string, string>; progressDeadlineSeconds?: number } = {},
): KubeObject {
  const spec: Record<string, unknown> = {
    replicas: extra.replicas ?? 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}),
        // kwok never pulls images: any reference will do.
        containers: [
          { name: 'app', image: 'fleetwave/demo:1', resources: { requests: { cpu: '0.1', memory: '64Mi' } } },
        ],
      },
    },
  };
  if (extra.progressDeadlineSeconds !== undefined)
    spec.progressDeadlineSeconds = extra.progressDeadlineSeconds;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec };
}

/** Namespace + ConfigMap + Deployment, the bundle most tests start from. */
function basicBundle(
  namespace: string,
  configData: Record<string, string> = { color: 'blue' },
): KubeObject[] {
  return [
    namespaceObject(namespace),
    configMap(namespace, 'settings', configData),
    deployment(namespace, 'web'),
  ];
}

function actions(entries: readonly ChangeSetEntry[]): Record<string, string> {
  return Object.fromEntries(entries.map((entry) => [entry.id, entry.action]));
}

async function resourceVersions(objects: readonly KubeObject[]): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const obj of objects) {
    const live = await clients().resources.get(obj);
    out[objectId(obj)] = live === undefined ? undefined : String(live.metadata.resourceVersion);
  }
  return out;
}

async function waitAllCurrent(objects: readonly KubeObject[], timeoutMs = 90_000): Promise<void> {
  await waitForObserved('every object Current', timeoutMs, async () => {
    const statuses = await readStatuses(clients(), objects);
    const pending = statuses.filter((result) => result.status.status !== 'Current');
    return {
      done: pending.length === 0 ? true : undefined,
      observed: pending
        .map((result) => `${result.id}=${result.status.status}(${result.status.message})`)
        .join(', '),
    };
  });
}

// -------------------------------------------------------------------------------------------- tests

describe('applyBundle (staged server-side apply)', () => {
  const application = uniqueApp('basic');
  const namespace = `fw-${application}`;

  it('creates a Namespace, a ConfigMap and a Deployment that becomes Current', async () => {
    const objects = basicBundle(namespace);
    const started = Date.now();
    const entries = await applyBundle(clients(), objects, applyOptions(application));
    const applyMs = Date.now() - started;
    expect(entries).toEqual([
      { id: `_${namespace}__Namespace`, action: 'created' },
      { id: `${namespace}_settings__ConfigMap`, action: 'created' },
      { id: `${namespace}_web_apps_Deployment`, action: 'created' },
    ]);
    for (const obj of objects) {
      const live = await clients().resources.get(obj);
      expect(live?.metadata.labels).toMatchObject({
        'fleetwave.io/application': application,
        'fleetwave.io/managed-by': 'fleetwave',
      });
    }
    const readyStarted = Date.now();
    await waitAllCurrent(objects);
    console.log(`apply of 3 objects: ${applyMs} ms; Current after ${Date.now() - readyStarted} ms more`);
  });

  it('applies the same bundle again as unchanged, without writing', async () => {
    const objects = basicBundle(namespace);
    const before = await resourceVersions(objects);
    const entries = await applyBundle(clients(), objects, applyOptions(application));
    expect(entries.map((entry) => entry.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await resourceVersions(objects)).toEqual(before);
  });

  it('reports a changed ConfigMap as configured, the rest unchanged', async () => {
    const objects = basicBundle(namespace, { color: 'green' });
    const entries = await applyBundle(clients(), objects, applyOptions(application));
    expect(actions(entries)).toEqual({
      [`_${namespace}__Namespace`]: 'unchanged',
      [`${namespace}_settings__ConfigMap`]: 'configured',
      [`${namespace}_web_apps_Deployment`]: 'unchanged',
    });
    const live = await clients().resources.get(objects[1]!);
    expect(live?.data).toEqual({ color: 'green' });
  });

  it('applies a CRD and a custom resource of it in one bundle (waits for Established)', async () => {
    const app = uniqueApp('crd');
    const ns = `fw-${app}`;
    const group = `${app}.e2e.fleetwave.io`;
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    };
    // Without a namespace: the assignment's default namespace fills it in (the CRD says Namespaced).
    const widget: KubeObject = {
      apiVersion: `${group}/v1`,
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { size: 3 },
    };
    const bundle = [widget, crd, namespaceObject(ns)];

    expect(await clients().discovery.isNamespaced(`${group}/v1`, 'Widget')).toBeUndefined();
    const lookup = await clients().discovery.scopeLookup(bundle);
    const checked = checkNamespaces(bundle, { isNamespaced: lookup, defaultNamespace: ns });
    expect(checked.errors).toEqual([]);

    const entries = await applyBundle(clients(), checked.objects, applyOptions(app));
    expect(entries).toEqual([
      { id: `_${ns}__Namespace`, action: 'created' },
      { id: `_widgets.${group}_apiextensions.k8s.io_CustomResourceDefinition`, action: 'created' },
      { id: `${ns}_w1_${group}_Widget`, action: 'created' },
    ]);
    const live = await clients().resources.get({
      apiVersion: `${group}/v1`,
      kind: 'Widget',
      metadata: { name: 'w1', namespace: ns },
    });
    expect(live?.spec).toEqual({ size: 3 });
    // Discovery refreshed on the miss: the kind is known now.
    expect(await clients().discovery.isNamespaced(`${group}/v1`, 'Widget')).toBe(true);

    const again = await applyBundle(clients(), checked.objects, applyOptions(app));
    expect(again.map((entry) => entry.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('does not wait out the bound for a CRD whose names are refused', async () => {
    const app = uniqueApp('names');
    const group = `${app}.e2e.fleetwave.io`;
    const crd = (plural: string, kind: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: 'Cluster',
        names: { plural, kind },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    await applyBundle(clients(), [crd('gadgets', 'Gadget')], applyOptions(app));
    const started = Date.now();
    const [entry] = await applyBundle(
      clients(),
      [crd('gizmos', 'Gadget')],
      applyOptions(app, { waitTimeoutMs: 30_000 }),
    );
    const tookMs = Date.now() - started;
    expect(entry?.action).toBe('created');
    expect(entry?.reason).toMatch(/Gadget/);
    expect(tookMs).toBeLessThan(20_000);
    console.log(`refused CRD names noted after ${tookMs} ms: ${entry?.reason}`);
  });

  it('skips an object the API server refuses, with its message, and applies the others', async () => {
    const app = uniqueApp('invalid');
    const ns = `fw-${app}`;
    const negative = deployment(ns, 'negative', { replicas: -1 });
    const typo: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'typo', namespace: ns },
      datta: { a: 'b' },
    };
    const objects = [namespaceObject(ns), configMap(ns, 'fine', { a: 'b' }), negative, typo];
    const entries = await applyBundle(clients(), objects, applyOptions(app));
    const byId = new Map(entries.map((entry) => [entry.id, entry]));

    expect(byId.get(`_${ns}__Namespace`)?.action).toBe('created');
    expect(byId.get(`${ns}_fine__ConfigMap`)?.action).toBe('created');
    const negativeEntry = byId.get(`${ns}_negative_apps_Deployment`);
    expect(negativeEntry?.action).toBe('skipped');
    expect(negativeEntry?.reason).toMatch(
      /^Invalid \(422\): Deployment\.apps "negative" is invalid: spec\.replicas: Invalid value: -1/,
    );
    const typoEntry = byId.get(`${ns}_typo__ConfigMap`);
    expect(typoEntry?.action).toBe('skipped');
    expect(typoEntry?.reason).toMatch(/\.datta: field not declared in schema/);
    console.log(`skipped reasons:\n  ${negativeEntry?.reason}\n  ${typoEntry?.reason}`);

    expect(await clients().resources.get(negative)).toBeUndefined();
    expect(await clients().resources.get(typo)).toBeUndefined();
  });
});

describe('readStatuses', () => {
  it('shows an unschedulable Deployment InProgress, then Failed with ProgressDeadlineExceeded', async () => {
    const app = uniqueApp('stuck');
    const ns = `fw-${app}`;
    const stuck = deployment(ns, 'stuck', {
      nodeSelector: { 'fleetwave.io/no-such-node': 'true' },
      progressDeadlineSeconds: 5,
    });
    const objects = [namespaceObject(ns), stuck];
    const started = Date.now();
    await applyBundle(clients(), objects, applyOptions(app));

    const [first] = await readStatuses(clients(), [stuck]);
    expect(first?.id).toBe(`${ns}_stuck_apps_Deployment`);
    expect(first?.status.status).toBe('InProgress');

    const failed = await waitForObserved('Deployment stuck Failed', 60_000, async () => {
      const [result] = await readStatuses(clients(), [stuck]);
      return {
        done: result?.status.status === 'Failed' ? result : undefined,
        observed: `${result?.status.status} ${result?.status.reason ?? ''} ${result?.status.message}`,
      };
    });
    expect(failed.status.reason).toBe('ProgressDeadlineExceeded');
    console.log(
      `ProgressDeadlineExceeded after ${Date.now() - started} ms (deadline 5 s): ${failed.status.message}`,
    );
  });

  it('is NotFound for an object that does not exist', async () => {
    const [result] = await readStatuses(clients(), [configMap('default', 'no-such-config', {})]);
    expect(result).toEqual({
      id: 'default_no-such-config__ConfigMap',
      status: { status: 'NotFound', message: 'Resource not found' },
    });
  });
});

describe('prune', () => {
  it('deletes what left the bundle', async () => {
    const app = uniqueApp('prune');
    const ns = `fw-${app}`;
    const v1 = [...basicBundle(ns), configMap(ns, 'leaving', { a: '1' })];
    await applyBundle(clients(), v1, applyOptions(app));
    const v2 = basicBundle(ns);
    const entries = await applyBundle(clients(), v2, applyOptions(app));
    expect(entries.map((entry) => entry.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);

    const { stale } = diffInventory(inventoryOf(v1), inventoryOf(v2));
    expect(stale).toEqual([{ id: `${ns}_leaving__ConfigMap`, version: 'v1' }]);
    const result = await prune(clients(), stale, app);
    expect(result).toEqual({
      entries: [{ id: `${ns}_leaving__ConfigMap`, action: 'deleted' }],
      survivors: [],
    });
    await waitForObserved('ConfigMap leaving gone', 30_000, async () => {
      const live = await clients().resources.get(v1[3]!);
      return { done: live === undefined ? true : undefined, observed: 'still there' };
    });
    // Pruning again: it is gone, nothing to do.
    expect(await prune(clients(), stale, app)).toEqual({ entries: [], survivors: [] });

    // Recorded under a version the cluster no longer serves (autoscaling/v2beta2 left in 1.26):
    // deleted through one it serves, not mistaken for gone.
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 3,
      },
    };
    await applyBundle(clients(), [hpa], applyOptions(app));
    const hpaId = objectId(hpa);
    const old = await prune(clients(), [{ id: hpaId, version: 'v2beta2' }], app);
    expect(old).toEqual({ entries: [{ id: hpaId, action: 'deleted' }], survivors: [] });
  });

  it('skips objects that are not ours or are prune-disabled; a refused delete survives', async () => {
    const app = uniqueApp('keep');
    const ns = `fw-${app}`;
    const undeletableLabel = `e2e.fleetwave.io/undeletable-${app}`;
    const disabled = configMap(
      ns,
      'disabled',
      { a: '1' },
      { annotations: { [PRUNE_DISABLED_ANNOTATION]: 'disabled' } },
    );
    const undeletable = configMap(ns, 'undeletable', { a: '1' }, { labels: { [undeletableLabel]: 'true' } });
    const deletable = configMap(ns, 'deletable', { a: '1' });
    await applyBundle(clients(), [namespaceObject(ns), disabled, undeletable, deletable], applyOptions(app));

    // Not ours: applied by someone else without our labels; and one owned by another application.
    const foreign = configMap(ns, 'foreign', { a: '1' });
    await clients().resources.apply(foreign, { fieldManager: 'someone-else', force: true });
    const otherApp = configMap(ns, 'other-app', { a: '1' });
    await applyBundle(clients(), [otherApp], applyOptions(`${app}-other`));

    // An admission policy that refuses to delete the `undeletable` ConfigMap.
    const policyName = `e2e-undeletable-${app}`;
    await clients().resources.apply(
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: policyName },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            resourceRules: [
              { apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['configmaps'] },
            ],
            objectSelector: { matchLabels: { [undeletableLabel]: 'true' } },
          },
          validations: [{ expression: 'false', message: 'e2e: this ConfigMap must stay' }],
        },
      },
      { fieldManager: 'e2e', force: true },
    );
    await clients().resources.apply(
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: policyName },
        spec: { policyName, validationActions: ['Deny'] },
      },
      { fieldManager: 'e2e', force: true },
    );
    const undeletablePath = await clients().resources.objectPath(undeletable);
    await waitForObserved('the admission policy to refuse deletes', 60_000, async () => {
      try {
        await clients().http.request(HttpMethod.DELETE, undeletablePath, { query: { dryRun: 'All' } });
        return { done: undefined, observed: 'dry-run delete allowed' };
      } catch (err) {
        return { done: true, observed: String(err) };
      }
    });

    const stale = [
      { id: `${ns}_deletable__ConfigMap`, version: 'v1' },
      { id: `${ns}_disabled__ConfigMap`, version: 'v1' },
      { id: `${ns}_foreign__ConfigMap`, version: 'v1' },
      { id: `${ns}_other-app__ConfigMap`, version: 'v1' },
      { id: `${ns}_undeletable__ConfigMap`, version: 'v1' },
      { id: `${ns}_absent__ConfigMap`, version: 'v1' },
    ];
    const result = await prune(clients(), stale, app);
    const byId = new Map(result.entries.map((entry) => [entry.id, entry]));
    expect(byId.get(`${ns}_deletable__ConfigMap`)).toEqual({
      id: `${ns}_deletable__ConfigMap`,
      action: 'deleted',
    });
    expect(byId.get(`${ns}_disabled__ConfigMap`)).toEqual({
      id: `${ns}_disabled__ConfigMap`,
      action: 'skipped',
      reason: 'fleetwave.io/prune: disabled',
    });
    expect(byId.get(`${ns}_foreign__ConfigMap`)).toEqual({
      id: `${ns}_foreign__ConfigMap`,
      action: 'skipped',
      reason: 'not managed by fleetwave',
    });
    expect(byId.get(`${ns}_other-app__ConfigMap`)).toEqual({
      id: `${ns}_other-app__ConfigMap`,
      action: 'skipped',
      reason: `owned by application "${app}-other"`,
    });
    const refused = byId.get(`${ns}_undeletable__ConfigMap`);
    expect(refused?.action).toBe('skipped');
    expect(refused?.reason).toMatch(/^cannot delete: .*e2e: this ConfigMap must stay/);
    expect(byId.has(`${ns}_absent__ConfigMap`)).toBe(false);
    expect(result.survivors).toEqual([{ id: `${ns}_undeletable__ConfigMap`, version: 'v1' }]);
    console.log(`refused delete: ${refused?.reason}`);

    for (const kept of [disabled, foreign, otherApp, undeletable]) {
      expect(await clients().resources.get(kept)).toBeDefined();
    }
    await clients().resources.delete({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: policyName },
    });
  });
  it('keeps a Namespace that holds an object it leaves in place, and deletes one that holds none', async () => {
    const app = uniqueApp('ns');
    const [held, empty] = [`fw-${app}-held`, `fw-${app}-empty`];
    const kept = configMap(
      held,
      'kept',
      { a: '1' },
      { annotations: { [PRUNE_DISABLED_ANNOTATION]: 'disabled' } },
    );
    const objects = [
      namespaceObject(held),
      namespaceObject(empty),
      kept,
      configMap(held, 'a', { a: '1' }),
      configMap(empty, 'b', { a: '1' }),
    ];
    await applyBundle(clients(), objects, applyOptions(app));

    // Everything leaves (a withdrawal): deleted in reverse apply order, Namespaces last.
    const { stale } = diffInventory(inventoryOf(objects), { entries: [] });
    const result = await prune(clients(), stale, app);

    expect(result.survivors).toEqual([]);
    expect(new Map(result.entries.map((e) => [e.id, e.reason ?? e.action]))).toEqual(
      new Map([
        [`${empty}_b__ConfigMap`, 'deleted'],
        [`${held}_a__ConfigMap`, 'deleted'],
        [`${held}_kept__ConfigMap`, 'fleetwave.io/prune: disabled'],
        [`_${empty}__Namespace`, 'deleted'],
        [`_${held}__Namespace`, `holds objects left in place (ConfigMap ${held}/kept)`],
      ]),
    );
    expect(await clients().resources.get(kept)).toBeDefined();
    expect(await clients().resources.get(namespaceObject(held))).toBeDefined();
    await waitForObserved('the empty Namespace gone', 60_000, async () => {
      const live = await clients().resources.get(namespaceObject(empty));
      return {
        done: live === undefined ? true : undefined,
        observed: live?.metadata.deletionTimestamp ? 'terminating' : 'there',
      };
    });
  });
});

describe('InventoryStore', () => {
  it('round-trips an inventory through its ConfigMap', async () => {
    const agentNamespace = `fleetwave-system-${randomSuffix()}`;
    await clients().resources.apply(namespaceObject(agentNamespace), { fieldManager: 'e2e', force: true });
    const store = new InventoryStore(clients(), agentNamespace);
    const app = uniqueApp('inv');

    expect(await store.load(app)).toBeUndefined();
    const inventory = inventoryOf(basicBundle(`fw-${app}`));
    await store.save(app, inventory, { digest: 'sha256:abc', commit: '0123456789abcdef' });
    expect(await store.load(app)).toEqual(inventory);
    expect(await store.read(app)).toEqual({ inventory, digest: 'sha256:abc', commit: '0123456789abcdef' });
    expect(await store.applications()).toContain(app);

    const smaller = { entries: inventory.entries.slice(0, 1) };
    await store.save(app, smaller, { digest: 'sha256:def', commit: 'fedcba9876543210' });
    expect(await store.read(app)).toEqual({
      inventory: smaller,
      digest: 'sha256:def',
      commit: 'fedcba9876543210',
    });

    const live = await clients().resources.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: inventoryConfigMapName(app), namespace: agentNamespace },
    });
    expect(Object.keys((live?.data ?? {}) as object).sort()).toEqual(['commit', 'digest', 'inventory.json']);

    // Damaged by hand: the store refuses to guess.
    await clients().resources.apply(
      configMap(agentNamespace, inventoryConfigMapName(app), { 'inventory.json': '{not json' }),
      { fieldManager: 'vandal', force: true },
    );
    await expect(store.load(app)).rejects.toBeInstanceOf(InventoryCorruptError);

    await store.delete(app);
    expect(await store.load(app)).toBeUndefined();
    await store.delete(app); // already gone: a withdrawal carried out again does not fail
  });
});

describe('createKubeClients', () => {
  it('sends every request through one keep-alive pool, the typed clients too', async () => {
    const agent = clients().agent.get();
    expect(agent).toBeDefined();
    const count = (sockets: NodeJS.ReadOnlyDict<unknown[]>): number =>
      Object.values(sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
    const started = Date.now();
    for (let i = 0; i < 20; i += 1) await clients().resources.get(namespaceObject('default'));
    const ns = await clients().core.readNamespace({ name: 'default' });
    console.log(`21 sequential GETs: ${Date.now() - started} ms`);
    expect(ns.metadata?.name).toBe('default');
    expect(count(agent!.freeSockets)).toBeGreaterThanOrEqual(1);
    expect(count(agent!.sockets) + count(agent!.freeSockets)).toBeLessThanOrEqual(4);
  });
});

describe('ResourceDiscovery', () => {
  it('knows which kinds are namespaced', async () => {
    const discovery = clients().discovery;
    expect(await discovery.isNamespaced('apps/v1', 'Deployment')).toBe(true);
    expect(await discovery.isNamespaced('v1', 'ConfigMap')).toBe(true);
    expect(await discovery.isNamespaced('v1', 'Namespace')).toBe(false);
    expect(await discovery.isNamespaced('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe(false);
    expect(await discovery.isNamespaced('v1', 'NoSuchKind')).toBeUndefined();
    expect(await discovery.isNamespaced('nope.example.com/v1', 'Thing')).toBeUndefined();
  });
});

describe('DriftWatcher', () => {
  it('reports out-of-band changes and deletions, not its own applies or status updates', async () => {
    const app = uniqueApp('drift');
    const ns = `fw-${app}`;
    const objects = basicBundle(ns);
    const [, settings, web] = objects as [KubeObject, KubeObject, KubeObject];
    const webId = objectId(web);
    const settingsId = objectId(settings);
    const drifts: DriftEvent[] = [];
    const errors: string[] = [];
    const watcher = new DriftWatcher(clients(), {
      onDrift: (event) => drifts.push(event),
      onError: (err, scope) => errors.push(`${scope}: ${err instanceof Error ? err.message : String(err)}`),
    });
    watchers.push(watcher);
    const options = applyOptions(app, { onApplied: (applied) => watcher.observe(applied) });

    await applyBundle(clients(), objects, options);
    watcher.track(app, objects);
    expect(watcher.scopes()).toEqual([`apps/v1 Deployment ${ns}`, `v1 ConfigMap ${ns}`, 'v1 Namespace *']);
    await waitAllCurrent(objects);
    // The controllers' status updates reached the watcher and were judged: no drift.
    await waitForWatcherToSee(watcher, objects);
    expect(drifts).toEqual([]);

    // Out of band: scale the Deployment through the API.
    const webPath = await clients().resources.objectPath(web);
    const scaledAt = Date.now();
    await clients().http.request(HttpMethod.PATCH, `${webPath}/scale`, {
      body: { spec: { replicas: 3 } },
      contentType: 'application/merge-patch+json',
    });
    await waitForObserved('drift MODIFIED for the Deployment', 30_000, () => ({
      done: drifts.find((event) => event.id === webId) ?? undefined,
      observed: JSON.stringify(drifts),
    }));
    console.log(`drift (scale) reported after ${Date.now() - scaledAt} ms`);
    expect(drifts).toEqual([{ application: app, id: webId, type: 'MODIFIED' }]);

    // The agent reverts it: configured (a drift correction); its own write is not drift.
    const corrected = await applyBundle(clients(), objects, options);
    expect(actions(corrected)[webId]).toBe('configured');
    expect((await clients().resources.get(web))?.spec).toMatchObject({ replicas: 2 });
    await waitForWatcherToSee(watcher, objects);
    expect(drifts).toHaveLength(1);

    // A change of ConfigMap data in the bundle, applied by the agent: not drift either.
    const v2 = basicBundle(ns, { color: 'red' });
    expect(actions(await applyBundle(clients(), v2, options))[settingsId]).toBe('configured');
    watcher.track(app, v2);
    await waitForWatcherToSee(watcher, v2);
    expect(drifts).toHaveLength(1);

    // Out of band: delete the Deployment.
    const deletedAt = Date.now();
    await clients().resources.delete(web);
    await waitForObserved('drift DELETED for the Deployment', 30_000, () => ({
      done: drifts.find((event) => event.type === 'DELETED') ?? undefined,
      observed: JSON.stringify(drifts),
    }));
    console.log(`drift (delete) reported after ${Date.now() - deletedAt} ms`);
    expect(drifts[1]).toEqual({ application: app, id: webId, type: 'DELETED' });

    const recreated = await applyBundle(clients(), v2, options);
    expect(actions(recreated)[webId]).toBe('created');
    await waitForWatcherToSee(watcher, v2);
    expect(drifts).toHaveLength(2);

    // Untracked objects are not watched: dropping the Deployment stops nothing else.
    watcher.track(app, v2.slice(0, 2));
    expect(watcher.scopes()).toEqual([`v1 ConfigMap ${ns}`, 'v1 Namespace *']);
    expect(errors).toEqual([]);
    await watcher.stop();
    expect(watcher.scopes()).toEqual([]);
  });

  it('restarts a silent watch (watchdog) and still reports drift', async () => {
    const app = uniqueApp('watchdog');
    const ns = `fw-${app}`;
    const objects = [namespaceObject(ns), configMap(ns, 'quiet', { a: '1' })];
    const drifts: DriftEvent[] = [];
    const watcher = new DriftWatcher(clients(), {
      onDrift: (event) => drifts.push(event),
      watchTimeoutSeconds: 600,
      silenceTimeoutMs: 1_500,
      settleMs: 100,
    });
    watchers.push(watcher);
    await applyBundle(
      clients(),
      objects,
      applyOptions(app, { onApplied: (applied) => watcher.observe(applied) }),
    );
    watcher.track(app, objects);

    // Nothing changes: after 1.5 s of silence the watchdog re-lists and watches again.
    await waitForObserved('a watchdog restart', 30_000, () => ({
      done: watcher.stats().restarts >= 2 ? true : undefined,
      observed: JSON.stringify(watcher.stats()),
    }));
    await waitForObserved('the watches running again', 30_000, () => ({
      done: watcher.isIdle() ? true : undefined,
      observed: JSON.stringify(watcher.stats()),
    }));
    expect(drifts).toEqual([]);

    await clients().http.request(HttpMethod.PATCH, await clients().resources.objectPath(objects[1]!), {
      body: { data: { a: '2' } },
      contentType: 'application/merge-patch+json',
    });
    await waitForObserved('drift after the restarts', 30_000, () => ({
      done: drifts.length > 0 ? true : undefined,
      observed: JSON.stringify(watcher.stats()),
    }));
    expect(drifts).toEqual([{ application: app, id: objectId(objects[1]!), type: 'MODIFIED' }]);
    await watcher.stop();
  });
});

describe('DriftWatcher (server-side watch timeouts)', () => {
  it('resumes a watch the server ends, without a re-list, and keeps reporting', async () => {
    const app = uniqueApp('resume');
    const ns = `fw-${app}`;
    const objects = [namespaceObject(ns), configMap(ns, 'brief', { a: '1' })];
    const drifts: DriftEvent[] = [];
    const watcher = new DriftWatcher(clients(), {
      onDrift: (event) => drifts.push(event),
      watchTimeoutSeconds: 2,
      settleMs: 100,
    });
    watchers.push(watcher);
    await applyBundle(
      clients(),
      objects,
      applyOptions(app, { onApplied: (applied) => watcher.observe(applied) }),
    );
    watcher.track(app, objects);

    await waitForObserved('the server to end and the watcher to resume both watches twice', 30_000, () => ({
      done: watcher.stats().resumes >= 4 ? true : undefined,
      observed: JSON.stringify(watcher.stats()),
    }));
    await clients().http.request(HttpMethod.PATCH, await clients().resources.objectPath(objects[1]!), {
      body: { data: { a: '2' } },
      contentType: 'application/merge-patch+json',
    });
    await waitForObserved('drift after the resumes', 30_000, () => ({
      done: drifts.length > 0 ? true : undefined,
      observed: JSON.stringify(watcher.stats()),
    }));
    expect(drifts).toEqual([{ application: app, id: objectId(objects[1]!), type: 'MODIFIED' }]);
    expect(watcher.stats().restarts).toBe(0);
    await watcher.stop();
  });
});

/** Waits until the watcher has seen the live resourceVersion of every object and judged it. */
async function waitForWatcherToSee(watcher: DriftWatcher, objects: readonly KubeObject[]): Promise<void> {
  await waitForObserved('the watcher to catch up', 30_000, async () => {
    const lagging: string[] = [];
    for (const obj of objects) {
      const live = await clients().resources.get(obj);
      const id = objectId(obj);
      const liveVersion = live === undefined ? undefined : String(live.metadata.resourceVersion);
      if (watcher.lastSeenResourceVersion(id) !== liveVersion) lagging.push(id);
    }
    const idle = watcher.isIdle();
    return {
      done: lagging.length === 0 && idle ? true : undefined,
      observed: `lagging=[${lagging.join(', ')}] idle=${idle}`,
    };
  });
}
