/**
 * Projects against a real hub, Postgres and git server: each boundary is refused with its code
 * (source repository, destination selector, default namespace on save and on edit; a namespace, a
 * kind and a cluster-scoped object in a rendered bundle before any rollout, recorded on the
 * revision), a viewer cannot mutate, a project-bound token sees and changes only its project, and
 * a project with applications cannot be deleted. Rollouts, vetoes and syncs go through the
 * caller's role in the application's project (every refused path with its code), listings hide
 * other projects' rollouts, and the audit trail is read by project (a bound token reads only its own).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AssignmentsResponse, type RegisterResponse } from '@fleetwave/contracts';
import { waitFor } from '../harness/wait-for.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';

const CREATE_APP = `mutation Create($input: CreateApplicationInput!) { createApplication(input: $input) { name project } }`;
const UPDATE_APP = `mutation Update($name: String!, $input: UpdateApplicationInput!) {
  updateApplication(name: $name, input: $input) { name project defaultNamespace }
}`;
const SYNC = `mutation Sync($name: String!) { syncApplication(name: $name) { commit error } }`;
const START = `mutation Start($app: String!, $rev: String) { startRollout(application: $app, revision: $rev) { id } }`;
const REVISIONS = `query App($name: String!) {
  application(name: $name) { revisions(first: 10) { commit renderError } rollouts(first: 10) { totalCount } }
}`;

const configMap = (namespace: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${namespace}\ndata:\n  a: "1"\n`;
const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: pay-a\nstringData:\n  a: "1"\n`;
const clusterRole = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules: []\n`;

describe('projects', () => {
  let git: TempGitServer;
  let hub: TestHub;
  let repo: LocalRepo;
  let pay1: RegisterResponse;

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-projects-');
    repo = await createRepo(git.root, 'pay-objects');
    await repo.commit({ 'app/objects.yaml': configMap('pay-a') }, 'inside');
    hub = await startTestHub(await testHubConfig());
    pay1 = await registerCluster(hub, 'pay-1', { team: 'pay', env: 'prod' });
    await gqlOk(hub, `mutation P($input: CreateProjectInput!) { createProject(input: $input) { name } }`, {
      input: {
        name: 'payments',
        sourceRepos: [git.url('pay-*')],
        clusterSelector: 'team=pay',
        namespaces: ['pay-*'],
        kinds: ['ConfigMap', 'apps/*'],
        members: [{ subject: 'token:pay-member', role: 'operator' }],
      },
    });
  });

  afterAll(async () => {
    await hub?.close();
    await git?.stop();
  });

  const app = (name: string, over: Record<string, unknown> = {}) => ({
    name,
    project: 'payments',
    repoUrl: git.url('pay-objects'),
    ref: 'main',
    path: 'app',
    targetSelector: 'team=pay',
    syncPolicy: 'manual',
    pollIntervalSeconds: 3600,
    ...over,
  });

  async function token(name: string, role: string, project?: string): Promise<string> {
    const { createApiToken } = await gqlOk<{ createApiToken: { secret: string } }>(
      hub,
      `mutation T($name: String!, $role: Role!, $project: String) {
        createApiToken(name: $name, role: $role, project: $project) { secret }
      }`,
      { name, role, project: project ?? null },
    );
    return createApiToken.secret;
  }

  it.each([
    ['another repository', { repoUrl: 'https://elsewhere.invalid/x.git' }, 'PROJECT_SOURCE_DENIED'],
    ['a selector reaching past the project', { targetSelector: 'env=prod' }, 'PROJECT_DESTINATION_DENIED'],
    ['no selector at all', { targetSelector: '' }, 'PROJECT_DESTINATION_DENIED'],
    ['a default namespace outside', { defaultNamespace: 'kube-system' }, 'PROJECT_NAMESPACE_DENIED'],
    ['a project that does not exist', { project: 'nowhere' }, 'NOT_FOUND'],
  ])('refuses an application with %s', async (_, over, code) => {
    const response = await gql(hub, CREATE_APP, { input: app('refused', over) });
    expect(codes(response)).toEqual([code]);
    expect(
      (await gqlOk<{ application: unknown }>(hub, REVISIONS, { name: 'refused' })).application,
    ).toBeNull();
  });

  it('refuses an edit outside the bounds and keeps the application as it was', async () => {
    await gqlOk(hub, CREATE_APP, { input: app('edited', { defaultNamespace: 'pay-a' }) });
    for (const [input, code] of [
      [{ defaultNamespace: 'default' }, 'PROJECT_NAMESPACE_DENIED'],
      [{ targetSelector: 'env=prod' }, 'PROJECT_DESTINATION_DENIED'],
      [{ repoUrl: 'https://elsewhere.invalid/x.git' }, 'PROJECT_SOURCE_DENIED'],
    ] as const) {
      expect(codes(await gql(hub, UPDATE_APP, { name: 'edited', input }))).toEqual([code]);
    }
    const { application } = await gqlOk<{ application: { defaultNamespace: string; project: string } }>(
      hub,
      `query { application(name: "edited") { defaultNamespace project } }`,
    );
    expect(application).toEqual({ defaultNamespace: 'pay-a', project: 'payments' });
  });

  it('checks every rendered bundle before any rollout and records the offending objects', async () => {
    await gqlOk(hub, CREATE_APP, { input: app('bundles') });
    const cases = [
      [clusterRole, 'PROJECT_KIND_DENIED', 'rbac.authorization.k8s.io/ClusterRole reader'],
      [secret, 'PROJECT_KIND_DENIED', '/Secret pay-a/creds'],
      [configMap('kube-system'), 'PROJECT_NAMESPACE_DENIED', '/ConfigMap kube-system/settings'],
    ] as const;
    for (const [objects, code, offender] of cases) {
      const commit = await repo.commit({ 'app/objects.yaml': objects }, code);
      expect(
        (await gqlOk<{ syncApplication: { commit: string } }>(hub, SYNC, { name: 'bundles' })).syncApplication
          .commit,
      ).toBe(commit);
      const refused = await gql(hub, START, { app: 'bundles', rev: commit });
      expect(codes(refused)).toEqual([code]);
      expect(refused.errors![0]!.message).toContain(offender);
      const view = await gqlOk<{
        application: {
          revisions: { commit: string; renderError: string | null }[];
          rollouts: { totalCount: number };
        };
      }>(hub, REVISIONS, { name: 'bundles' });
      const revision = view.application.revisions.find((r) => r.commit === commit)!;
      expect(revision.renderError).toMatch(/^project-denied: pay-1: outside the project's bounds: /);
      expect(revision.renderError).toContain(offender);
      expect(view.application.rollouts.totalCount).toBe(0);
    }
    // Within the bounds again: it rolls out.
    const inside = await repo.commit({ 'app/objects.yaml': configMap('pay-b') }, 'inside again');
    await gqlOk(hub, SYNC, { name: 'bundles' });
    await gqlOk(hub, START, { app: 'bundles', rev: inside });
    const view = await gqlOk<{ application: { rollouts: { totalCount: number } } }>(hub, REVISIONS, {
      name: 'bundles',
    });
    expect(view.application.rollouts.totalCount).toBe(1);

    // The assignment carries the bounds for the agent; re-bounding the project sends the new ones.
    const assignments = async () =>
      (
        await hub.request('GET', '/agent/v1/assignments', {
          headers: { authorization: `Bearer ${pay1.credential}` },
        })
      ).body as AssignmentsResponse;
    const assigned = await waitFor(
      async () => {
        const body = await assignments();
        return body.assignments.some((a) => a.application === 'bundles') ? body : undefined;
      },
      { timeoutMs: 20_000, description: 'bundles assigned to pay-1' },
    );
    const boundsOf = (body: AssignmentsResponse) =>
      body.assignments.find((a) => a.application === 'bundles')!.bounds;
    expect(boundsOf(assigned)).toEqual({
      namespaces: ['pay-*'],
      kinds: ['ConfigMap', 'apps/*'],
      clusterKinds: [],
    });
    await gqlOk(
      hub,
      `mutation { updateProject(name: "payments", input: { namespaces: ["pay-*", "shared"] }) { name } }`,
    );
    const after = await assignments();
    expect(after.generation).toBeGreaterThan(assigned.generation);
    expect(boundsOf(after)?.namespaces).toEqual(['pay-*', 'shared']);
  });

  it('a viewer cannot mutate; a member is raised to its project role', async () => {
    await gqlOk(hub, CREATE_APP, { input: app('roles') });
    const viewer = await token('pay-viewer', 'viewer');
    const member = await token('pay-member', 'viewer');
    const boundViewer = await token('pay-bound-viewer', 'viewer', 'payments');
    for (const t of [viewer, boundViewer]) {
      expect(codes(await gql(hub, UPDATE_APP, { name: 'roles', input: { ref: 'other' } }, t))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await gql(hub, CREATE_APP, { input: app('by-viewer') }, t))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(hub, SYNC, { name: 'roles' }, t))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(hub, `mutation { deleteApplication(name: "roles") { name } }`, {}, t))).toEqual([
        'FORBIDDEN',
      ]);
    }
    // token:pay-member is an operator in payments (fleet-wide only a viewer).
    await gqlOk(hub, UPDATE_APP, { name: 'roles', input: { ref: 'main' } }, member);
    expect(
      codes(await gql(hub, CREATE_APP, { input: app('default-app', { project: 'default' }) }, member)),
    ).toEqual(['FORBIDDEN']);
    // Only fleet admins change a project's bounds.
    expect(
      codes(
        await gql(
          hub,
          `mutation { updateProject(name: "payments", input: { namespaces: ["*"] }) { name } }`,
          {},
          member,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it('a project-bound token sees and changes only its project', async () => {
    await gqlOk(hub, CREATE_APP, { input: app('isolated') });
    await gqlOk(hub, CREATE_APP, {
      input: {
        name: 'outside',
        repoUrl: 'https://elsewhere.invalid/x.git',
        ref: 'main',
        syncPolicy: 'manual',
      },
    });
    const bound = await token('pay-operator', 'operator', 'payments');
    const listed = await gqlOk<{
      applications: { totalCount: number; edges: { node: { name: string; project: string } }[] };
    }>(hub, `query { applications(first: 100) { totalCount edges { node { name project } } } }`, {}, bound);
    const nodes = listed.applications.edges.map((e) => e.node);
    expect(new Set(nodes.map((a) => a.project))).toEqual(new Set(['payments']));
    expect(listed.applications.totalCount).toBe(nodes.length);
    expect(nodes.map((a) => a.name)).toContain('isolated');
    expect(
      (
        await gqlOk<{ application: unknown }>(
          hub,
          `query { application(name: "outside") { name } }`,
          {},
          bound,
        )
      ).application,
    ).toBeNull();
    expect(codes(await gql(hub, UPDATE_APP, { name: 'outside', input: { ref: 'x' } }, bound))).toEqual([
      'NOT_FOUND',
    ]);
    expect(
      codes(await gql(hub, CREATE_APP, { input: app('elsewhere', { project: 'default' }) }, bound)),
    ).toEqual(['FORBIDDEN']);
    // Within its project it is an operator; fleet-wide it holds no role.
    await gqlOk(hub, UPDATE_APP, { name: 'isolated', input: { ref: 'main' } }, bound);
    expect(codes(await gql(hub, `query { clusters(first: 1) { totalCount } }`, {}, bound))).toEqual([
      'FORBIDDEN',
    ]);
    const projects = await gqlOk<{ projects: { name: string }[] }>(
      hub,
      `query { projects { name } }`,
      {},
      bound,
    );
    expect(projects.projects.map((p) => p.name)).toEqual(['payments']);
    expect(
      (await gqlOk<{ project: unknown }>(hub, `query { project(name: "default") { name } }`, {}, bound))
        .project,
    ).toBeNull();
  });

  describe('rollouts, vetoes and events through the project', () => {
    const ROLLOUT = `id application { name project }`;
    const ID_MUTATIONS: [string, string][] = [
      ['approveWave', `mutation M($id: ID!) { approveWave(id: $id) { id } }`],
      ['pauseRollout', `mutation M($id: ID!) { pauseRollout(id: $id) { id } }`],
      ['resumeRollout', `mutation M($id: ID!) { resumeRollout(id: $id) { id } }`],
      ['abortRollout', `mutation M($id: ID!) { abortRollout(id: $id) { id } }`],
      ['rollbackRollout', `mutation M($id: ID!) { rollbackRollout(id: $id) { id } }`],
      ['retryCluster', `mutation M($id: ID!) { retryCluster(id: $id, cluster: "pay-1") { id } }`],
      ['skipCluster', `mutation M($id: ID!) { skipCluster(id: $id, cluster: "pay-1") { id } }`],
    ];
    const VETO = `mutation V($app: String!, $commit: String!) {
      vetoRevision(application: $app, commit: $commit, reason: "broken") { commit }
    }`;
    const UNVETO = `mutation U($app: String!, $commit: String!) { unvetoRevision(application: $app, commit: $commit) { commit } }`;
    const EVENTS = `query E($project: String, $application: String, $action: String) {
      events(first: 500, project: $project, application: $application, action: $action) {
        edges { node { action project target { kind id } } }
      }
    }`;
    type EventNode = { action: string; project: string | null; target: { kind: string; id: string } };
    const events = async (variables: Record<string, unknown>, t?: string) =>
      (await gqlOk<{ events: { edges: { node: EventNode }[] } }>(hub, EVENTS, variables, t)).events.edges.map(
        (e) => e.node,
      );

    let operator: string; // bound to payments, operator there
    let otherOperator: string; // bound to default
    let viewer: string; // fleet-wide viewer
    let boundViewer: string; // bound to payments, viewer there
    let steered: string; // a rollout in payments
    let foreign: string; // a rollout in default
    let commit: string;

    beforeAll(async () => {
      await gqlOk(hub, CREATE_APP, {
        input: app('steered', {
          plan: { waves: [{ name: 'first', selector: 'team=pay', requireApproval: true }] },
        }),
      });
      await gqlOk(hub, CREATE_APP, {
        input: app('foreign', {
          project: 'default',
          plan: { waves: [{ name: 'first', selector: 'team=pay' }] },
        }),
      });
      operator = await token('steer-operator', 'operator', 'payments');
      otherOperator = await token('default-operator', 'operator', 'default');
      viewer = await token('steer-viewer', 'viewer');
      boundViewer = await token('steer-bound-viewer', 'viewer', 'payments');
    });

    it('syncs and starts only in its project: NOT_FOUND elsewhere, FORBIDDEN to viewers', async () => {
      expect(codes(await gql(hub, SYNC, { name: 'steered' }, viewer))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(hub, SYNC, { name: 'foreign' }, operator))).toEqual(['NOT_FOUND']);
      commit = (
        await gqlOk<{ syncApplication: { commit: string } }>(hub, SYNC, { name: 'steered' }, operator)
      ).syncApplication.commit;
      await gqlOk(hub, SYNC, { name: 'foreign' });

      for (const [t, code] of [
        [viewer, 'FORBIDDEN'],
        [boundViewer, 'FORBIDDEN'],
        [otherOperator, 'NOT_FOUND'],
      ] as const) {
        expect(codes(await gql(hub, START, { app: 'steered' }, t))).toEqual([code]);
      }
      expect(codes(await gql(hub, START, { app: 'foreign' }, operator))).toEqual(['NOT_FOUND']);
      steered = (await gqlOk<{ startRollout: { id: string } }>(hub, START, { app: 'steered' }, operator))
        .startRollout.id;
      foreign = (await gqlOk<{ startRollout: { id: string } }>(hub, START, { app: 'foreign' })).startRollout
        .id;
    });

    it.each(ID_MUTATIONS)(
      '%s: FORBIDDEN to viewers, NOT_FOUND to another project',
      async (_name, mutation) => {
        for (const t of [viewer, boundViewer]) {
          expect(codes(await gql(hub, mutation, { id: steered }, t))).toEqual(['FORBIDDEN']);
        }
        expect(codes(await gql(hub, mutation, { id: steered }, otherOperator))).toEqual(['NOT_FOUND']);
        expect(codes(await gql(hub, mutation, { id: foreign }, operator))).toEqual(['NOT_FOUND']);
      },
    );

    it('a bound operator steers its own rollout', async () => {
      await waitFor(
        async () =>
          (
            await gqlOk<{ rollout: { state: string } }>(
              hub,
              `query R($id: ID!) { rollout(id: $id) { state } }`,
              {
                id: steered,
              },
            )
          ).rollout.state === 'AwaitingApproval' || undefined,
        { timeoutMs: 20_000, description: 'the first wave awaits approval' },
      );
      await gqlOk(
        hub,
        `mutation M($id: ID!) { approveWave(id: $id, wave: "first") { id } }`,
        { id: steered },
        operator,
      );
      await gqlOk(hub, `mutation M($id: ID!) { pauseRollout(id: $id) { id } }`, { id: steered }, operator);
      await gqlOk(hub, `mutation M($id: ID!) { resumeRollout(id: $id) { id } }`, { id: steered }, operator);
    });

    it('vetoes: FORBIDDEN to viewers, NOT_FOUND to another project, allowed to its operator', async () => {
      for (const mutation of [VETO, UNVETO]) {
        expect(codes(await gql(hub, mutation, { app: 'steered', commit }, viewer))).toEqual(['FORBIDDEN']);
        expect(codes(await gql(hub, mutation, { app: 'steered', commit }, boundViewer))).toEqual([
          'FORBIDDEN',
        ]);
        expect(codes(await gql(hub, mutation, { app: 'foreign', commit }, operator))).toEqual(['NOT_FOUND']);
      }
      await gqlOk(hub, VETO, { app: 'steered', commit }, operator);
      await gqlOk(hub, UNVETO, { app: 'steered', commit }, operator);
    });

    it("reads: a bound caller sees only its project's rollouts", async () => {
      const listed = await gqlOk<{
        rollouts: { totalCount: number; edges: { node: { id: string; application: { project: string } } }[] };
      }>(hub, `query { rollouts(first: 200) { totalCount edges { node { ${ROLLOUT} } } } }`, {}, boundViewer);
      const ids = listed.rollouts.edges.map((e) => e.node.id);
      expect(ids).toContain(steered);
      expect(ids).not.toContain(foreign);
      expect(new Set(listed.rollouts.edges.map((e) => e.node.application.project))).toEqual(
        new Set(['payments']),
      );
      expect(listed.rollouts.totalCount).toBe(ids.length);
      const all = await gqlOk<{ rollouts: { edges: { node: { id: string } }[] } }>(
        hub,
        `query { rollouts(first: 200) { edges { node { id } } } }`,
        {},
        viewer,
      );
      expect(all.rollouts.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([steered, foreign]));

      const one = `query R($id: ID!) { rollout(id: $id) { id } }`;
      expect((await gqlOk<{ rollout: unknown }>(hub, one, { id: foreign }, operator)).rollout).toBeNull();
      expect(
        (await gqlOk<{ rollout: { id: string } }>(hub, one, { id: steered }, boundViewer)).rollout,
      ).toEqual({
        id: steered,
      });
      expect(
        codes(await gql(hub, `query { rollouts(application: "foreign") { totalCount } }`, {}, operator)),
      ).toEqual(['NOT_FOUND']);
      expect(
        codes(await gql(hub, `query { previewRollout(application: "foreign") { commit } }`, {}, operator)),
      ).toEqual(['NOT_FOUND']);
      await gqlOk(hub, `query { previewRollout(application: "steered") { commit } }`, {}, boundViewer);
    });

    it('the audit trail by project; a bound caller reads only its project', async () => {
      await gqlOk(hub, `mutation M($id: ID!) { abortRollout(id: $id) { id } }`, { id: steered }, operator);
      const payments = await events({ project: 'payments' });
      expect(new Set(payments.map((e) => e.project))).toEqual(new Set(['payments']));
      expect(payments).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'project.created', target: { kind: 'project', id: 'payments' } }),
          expect.objectContaining({
            action: 'application.created',
            target: expect.objectContaining({ kind: 'application' }),
          }),
          expect.objectContaining({ action: 'rollout.started', target: { kind: 'rollout', id: steered } }),
          expect.objectContaining({ action: 'rollout.aborted', target: { kind: 'rollout', id: steered } }),
          expect.objectContaining({ action: 'application.revisionVetoed' }),
        ]),
      );
      expect(payments.some((e) => e.target.id === foreign)).toBe(false);
      const inDefault = await events({ project: 'default' });
      expect(inDefault).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'rollout.started', target: { kind: 'rollout', id: foreign } }),
        ]),
      );

      // Bound: its project's events, and nothing else (no tokens, clusters, other projects).
      const own = await events({}, operator);
      expect(own.length).toBeGreaterThan(0);
      expect(new Set(own.map((e) => e.project))).toEqual(new Set(['payments']));
      expect(own.map((e) => e.action)).toEqual(
        expect.arrayContaining(['rollout.started', 'project.created']),
      );
      expect(await events({ project: 'default' }, operator)).toEqual([]);
      expect(await events({ application: 'foreign' }, operator)).toEqual([]);
      expect(await events({ action: 'apiToken.' }, boundViewer)).toEqual([]);
      // A fleet-wide viewer reads the whole trail.
      expect((await events({ action: 'apiToken.' }, viewer)).length).toBeGreaterThan(0);
      expect(codes(await gql(hub, EVENTS, { project: '' }))).toEqual(['INVALID_ARGUMENT']);
    });
  });

  it('a project with applications cannot be deleted; an empty one can, by fleet admins only', async () => {
    expect(codes(await gql(hub, `mutation { deleteProject(name: "payments") { name } }`))).toEqual([
      'FAILED_PRECONDITION',
    ]);
    expect(codes(await gql(hub, `mutation { deleteProject(name: "default") { name } }`))).toEqual([
      'FAILED_PRECONDITION',
    ]);
    await gqlOk(hub, `mutation { createProject(input: { name: "empty" }) { name } }`);
    const operator = await token('fleet-operator', 'operator');
    expect(codes(await gql(hub, `mutation { deleteProject(name: "empty") { name } }`, {}, operator))).toEqual(
      ['FORBIDDEN'],
    );
    expect(
      codes(await gql(hub, `mutation { createProject(input: { name: "mine" }) { name } }`, {}, operator)),
    ).toEqual(['FORBIDDEN']);
    await gqlOk(hub, `mutation { deleteProject(name: "empty") { name } }`);
    expect(
      (await gqlOk<{ project: unknown }>(hub, `query { project(name: "empty") { name } }`)).project,
    ).toBeNull();
    const events = await gqlOk<{ events: { edges: { node: { action: string } }[] } }>(
      hub,
      `query { events(first: 50, action: "project.") { edges { node { action } } } }`,
    );
    expect(events.events.edges.map((e) => e.node.action)).toEqual(
      expect.arrayContaining(['project.created', 'project.deleted']),
    );
  });
});
