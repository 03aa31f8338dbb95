/**
 * Custom health rules against a real hub, Postgres, Kafka and git server: an expression that does
 * not compile is refused over GraphQL (INVALID_ARGUMENT naming the rule, field and position) and
 * nothing is saved; valid rules are stored, shown, and reach the assignments an agent long-polls,
 * at once when they change.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AssignmentsResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { sendPushWebhook } from '../harness/git-push.js';
import { createRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { type SimAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig, TEST_WEBHOOK_SECRET } from './support/hub.js';
import { simAgentOf } from './support/sim-agents.js';

const CONFIG_MAP =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  greeting: hello\n';

const READY = "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')";
const widgetRule = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  current: READY,
  failed: "status.conditions.exists(c, c.type == 'Ready' && c.reason == 'Broken')",
};

const CREATE = `mutation Create($input: CreateApplicationInput!) {
  createApplication(input: $input) { name healthChecks { apiVersion kind current failed inProgress } }
}`;
const UPDATE = `mutation Update($name: String!, $input: UpdateApplicationInput!) {
  updateApplication(name: $name, input: $input) { name healthChecks { apiVersion kind current failed inProgress } }
}`;
const VIEW = `query App($name: String!) {
  application(name: $name) {
    healthChecks { apiVersion kind current failed inProgress }
    rollouts(first: 5) { edges { node { state } } }
  }
}`;

interface HealthCheckView {
  apiVersion: string;
  kind: string;
  current: string;
  failed: string | null;
  inProgress: string | null;
}

describe('custom health rules (CEL) through the hub', () => {
  let git: TempGitServer;
  let producer: Producer;
  let hub: TestHub;
  let agent: SimAgent;

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-health-');
    producer = await connectReportProducer(kafkaBrokers(), 'it-health');
    hub = await startTestHub(
      await testHubConfig({ rollouts: { passIntervalSeconds: 1, assignmentsPollTimeoutSeconds: 4 } }),
    );
    agent = simAgentOf(hub, await registerCluster(hub, 'health-1', { app: 'widgets' }), producer);
    agent.start();
  });

  afterAll(async () => {
    await agent?.stop();
    await hub?.close();
    await producer?.disconnect();
    await git?.stop();
  });

  const input = (name: string, healthChecks: unknown[]) => ({
    name,
    repoUrl: git.url('widgets'),
    ref: 'main',
    path: 'app',
    targetSelector: 'app=widgets',
    pollIntervalSeconds: 3600,
    healthChecks,
  });

  const view = async (name: string) =>
    (
      await gqlOk<{ application: { healthChecks: HealthCheckView[]; rollouts: unknown } | null }>(hub, VIEW, {
        name,
      })
    ).application;

  async function createdEvents(): Promise<number> {
    const data = await gqlOk<{ events: { edges: { node: { action: string } }[] } }>(
      hub,
      `{ events(targetKind: application, first: 200) { edges { node { action } } } }`,
    );
    return data.events.edges.filter((e) => e.node.action === 'application.created').length;
  }

  it.each([
    [
      'a syntax error',
      [widgetRule, { apiVersion: 'v1', kind: 'ConfigMap', current: 'has(data.greeting) &&' }],
      'healthChecks.1.current: line 1, column 22: Unexpected token: EOF',
    ],
    [
      'an expression that can never be a bool',
      [{ ...widgetRule, inProgress: "'Pending'" }],
      'healthChecks.0.inProgress: must evaluate to a bool, not string',
    ],
    [
      'a second rule for the same group and kind',
      [widgetRule, { ...widgetRule, apiVersion: 'example.com/v2' }],
      'healthChecks.1.kind: healthChecks[0] already judges example.com/Widget; one rule per group and kind',
    ],
  ])('refuses creating an application with %s, saving nothing', async (_case, healthChecks, message) => {
    const eventsBefore = await createdEvents();
    const response = await gql(hub, CREATE, { input: input('refused', healthChecks) });

    expect(codes(response)).toEqual(['INVALID_ARGUMENT']);
    expect(response.errors?.[0]?.message).toBe(`invalid application: ${message}`);
    expect(await view('refused')).toBeNull();
    expect(await createdEvents()).toBe(eventsBefore);
  });

  it('stores valid rules, shows them, and sends them with every assignment of the application', async () => {
    const repo = await createRepo(git.root, 'widgets');
    const commit = await repo.commit({ 'app/config.yaml': CONFIG_MAP }, 'one');
    const created = await gqlOk<{ createApplication: { healthChecks: HealthCheckView[] } }>(hub, CREATE, {
      input: input('widgets', [widgetRule]),
    });
    expect(created.createApplication.healthChecks).toEqual([{ ...widgetRule, inProgress: null }]);

    await sendPushWebhook({
      hubUrl: hub.url,
      secret: TEST_WEBHOOK_SECRET,
      repoUrl: git.url('widgets'),
      commit,
    });
    const assignment = await newestAssignment(agent, (a) => a.commit === commit);
    expect(assignment.healthChecks).toEqual([widgetRule]);

    // A bad update is refused and changes nothing, stored or assigned.
    const refused = await gql(hub, UPDATE, {
      name: 'widgets',
      input: { healthChecks: [{ ...widgetRule, current: "status.phase == 'Ready" }] },
    });
    expect(codes(refused)).toEqual(['INVALID_ARGUMENT']);
    expect(refused.errors?.[0]?.message).toMatch(
      /^invalid application: healthChecks\.0\.current: line 1, column 17: /,
    );
    expect((await view('widgets'))?.healthChecks).toEqual([{ ...widgetRule, inProgress: null }]);

    // New rules reach the agent without a rollout: its assignments' generation moves.
    const generation = agent.received.at(-1)!.generation;
    const inProgress = "status.?phase.orValue('') == 'Provisioning'";
    await gqlOk(hub, UPDATE, { name: 'widgets', input: { healthChecks: [{ ...widgetRule, inProgress }] } });
    const updated = await newestAssignment(agent, (a) => a.healthChecks[0]?.inProgress === inProgress);
    expect(updated).toMatchObject({ commit, healthChecks: [{ ...widgetRule, inProgress }] });
    expect(agent.received.at(-1)!.generation).toBeGreaterThan(generation);

    // An empty list removes them.
    await gqlOk(hub, UPDATE, { name: 'widgets', input: { healthChecks: [] } });
    expect((await newestAssignment(agent, (a) => a.healthChecks.length === 0)).commit).toBe(commit);
    expect((await view('widgets'))?.healthChecks).toEqual([]);
  });
});

/** The agent's newest assignment of `widgets` once it satisfies `check`. */
function newestAssignment(
  agent: SimAgent,
  check: (a: AssignmentsResponse['assignments'][number]) => boolean,
): Promise<AssignmentsResponse['assignments'][number]> {
  return waitFor(
    () => {
      const assignment = agent.received.at(-1)?.assignments.find((a) => a.application === 'widgets');
      return assignment !== undefined && check(assignment) ? assignment : undefined;
    },
    { timeoutMs: 30_000, description: 'the agent to receive the expected assignment of widgets' },
  );
}
