import { describe, expect, it } from '@jest/globals';
import { type AssignmentsResponse, bundleDigest, type BundleStatus } from '@fleetwave/contracts';
import pino from 'pino';
import { Agent, type AgentDeps } from './agent.js';
import { objectId } from './domain/index.js';
import { type BundleCache } from './hub/bundle-cache.js';
import { type AssignmentsPoll, type HubClient } from './hub/hub-client.js';
import { type ClusterPort } from './pipeline/cluster-port.js';
import { type Reporter } from './report/reporter.js';

const MANIFESTS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: web\ndata:\n  k: v\n';
const DIGEST = bundleDigest(MANIFESTS);
const response = (generation: number): AssignmentsResponse => ({
  generation,
  assignments: [
    {
      application: 'web',
      digest: DIGEST,
      commit: 'a'.repeat(40),
      prune: true,
      allowEmpty: false,
      progressDeadlineSeconds: 600,
    },
  ],
});

/** A cluster that accepts everything and reports every object Current. */
const healthyCluster: ClusterPort = {
  checkScopes: async (objects) => ({ objects, errors: [] }),
  apply: async (objects) => objects.map((o) => ({ id: objectId(o), action: 'unchanged' as const })),
  loadInventory: async () => undefined,
  saveInventory: async () => undefined,
  prune: async () => ({ entries: [], survivors: [] }),
  readStatuses: async (objects) =>
    objects.map((o) => ({ id: objectId(o), status: { status: 'Current', message: '' } })),
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
      throw new Error('stopped');
    },
    async fetchBundle() {
      return MANIFESTS;
    },
  };
  return {
    hub: hub as unknown as HubClient,
    push: (r: AssignmentsResponse) => (polls.push(r), waiters.shift()?.()),
  };
}

function deps(hub: HubClient, statuses: BundleStatus[][]): AgentDeps {
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
    heartbeatIntervalSeconds: 3600,
    resyncSeconds: 3600,
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
