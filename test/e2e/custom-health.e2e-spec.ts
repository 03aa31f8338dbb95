/**
 * Custom health rules end to end: a real cluster (test/kube), the built agent, real Kafka and
 * Postgres, the hub, and a git repository holding a CustomResourceDefinition and custom resources
 * of it. The application is created with fleetctl's --health-check-file; a CEL rule judges the
 * custom resources, whose status the test writes through the API's status subresource (no
 * controller runs for them): InProgress until Ready, then Current; a true `failed` expression fails
 * the bundle, naming the rule. The tests build on each other in order.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { graphqlClient } from '../harness/graphql-client.js';
import { waitFor } from '../harness/wait-for.js';
import { kubectl, randomSuffix } from '../kube/fleet.js';
import { inProcessFleetctl } from './support/in-process-fleetctl.js';
import { RealFleetHub } from './support/real-fleet-hub.js';

const ADMIN = { name: 'e2e-admin', role: 'admin' as const };
const ADMIN_TOKEN = 'e2e-health-admin-token-0123456789';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const CLUSTER = 'h-a';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    kind: Widget
    plural: widgets
    singular: widget
    listKind: WidgetList
  versions:
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
`;
const widget = (name: string) => `apiVersion: example.com/v1
kind: Widget
metadata:
  name: ${name}
  namespace: widgets
spec:
  size: 1
`;
const FILES = {
  'widgets/crd.yaml': CRD,
  'widgets/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: widgets\n',
  'widgets/alpha.yaml': widget('alpha'),
};

/** `status.?conditions.orValue([])`: conditions a controller has not written yet are no error. */
const HEALTH_FILE = `# Widgets are Ready when their controller says so; Broken is final.
- apiVersion: example.com/v1
  kind: Widget
  failed: >-
    status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.status == 'False' && c.reason == 'Broken')
  current: >-
    status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.status == 'True')
`;
const RULE = 'healthChecks[0] (example.com/Widget)';

interface Placement {
  application: string;
  phase: string;
  ready: number | null;
  total: number | null;
  reportedCommit: string | null;
  failing: { id: string; reason: string; message: string }[];
}

describe('custom health rules (CEL) on a real cluster', () => {
  let stack: RealFleetHub | undefined;
  let first: string;

  const gql = graphqlClient(() => stack!.hubUrl, ADMIN_TOKEN);
  const k = (...args: string[]) => kubectl(stack!.fleet.binaries, stack!.fleet.clusters[0]!, args);
  const agentLog = () => stack?.agents[0]?.logTail(5) ?? '';

  const fleetctl = inProcessFleetctl(() => stack!.workDir);

  /** The cluster's placement of `widgets` once it satisfies `accept`; on a time-out, the last one seen. */
  async function placement(description: string, accept: (p: Placement) => boolean): Promise<Placement> {
    let last: Placement | undefined;
    try {
      return await waitFor(
        async () => {
          const { cluster } = await gql<{ cluster: { placements: Placement[] } }>(
            `query($name: String!) { cluster(name: $name) {
              placements { application phase ready total reportedCommit failing { id reason message } } } }`,
            { name: CLUSTER },
          );
          last = cluster.placements.find((p) => p.application === 'widgets');
          return last !== undefined && accept(last) ? last : undefined;
        },
        { description, timeoutMs: 120_000, intervalMs: 500 },
      );
    } catch (error) {
      throw new Error(`${String(error)}; last placement: ${JSON.stringify(last)}; agent log: ${agentLog()}`, {
        cause: error,
      });
    }
  }

  /** Writes the Widget's status as its controller would, through the status subresource. */
  async function setReady(name: string, status: 'True' | 'False', reason: string): Promise<void> {
    const conditions = [{ type: 'Ready', status, reason, message: `set by the test: ${reason}` }];
    await k(
      'patch',
      'widget',
      name,
      '-n',
      'widgets',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { conditions } }),
    );
  }

  beforeAll(async () => {
    stack = await RealFleetHub.start({
      clusters: 1,
      name: `health-${randomSuffix()}`,
      webhookSecret: WEBHOOK_SECRET,
      hub: { auth: { bootstrapAdminToken: ADMIN_TOKEN } },
    });
    const { secret: token } = await stack.hub.get(RegistrationService).createToken(ADMIN, { maxUses: 1 });
    await fleetctl('config', 'set-context', 'e2e', '--hub', stack.hubUrl, '--token', ADMIN_TOKEN);
    first = await stack.repo.commit(FILES, 'widgets: a CRD and alpha');
    await stack.startAgent(stack.fleet.clusters[0]!, { name: CLUSTER, labels: { env: 'e2e' }, token });
    await waitFor(async () => (await stack!.hub.get(ClustersService).list({ first: 0 })).totalCount === 1, {
      description: 'the cluster registered',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates the application with a health-check file; the Widget is InProgress by the rule until Ready', async () => {
    const healthFile = path.join(stack!.workDir, 'health.yaml');
    await writeFile(healthFile, HEALTH_FILE);
    expect(
      await fleetctl(
        'apps',
        'create',
        'widgets',
        '--repo',
        stack!.git.url('fleet'),
        '--ref',
        'main',
        '--path',
        'widgets',
        '--selector',
        'env=e2e',
        '--poll',
        '3600',
        '--health-check-file',
        healthFile,
      ),
    ).toBe('application/widgets created\n');
    expect(await fleetctl('apps', 'get', 'widgets')).toMatch(
      /\nHEALTH-KIND +CURRENT +FAILED +IN-PROGRESS\nexample\.com\/v1 Widget +status\.\?conditions/,
    );

    const waiting = await placement(
      'alpha waiting on the rule',
      (p) =>
        p.reportedCommit === first &&
        p.phase === 'Progressing' &&
        p.failing.some((f) => f.reason === 'HealthCheckNotCurrent'),
    );
    // The CRD and the Namespace are judged by kstatus; the Widget by the rule, which nothing makes true yet.
    expect(waiting).toMatchObject({ ready: 2, total: 3 });
    expect(waiting.failing).toEqual([
      {
        id: 'widgets_alpha_example.com_Widget',
        reason: 'HealthCheckNotCurrent',
        message: `${RULE}: no expression is true yet`,
      },
    ]);
    expect(await k('get', 'widget', 'alpha', '-n', 'widgets', '-o', 'jsonpath={.status}')).toBe('');

    await setReady('alpha', 'True', 'Provisioned');
    await stack!.rolloutOf({ application: 'widgets', commit: first, state: 'Succeeded' });
    const healthy = await placement('alpha Current', (p) => p.phase === 'Healthy');
    expect(healthy).toMatchObject({ ready: 3, total: 3, failing: [] });
  });

  it('fails the bundle when a failed expression is true, naming the rule', async () => {
    const second = await stack!.repo.commit({ 'widgets/beta.yaml': widget('beta') }, 'widgets: beta');
    await stack!.push(second);
    await waitFor(
      async () =>
        (await k('get', 'widget', '-n', 'widgets', '--ignore-not-found', '-o', 'name')).includes('beta'),
      { description: `beta applied (agent log: ${agentLog()})`, timeoutMs: 120_000, intervalMs: 500 },
    );
    await setReady('beta', 'False', 'Broken');

    // The rollout fails on the rule; the hub then returns the cluster to the settled revision at once
    // (beta is removed again), so the Failed report is read from the rollout, which keeps it, not
    // from the placement, which shows it only for a moment.
    const rollout = await stack!.rolloutOf({ application: 'widgets', commit: second, state: 'Failed' });
    const { rollout: detail } = await gql<{
      rollout: { clusters: { name: string; phase: string; failing: Placement['failing'] }[] };
    }>(`query($id: ID!) { rollout(id: $id) { clusters { name phase failing { id reason message } } } }`, {
      id: rollout.id,
    });
    const member = detail.clusters.find((c) => c.name === CLUSTER);
    expect(member?.phase).toBe('Failed');
    expect(member?.failing).toEqual([
      {
        id: 'widgets_beta_example.com_Widget',
        reason: 'HealthCheckFailed',
        message: `${RULE}: failed is true`,
      },
    ]);
  });
});
