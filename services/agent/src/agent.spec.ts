import { describe, expect, it } from '@jest/globals';
import { type AssignmentsResponse, bundleDigest, type BundleStatus } from '@fleetwave/contracts';
import { type AddressInfo } from 'node:net';
import pino from 'pino';
import { Agent, type AgentDeps } from './agent.js';
import { APPLICATION_LABEL, type ChangeSetEntry, objectId } from './domain/index.js';
import { startHealthServer } from './health-server.js';
import { type BundleCache } from './hub/bundle-cache.js';
import { type AssignmentsPoll, type HubClient } from './hub/hub-client.js';
import { fakeTimers } from './fake-timers.test-support.js';
import { MAINTENANCE_ANNOTATION } from './maintenance.js';
import { AgentMetrics, type ReconcileMetrics } from './metrics.js';
import { type ClusterPort, type InventoryRecord } from './pipeline/cluster-port.js';
import { type ReportExtras, type Reporter, type StatusExtras } from './report/reporter.js';

const MANIFESTS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: web\ndata:\n  k: v\n';
const DIGEST = bundleDigest(MANIFESTS);
const response = (generation: number): AssignmentsResponse => ({
  generation,
  withdrawals: [],
  assignments: [
    {
      application: 'web',
      digest: DIGEST,
      commit: 'a'.repeat(40),
      prune: true,
      allowEmpty: false,
      progressDeadlineSeconds: 600,
      healthChecks: [],
      recreate: 'annotated',
    },
  ],
});

/** A cluster that accepts everything and reports every object Current. */
const healthyCluster: ClusterPort = {
  checkScopes: async (objects) => ({ objects, errors: [] }),
  apply: async (objects) => ({
    entries: objects.map((o) => ({ id: objectId(o), action: 'unchanged' as const })),
    observed: new Map(),
  }),
  loadInventory: async () => undefined,
  readInventory: async () => undefined,
  saveInventory: async () => undefined,
  deleteInventory: async () => undefined,
  untrack: () => undefined,
  prune: async () => ({ entries: [], survivors: [] }),
  readStatuses: async (objects) =>
    objects.map((o) => ({ id: objectId(o), status: { status: 'Current', message: '' } })),
  recreate: async (object) => ({ id: objectId(object), action: 'recreated' as const }),
  applyHook: async (object) => ({ id: objectId(object), action: 'created' as const }),
  readObject: async () => undefined,
  deleteHook: async () => ({ result: 'gone' as const }),
};

/** Hands out the queued poll answers, then holds the poll until the agent stops. */
function fakeHub(polls: AssignmentsResponse[]) {
  const waiters: (() => void)[] = [];
  const hub = {
    async pollAssignments(_generation: number | undefined, signal?: AbortSignal): Promise<AssignmentsPoll> {
      const next = polls.shift();
      if (next !== undefined) return { changed: true, response: next };
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      const pushed = signal?.aborted ? undefined : polls.shift();
      if (pushed !== undefined) return { changed: true, response: pushed };
      throw new Error('stopped');
    },
    async fetchBundle(digest: string) {
      return BUNDLES.get(digest) ?? MANIFESTS;
    },
  };
  return {
    hub: hub as unknown as HubClient,
    push: (r: AssignmentsResponse) => (polls.push(r), waiters.shift()?.()),
  };
}

function deps(hub: HubClient, statuses: BundleStatus[][], overrides: Partial<AgentDeps> = {}): AgentDeps {
  const cache = {
    loadAssignments: async () => undefined,
    saveAssignments: async () => undefined,
    loadBundle: async () => undefined,
    saveBundle: async () => undefined,
  } as unknown as BundleCache;
  const reporter = {
    heartbeat: async () => undefined,
    status: async (_s: unknown, bundles: BundleStatus[]) => void statuses.push(bundles),
    close: async () => undefined,
  } as unknown as Reporter;
  return {
    clusterId: '00000000-0000-4000-8000-000000000001',
    hub,
    cache,
    port: healthyCluster,
    reporter,
    drift: { onDrift: () => undefined, stop: async () => undefined },
    logger: pino({ level: 'silent' }),
    facts: async () => ({}),
    namespaceAnnotations: async () => undefined,
    heartbeatIntervalSeconds: 3600,
    resyncSeconds: 3600,
    ...overrides,
  };
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Agent', () => {
  it('reports after new assignments even when the cluster already runs that bundle (a retry)', async () => {
    const statuses: BundleStatus[][] = [];
    const { hub, push } = fakeHub([response(1)]);
    const agent = new Agent(deps(hub, statuses));
    try {
      await agent.start();
      await until(() => statuses.length === 1);
      expect(statuses[0]).toMatchObject([{ application: 'web', digest: DIGEST, phase: 'Healthy' }]);

      // The hub re-assigned the same digest with a new generation: nothing changes in the cluster,
      // but the hub waits for a report newer than the retry, so the agent sends one.
      push(response(2));
      await until(() => statuses.length === 2);
      expect(statuses[1]).toMatchObject([{ application: 'web', digest: DIGEST, phase: 'Healthy' }]);
    } finally {
      await agent.stop();
    }
  });

  it('does not report again when a pass finds nothing new', async () => {
    const statuses: BundleStatus[][] = [];
    const { hub } = fakeHub([response(1)]);
    const agent = new Agent(deps(hub, statuses));
    try {
      await agent.start();
      await until(() => statuses.length === 1);
      agent.requestReconcile();
      await agent.idle();
      expect(statuses).toHaveLength(1);
    } finally {
      await agent.stop();
    }
  });
});

/** The bundles of {@link fleet}: each application applies one ConfigMap of its own. */
const BUNDLES = new Map(
  ['web', 'api'].map((app) => {
    const manifests = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}\n  namespace: apps\ndata:\n  k: v\n`;
    return [bundleDigest(manifests), manifests] as const;
  }),
);
const digestOf = (application: string) =>
  [...BUNDLES].find(([, manifests]) => manifests.includes(`name: ${application}\n`))![0];

/** Assignments of `assigned` (each its own bundle) and tombstones for `withdrawn`. */
function fleet(
  generation: number,
  assigned: string[],
  withdrawn: { application: string; deletionPolicy: 'prune' | 'orphan' }[] = [],
): AssignmentsResponse {
  return {
    generation,
    assignments: assigned.map((application) => ({
      application,
      digest: digestOf(application),
      commit: 'b'.repeat(40),
      prune: true,
      allowEmpty: false,
      progressDeadlineSeconds: 600,
      healthChecks: [],
      recreate: 'annotated',
    })),
    withdrawals: withdrawn,
  };
}

/** A cluster that keeps what was applied (id → application) and each inventory record in memory. */
function memoryCluster() {
  const live = new Map<string, string>();
  const inventories = new Map<string, InventoryRecord>();
  /** Every call that reads or changes an application's inventory or watches, in order. */
  const calls: string[] = [];
  const state = { refuseDelete: false };
  const port: ClusterPort = {
    ...healthyCluster,
    apply: async (objects, labels) => ({
      entries: objects.map((o) => {
        const id = objectId(o);
        const existed = live.has(id);
        live.set(id, labels[APPLICATION_LABEL]!);
        return { id, action: existed ? ('unchanged' as const) : ('created' as const) };
      }),
      observed: new Map(),
    }),
    loadInventory: async (application) => inventories.get(application)?.inventory,
    readInventory: async (application) => (calls.push(`read ${application}`), inventories.get(application)),
    saveInventory: async (application, inventory, meta) =>
      void inventories.set(application, { inventory, ...meta }),
    deleteInventory: async (application) => {
      calls.push(`delete-inventory ${application}`);
      inventories.delete(application);
    },
    untrack: (application) => void calls.push(`untrack ${application}`),
    prune: async (stale, application) => {
      if (stale.length === 0) return { entries: [], survivors: [] }; // a reconcile with nothing stale
      calls.push(`prune ${application}`);
      if (state.refuseDelete) {
        return {
          entries: stale.map((e) => ({
            id: e.id,
            action: 'skipped' as const,
            reason: 'cannot delete: Forbidden (403)',
          })),
          survivors: stale,
        };
      }
      for (const entry of stale) live.delete(entry.id);
      return { entries: stale.map((e) => ({ id: e.id, action: 'deleted' as const })), survivors: [] };
    },
  };
  return { port, live, inventories, calls, state };
}

/** A reporter that keeps the status reports it is given. */
function statusRecorder() {
  const reports: { bundles: BundleStatus[]; removed: string[] }[] = [];
  const reporter = {
    heartbeat: async () => undefined,
    status: async (_s: unknown, bundles: BundleStatus[], extras: StatusExtras) =>
      void reports.push({ bundles, removed: extras.removed ?? [] }),
    close: async () => undefined,
  } as unknown as Reporter;
  return { reporter, reports };
}

type MemoryCluster = ReturnType<typeof memoryCluster>;
type StatusReports = ReturnType<typeof statusRecorder>['reports'];

/**
 * Runs `body` against a started agent on `cluster` that long-polls `polls` from a fake hub and
 * reports to a {@link statusRecorder}; the agent is stopped afterwards, whatever happens.
 */
async function withAgent(
  polls: AssignmentsResponse[],
  body: (t: {
    agent: Agent;
    reports: StatusReports;
    push: (r: AssignmentsResponse) => void;
  }) => Promise<void>,
  options: { cluster: MemoryCluster; overrides?: Partial<AgentDeps> },
): Promise<void> {
  const { reporter, reports } = statusRecorder();
  const { hub, push } = fakeHub(polls);
  const agent = new Agent(deps(hub, [], { port: options.cluster.port, reporter, ...options.overrides }));
  try {
    await agent.start();
    await body({ agent, reports, push });
  } finally {
    await agent.stop();
  }
}

const tombstone = (application: string, deletionPolicy: 'prune' | 'orphan' = 'prune') => ({
  application,
  deletionPolicy,
});

describe('Agent withdrawals', () => {
  it('prune: deletes what the inventory holds, forgets the application and lists it removed while the tombstone stays', async () => {
    const cluster = memoryCluster();
    const removedSeries: string[] = [];
    const metrics: ReconcileMetrics = {
      passEnded: () => undefined,
      bundleReconciled: () => undefined,
      applicationRemoved: (application) => void removedSeries.push(application),
      resyncStarted: () => undefined,
    };
    await withAgent(
      [fleet(1, ['web', 'api'])],
      async ({ reports, push }) => {
        await until(() => reports.length === 1);
        expect([...cluster.live.values()].sort()).toEqual(['api', 'web']);
        cluster.calls.length = 0; // the reconciles of the first pass read the records too

        push(fleet(2, ['api'], [tombstone('web')]));
        await until(() => reports.length === 2);
        expect(reports[1]).toEqual({
          bundles: [expect.objectContaining({ application: 'api' })],
          removed: ['web'],
        });
        expect([...cluster.live.values()]).toEqual(['api']);
        expect(cluster.inventories.has('web')).toBe(false);
        expect(cluster.calls.filter((c) => c.endsWith(' web'))).toEqual([
          'untrack web',
          'read web',
          'prune web',
          'delete-inventory web',
        ]);
        expect(removedSeries).toEqual(['web']);

        // The hub has not read it yet (same tombstone, new generation): listed again, not redone.
        push(fleet(3, ['api'], [tombstone('web')]));
        await until(() => reports.length === 3);
        expect(reports[2]!.removed).toEqual(['web']);
        expect(cluster.calls.filter((c) => c.endsWith(' web'))).toHaveLength(4);

        // The tombstone is gone: no longer listed.
        push(fleet(4, ['api']));
        await until(() => reports.length === 4);
        expect(reports[3]).toEqual({
          bundles: [expect.objectContaining({ application: 'api' })],
          removed: [],
        });
      },
      { cluster, overrides: { metrics } },
    );
  });

  it('orphan: deletes nothing, drops the inventory record and lists it removed', async () => {
    const cluster = memoryCluster();
    await withAgent(
      [fleet(1, ['web'])],
      async ({ reports, push }) => {
        await until(() => reports.length === 1);

        push(fleet(2, [], [tombstone('web', 'orphan')]));
        await until(() => reports.length === 2);
        expect(reports[1]).toEqual({ bundles: [], removed: ['web'] });
        expect([...cluster.live.values()]).toEqual(['web']);
        expect(cluster.inventories.has('web')).toBe(false);
        expect(cluster.calls).not.toContain('prune web');
      },
      { cluster },
    );
  });

  it('an application merely left out of the assignments keeps running: nothing is deleted', async () => {
    const cluster = memoryCluster();
    await withAgent(
      [fleet(1, ['web'])],
      async ({ agent, reports, push }) => {
        await until(() => reports.length === 1);
        cluster.calls.length = 0; // the reconcile of the first pass read the record

        push(fleet(2, []));
        await until(() => reports.length === 2);
        agent.requestReconcile();
        await agent.idle();
        expect(reports.slice(1)).toEqual([{ bundles: [], removed: [] }]);
        expect([...cluster.live.values()]).toEqual(['web']);
        expect(cluster.inventories.has('web')).toBe(true);
        expect(cluster.calls).toEqual([]);
      },
      { cluster },
    );
  });

  it('reports a withdrawal for an application it never applied as removed at once, touching nothing', async () => {
    const cluster = memoryCluster();
    await withAgent(
      [fleet(1, ['api'], [tombstone('web')])],
      async ({ reports }) => {
        await until(() => reports.length === 1);
        expect(reports[0]).toEqual({
          bundles: [expect.objectContaining({ application: 'api' })],
          removed: ['web'],
        });
        expect(cluster.calls.filter((c) => c.endsWith(' web'))).toEqual(['untrack web', 'read web']);
      },
      { cluster },
    );
  });

  it('keeps the inventory when pruning fails, reports why without listing it removed, and retries', async () => {
    const cluster = memoryCluster();
    await withAgent(
      [fleet(1, ['web'])],
      async ({ agent, reports, push }) => {
        await until(() => reports.length === 1);
        const applied = reports[0]!.bundles[0]!;

        cluster.state.refuseDelete = true;
        push(fleet(2, [], [tombstone('web')]));
        await until(() => reports.length === 2);
        expect(reports[1]).toEqual({
          bundles: [
            expect.objectContaining({
              application: 'web',
              digest: applied.digest,
              commit: applied.commit,
              phase: 'Failed',
              failing: [
                {
                  id: 'apps_web__ConfigMap',
                  reason: 'PruneFailed',
                  message: 'cannot delete: Forbidden (403)',
                },
              ],
            }),
          ],
          removed: [],
        });
        expect(cluster.inventories.get('web')?.inventory.entries).toEqual([
          { id: 'apps_web__ConfigMap', version: 'v1' },
        ]);

        // Still refused: retried, nothing new to say.
        agent.requestReconcile();
        await agent.idle();
        expect(cluster.calls.filter((c) => c === 'prune web')).toHaveLength(2);
        expect(reports).toHaveLength(2);

        cluster.state.refuseDelete = false;
        agent.requestReconcile();
        await until(() => reports.length === 3);
        expect(reports[2]).toEqual({ bundles: [], removed: ['web'] });
        expect(cluster.live.size).toBe(0);
        expect(cluster.inventories.has('web')).toBe(false);
      },
      { cluster },
    );
  });

  it('finishes a withdrawal from its cached assignments after a restart while the hub is down', async () => {
    const cluster = memoryCluster();
    cluster.live.set('apps_web__ConfigMap', 'web');
    cluster.inventories.set('web', {
      inventory: { entries: [{ id: 'apps_web__ConfigMap', version: 'v1' }] },
      digest: digestOf('web'),
      commit: 'b'.repeat(40),
    });
    const cached = fleet(7, [], [tombstone('web')]);
    const cache = {
      loadAssignments: async () => cached,
      saveAssignments: async () => undefined,
      loadBundle: async () => undefined,
      saveBundle: async () => undefined,
    } as unknown as BundleCache;
    const unreachable = {
      pollAssignments: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8080')),
    } as unknown as HubClient;
    await withAgent(
      [],
      async ({ reports }) => {
        await until(() => reports.length === 1);
        expect(reports[0]).toEqual({ bundles: [], removed: ['web'] });
        expect(cluster.live.size).toBe(0);
        expect(cluster.inventories.has('web')).toBe(false);
      },
      { cluster, overrides: { cache, hub: unreachable } },
    );
  });

  it('lists a carried-out withdrawal again at each resync while the hub keeps the tombstone (a lost report)', async () => {
    const cluster = memoryCluster();
    await withAgent(
      [fleet(1, [], [tombstone('web')])],
      async ({ reports }) => {
        await until(() => reports.length >= 3);
        for (const report of reports) expect(report).toEqual({ bundles: [], removed: ['web'] });
        expect(cluster.calls.filter((c) => c === 'read web')).toHaveLength(1);
      },
      { cluster, overrides: { resyncSeconds: 0.05 } },
    );
  });
});

describe('Agent maintenance', () => {
  it('reports the annotation on its namespace with when it was first seen, and keeps reconciling', async () => {
    const reports: { kind: string; bundles?: BundleStatus[]; extras: ReportExtras }[] = [];
    const reporter = {
      heartbeat: async (_s: unknown, extras: ReportExtras) =>
        void reports.push({ kind: 'heartbeat', extras }),
      status: async (_s: unknown, bundles: BundleStatus[], extras: ReportExtras) =>
        void reports.push({ kind: 'status', bundles, extras }),
      close: async () => undefined,
    } as unknown as Reporter;
    let annotations: Record<string, string> | undefined = { [MAINTENANCE_ANNOTATION]: 'node pool upgrade' };
    let applies = 0;
    const port: ClusterPort = {
      ...healthyCluster,
      apply: (...args) => (applies++, healthyCluster.apply(...args)),
    };
    const { hub } = fakeHub([response(1)]);
    const before = new Date().toISOString();
    const agent = new Agent(deps(hub, [], { reporter, port, namespaceAnnotations: async () => annotations }));
    try {
      await agent.start();
      await until(
        () => reports.some((r) => r.kind === 'status') && reports.some((r) => r.kind === 'heartbeat'),
      );
      const status = reports.find((r) => r.kind === 'status')!;
      expect(status.bundles).toMatchObject([{ application: 'web', phase: 'Healthy' }]);
      expect(applies).toBe(1);
      const since = status.extras.maintenance!.since;
      expect(since >= before).toBe(true);
      for (const report of reports) {
        expect(report.extras.maintenance).toEqual({ reason: 'node pool upgrade', since });
      }

      // Removed: the next pass reports it although nothing else changed, and applies as always.
      annotations = {};
      const seen = reports.length;
      agent.requestReconcile();
      await agent.idle();
      expect(reports.slice(seen)).toMatchObject([{ kind: 'status', extras: { maintenance: null } }]);
      expect(applies).toBe(2);
    } finally {
      await agent.stop();
    }
  });

  it('keeps the last known state when the namespace cannot be read', async () => {
    const reports: ReportExtras[] = [];
    const reporter = {
      heartbeat: async () => undefined,
      status: async (_s: unknown, _b: unknown, extras: ReportExtras) => void reports.push(extras),
      close: async () => undefined,
    } as unknown as Reporter;
    let read: () => Promise<Record<string, string>> = async () => ({ [MAINTENANCE_ANNOTATION]: 'upgrade' });
    const { hub, push } = fakeHub([response(1)]);
    const agent = new Agent(deps(hub, [], { reporter, namespaceAnnotations: () => read() }));
    try {
      await agent.start();
      await until(() => reports.length === 1);
      read = async () => Promise.reject(new Error('connect ECONNREFUSED'));
      push(response(2));
      await until(() => reports.length === 2);
      expect(reports[1]!.maintenance).toEqual(reports[0]!.maintenance);
      expect(reports[1]!.maintenance?.reason).toBe('upgrade');
    } finally {
      await agent.stop();
    }
  });
});

describe('Agent metrics on /metrics', () => {
  it('exposes drift corrections, apply errors and pass durations as counters and a histogram', async () => {
    // What the next applies answer for every object: a re-configured object is a drift correction.
    const answers: ChangeSetEntry['action'][] = [];
    const port: ClusterPort = {
      ...healthyCluster,
      apply: async (objects) => {
        const action = answers.shift() ?? 'unchanged';
        const entries = objects.map((o) => ({
          id: objectId(o),
          action,
          ...(action === 'skipped' ? { reason: 'admission webhook denied the request' } : {}),
        }));
        return { entries, observed: new Map() };
      },
    };
    const statuses: BundleStatus[][] = [];
    const { hub, push } = fakeHub([response(1)]);
    const metrics = new AgentMetrics();
    let sent = 0;
    metrics.scrape({
      reportsSent: () => sent,
      reportsBuffered: () => 2,
      reportsDropped: () => 0,
      kubeRequests: () => 40,
    });
    const agent = new Agent(deps(hub, statuses, { port, metrics }));
    const server = await startHealthServer('127.0.0.1', 0, metrics.registry);
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseExposition(await res.text());
    };
    try {
      await agent.start();
      await until(() => statuses.length === 1); // first apply
      answers.push('configured');
      agent.requestReconcile();
      await agent.idle(); // re-apply reverting one out-of-band change
      answers.push('skipped');
      agent.requestReconcile();
      await agent.idle(); // the API server refuses the object: Failed
      sent = 3;
      expect(statuses.map((s) => s[0]?.phase)).toEqual(['Healthy', 'Healthy', 'Failed']);

      const first = await scrape();
      expect(
        sample(first, 'fleetwave_agent_drift_corrections_total', 'counter', { application: 'web' }),
      ).toBe(1);
      expect(sample(first, 'fleetwave_agent_apply_errors_total', 'counter', { application: 'web' })).toBe(1);
      expect(sample(first, 'fleetwave_agent_reconciles_total', 'counter', { application: 'web' })).toBe(3);
      expect(sample(first, 'fleetwave_agent_reconcile_passes_total', 'counter')).toBe(3);
      expect(sample(first, 'fleetwave_agent_reports_sent_total', 'counter')).toBe(3);
      expect(sample(first, 'fleetwave_agent_kube_requests_total', 'counter')).toBe(40);
      expect(sample(first, 'fleetwave_agent_reports_buffered', 'gauge')).toBe(2);
      const duration = 'fleetwave_agent_reconcile_duration_seconds';
      expect(first.get(duration)?.type).toBe('histogram');
      for (const [result, count] of [
        ['success', 2],
        ['error', 1],
      ] as const) {
        expect(sample(first, `${duration}_count`, 'histogram', { result })).toBe(count);
        const buckets = first
          .get(duration)!
          .samples.filter((s) => s.name === `${duration}_bucket` && s.labels['result'] === result);
        const counts = buckets.map((b) => b.value);
        expect(counts).toEqual([...counts].sort((a, b) => a - b)); // cumulative
        expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: count });
        expect(sample(first, `${duration}_sum`, 'histogram', { result })).toBeGreaterThanOrEqual(0);
      }

      // Unassigned: its series go, so labels stay bounded by what is assigned.
      push({ generation: 2, assignments: [], withdrawals: [] });
      await until(() => statuses.length === 4);
      await agent.idle();
      const second = await scrape();
      expect(second.get('fleetwave_agent_drift_corrections_total')?.samples).toEqual([]);
      expect(second.get('fleetwave_agent_apply_errors_total')?.samples).toEqual([]);
      expect(sample(second, 'fleetwave_agent_reconcile_passes_total', 'counter')).toBe(4);
    } finally {
      server.close();
      await agent.stop();
    }
  });
});

interface MetricFamily {
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/**
 * A strict reader of the Prometheus text format (0.0.4): every line is a HELP, a TYPE or a sample
 * of a family declared before it (histograms' `_bucket`/`_sum`/`_count`), or the test fails.
 */
function parseExposition(text: string): Map<string, MetricFamily> {
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const help = new RegExp(`^# HELP ${NAME} \\S.*$`);
  const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
  // Values as Prometheus reads them (Go's ParseFloat: NaN and Inf in any case; prom-client writes
  // `Nan` for an event-loop lag not yet sampled, which happens on a busy machine).
  const sampleLine = new RegExp(
    `^(${NAME})(?:\\{(.*)\\})? ([-+]?(?:[0-9.]+(?:e[-+]?[0-9]+)?|[Ii][Nn][Ff])|[Nn][Aa][Nn])$`,
  );
  const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)",?/;
  const families = new Map<string, MetricFamily>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '' || help.test(line)) continue;
    const declared = type.exec(line);
    if (declared) {
      expect(families.has(declared[1]!)).toBe(false);
      families.set(declared[1]!, { type: declared[2]!, samples: [] });
      continue;
    }
    const parsed = sampleLine.exec(line);
    if (!parsed) throw new Error(`not in the exposition format: ${JSON.stringify(line)}`);
    const [, name = '', rawLabels = '', rawValue = ''] = parsed;
    const labels: Record<string, string> = {};
    for (let rest = rawLabels; rest !== '';) {
      const pair = label.exec(rest);
      if (!pair) throw new Error(`bad labels: ${JSON.stringify(line)}`);
      labels[pair[1]!] = pair[2]!;
      rest = rest.slice(pair[0].length);
    }
    const suffixed = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
    const family =
      families.get(name) ??
      (suffixed !== undefined && ['histogram', 'summary'].includes(families.get(suffixed)?.type ?? '')
        ? families.get(suffixed)
        : undefined);
    if (!family) throw new Error(`sample of an undeclared family: ${JSON.stringify(line)}`);
    family.samples.push({ name, labels, value: Number(rawValue.replace(/inf$/i, 'Infinity')) });
  }
  return families;
}

/** The one sample named `name` with exactly `labels` (besides none), from a family of `type`. */
function sample(
  families: Map<string, MetricFamily>,
  name: string,
  type: string,
  labels: Record<string, string> = {},
): number | undefined {
  const familyName = type === 'histogram' ? name.replace(/_(sum|count)$/, '') : name;
  const family = families.get(familyName);
  expect(family?.type).toBe(type);
  const matches = family!.samples.filter(
    (s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels),
  );
  expect(matches).toHaveLength(1);
  return matches[0]!.value;
}

describe('Agent work queue', () => {
  /** {@link memoryCluster} with the application of each staged apply recorded, in order. */
  function countingCluster(refuse: (application: string) => boolean = () => false) {
    const cluster = memoryCluster();
    const applies: string[] = [];
    const port: ClusterPort = {
      ...cluster.port,
      apply: async (objects, labels) => {
        const application = labels[APPLICATION_LABEL]!;
        applies.push(application);
        if (!refuse(application)) return cluster.port.apply(objects, labels);
        const entries = objects.map((o) => ({
          id: objectId(o),
          action: 'skipped' as const,
          reason: 'admission webhook denied the request',
        }));
        return { entries, observed: new Map() };
      },
    };
    return { cluster: { ...cluster, port }, applies };
  }

  it('re-applies only the application whose object drifted, and still reports every application', async () => {
    const { cluster, applies } = countingCluster();
    let drifted: (application: string, objectId: string) => void = () => undefined;
    const drift = { onDrift: (listener: typeof drifted) => void (drifted = listener), stop: async () => {} };
    await withAgent(
      [fleet(1, ['web', 'api'])],
      async ({ agent, reports }) => {
        await until(() => reports.length === 1);
        await agent.idle();
        expect([...applies].sort()).toEqual(['api', 'web']);

        applies.length = 0;
        cluster.live.delete('apps_web__ConfigMap'); // deleted out of band
        drifted('web', 'apps_web__ConfigMap');
        await agent.idle();

        expect(applies).toEqual(['web']);
        expect(reports).toHaveLength(2);
        expect(reports[1]!.bundles.map((b) => [b.application, b.phase, b.driftCorrections])).toEqual([
          ['web', 'Healthy', 1],
          ['api', 'Healthy', 0],
        ]);
      },
      { cluster, overrides: { drift } },
    );
  });

  it('re-checks only the application still progressing, every progressCheckSeconds', async () => {
    const clock = fakeTimers();
    const { cluster, applies } = countingCluster();
    let rolledOut = false;
    const port: ClusterPort = {
      ...cluster.port,
      readStatuses: async (objects) =>
        objects.map((o) => ({
          id: objectId(o),
          status:
            o.metadata.name === 'web' && !rolledOut
              ? { status: 'InProgress' as const, message: 'rolling out' }
              : { status: 'Current' as const, message: '' },
        })),
    };
    await withAgent(
      [fleet(1, ['web', 'api'])],
      async ({ agent, reports }) => {
        await until(() => reports.length === 1);
        await agent.idle();
        expect(reports[0]!.bundles.map((b) => [b.application, b.phase])).toEqual([
          ['web', 'Progressing'],
          ['api', 'Healthy'],
        ]);
        applies.length = 0;

        clock.advance(2_000);
        await agent.idle();
        expect(applies).toEqual(['web']);
        rolledOut = true;
        clock.advance(2_000);
        await agent.idle();
        expect(applies).toEqual(['web', 'web']);
        expect(reports.at(-1)!.bundles.map((b) => [b.application, b.phase])).toEqual([
          ['web', 'Healthy'],
          ['api', 'Healthy'],
        ]);
        expect(clock.waiting()).toEqual([]);
      },
      { cluster: { ...cluster, port }, overrides: { timers: clock.timers, progressCheckSeconds: 2 } },
    );
  });

  it('retries an application whose apply was refused after a doubling backoff, and only that one', async () => {
    const clock = fakeTimers();
    let refusing = true;
    const { cluster, applies } = countingCluster((application) => application === 'api' && refusing);
    await withAgent(
      [fleet(1, ['web', 'api'])],
      async ({ agent, reports }) => {
        await until(() => reports.length === 1);
        await agent.idle();
        expect(reports[0]!.bundles.map((b) => [b.application, b.phase])).toEqual([
          ['web', 'Healthy'],
          ['api', 'Failed'],
        ]);
        applies.length = 0;

        clock.advance(4_999);
        await agent.idle();
        expect(applies).toEqual([]);
        clock.advance(1); // 5 s: refused again, next try 10 s later
        await agent.idle();
        expect(applies).toEqual(['api']);
        expect(clock.waiting()).toEqual([15_000]);

        refusing = false;
        clock.advance(10_000);
        await agent.idle();
        expect(applies).toEqual(['api', 'api']);
        expect(reports.at(-1)!.bundles.map((b) => [b.application, b.phase])).toEqual([
          ['web', 'Healthy'],
          ['api', 'Healthy'],
        ]);
        expect(clock.waiting()).toEqual([]); // healthy: no retry left
      },
      { cluster, overrides: { timers: clock.timers, retrySeconds: 5 } },
    );
  });
});

describe('Agent bundle fetches', () => {
  /** A disk cache in memory. */
  function memoryCache(initial: [string, string][] = []) {
    const bundles = new Map(initial);
    return {
      bundles,
      cache: {
        loadAssignments: async () => undefined,
        saveAssignments: async () => undefined,
        loadBundle: async (digest: string) => bundles.get(digest),
        saveBundle: async (digest: string, text: string) => void bundles.set(digest, text),
      } as unknown as BundleCache,
    };
  }

  it.each([
    ['a hub with the batch fetch: one request for both', 'batch', [], ['batch web,api'], 2],
    ['an older hub (no batch endpoint): one fetch each', 'none', [], ['batch web,api', 'one', 'one'], 2],
    ['a failed batch: one fetch each', 'fails', [], ['batch web,api', 'one', 'one'], 2],
    ['one bundle cached already: only the other is asked for', 'batch', ['web'], ['batch api'], 2],
    ['both cached: nothing fetched', 'batch', ['web', 'api'], [], 2],
  ] as const)('%s', async (_, hubKind, cached, expectedCalls, cachedAfter) => {
    const calls: string[] = [];
    const { hub: polling } = fakeHub([fleet(1, ['web', 'api'])]);
    const name = (digest: string) => (digest === digestOf('web') ? 'web' : 'api');
    const hub = {
      ...(polling as unknown as Record<string, unknown>),
      async fetchBundles(digests: string[]) {
        calls.push(`batch ${digests.map(name).join(',')}`);
        if (hubKind === 'none') return undefined;
        if (hubKind === 'fails') throw new Error('hub answered 500');
        return new Map(digests.map((d) => [d, BUNDLES.get(d)!]));
      },
      async fetchBundle(digest: string) {
        calls.push('one');
        return BUNDLES.get(digest)!;
      },
    } as unknown as HubClient;
    const { cache, bundles } = memoryCache(cached.map((app) => [digestOf(app), BUNDLES.get(digestOf(app))!]));
    const statuses: BundleStatus[][] = [];
    const agent = new Agent(deps(hub, statuses, { cache }));
    try {
      await agent.start();
      await until(() => statuses.some((s) => s.filter((b) => b.phase === 'Healthy').length === 2));
      expect(calls).toEqual(expectedCalls);
      expect(bundles.size).toBe(cachedAfter);
    } finally {
      await agent.stop();
    }
  });
});
