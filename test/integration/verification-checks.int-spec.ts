import { type RegisterResponse } from '@fleetwave/contracts';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Producer } from 'kafkajs';
import pg from 'pg';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { type HubConfig } from '../../services/hub/src/config/hub-config.js';
import { HubClient } from '../../services/agent/src/hub/hub-client.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { VerificationRunner } from '../../services/hub/src/rollouts/verification/verification-runner.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { startPrometheus, type TestPrometheus } from '../harness/prometheus.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, TestClock, type TestHub, testHubConfig } from './support/hub.js';
import { Receiver } from './support/receiver.js';

// Verification checks between waves on a real hub (Postgres, Kafka, git, simulated agents): http
// checks against a server in the test, prometheus checks against a real Prometheus (built by
// test/kube/build-prometheus.sh) scraping a /metrics endpoint the test controls.
const ADMIN = { name: 'test-admin', role: 'admin' as const };

/** A check Job as a team would commit it (the agent owns its name, namespace and labels). */
const SMOKE_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: smoke-test
  labels: { team: web }
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: smoke
          image: registry.test/smoke:1
          args: [--url, http://web]
`;

const RUNS = `query ($id: ID!) {
  rollout(id: $id) {
    state
    blocking { kind message status running check target }
    waves { name verificationRuns { check kind target attempt final result message } }
    verificationRuns { wave check kind target attempt final result message durationMs }
  }
}`;

interface Run {
  wave: string;
  check: string;
  kind: string;
  target: string;
  attempt: number;
  final: boolean;
  result: string | null;
  message: string;
}
interface RunsView {
  rollout: {
    state: string;
    waves: { name: string; verificationRuns: Omit<Run, 'wave'>[] }[];
    verificationRuns: Run[];
  };
}

describe('verification checks between waves', () => {
  let git: TempGitServer;
  let repo: LocalRepo;
  let producer: Producer;
  let prometheus: TestPrometheus;
  let checked: Server;
  let checkedUrl: string;
  /** Status the http check server answers per cluster name (default 200). */
  const statusOf = new Map<string, number>();
  const hubs: TestHub[] = [];
  const agents: SimAgent[] = [];
  const receivers: Receiver[] = [];
  let tag = 0;

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-git-verify-');
    repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    producer = await connectReportProducer(kafkaBrokers(), 'it-verify');
    checked = createServer((request, response) => {
      const cluster = /^\/healthz\/([^/?]+)/.exec(request.url ?? '')?.[1] ?? '';
      const status = statusOf.get(cluster) ?? 200;
      response
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ready: status === 200 }));
    });
    await new Promise<void>((resolve) => checked.listen(0, '127.0.0.1', resolve));
    checkedUrl = `http://127.0.0.1:${(checked.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    statusOf.clear();
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await Promise.all(receivers.splice(0).map((r) => r.down()));
    await Promise.all(hubs.splice(0).map((h) => h.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => checked?.close(() => resolve()));
    await producer?.disconnect();
    await git?.stop();
  });

  async function hub(config: HubConfig): Promise<TestHub> {
    const started = await startTestHub(config);
    hubs.push(started);
    return started;
  }

  async function fleet(target: TestHub, names: string[]): Promise<RegisterResponse[]> {
    const identities: RegisterResponse[] = [];
    for (const name of names) {
      identities.push(
        await registerCluster(target, name, {
          env: 'prod',
          region: 'eu',
          tier: name.startsWith('canary') ? 'canary' : 'main',
        }),
      );
    }
    for (const identity of identities) {
      const agent = new SimAgent({ hubUrl: target.url, identity, reports: producerSink(producer) });
      agent.start();
      agents.push(agent);
    }
    return identities;
  }

  async function createApp(target: TestHub, plan: unknown): Promise<string> {
    await target.app.get(ApplicationsService).create(ADMIN, {
      name: 'web',
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      targetSelector: 'env=prod',
      plan,
    });
    return sync(target);
  }

  async function newCommit(target: TestHub): Promise<string> {
    await repo.commit(
      { 'deploy/web.yaml': webDeployment({ replicas: '1', tag: `2.${tag++}` }) },
      `web 2.${tag}`,
    );
    return sync(target);
  }

  async function sync(target: TestHub): Promise<string> {
    const app = (await target.app.get(ApplicationsService).findByName('web'))!;
    const outcome = await target.app.get(GitSyncService).sync(app);
    expect(outcome.error).toBeNull();
    return outcome.commit!;
  }

  const runs = async (target: TestHub, id: string) => (await gqlOk<RunsView>(target, RUNS, { id })).rollout;

  function settled(target: TestHub, id: string, states: string[], description: string) {
    return waitFor(
      async () => {
        const rollout = await target.app.get(RolloutsService).get(id);
        return states.includes(rollout.state) ? rollout : undefined;
      },
      { timeoutMs: 60_000, description },
    );
  }

  const plan = (verification: unknown[]) => ({
    autoRollback: true,
    waves: [{ name: 'canary', selector: 'tier=canary', verification }],
    rest: { maxConcurrency: '100%', verification },
  });

  it('refuses a bad check with a stable code naming the field, keeping the plan', async () => {
    const a = await hub(await testHubConfig());
    const healthz = { name: 'healthz', kind: 'http', url: `${checkedUrl}/healthz/\${cluster.name}` };
    await createApp(a, plan([healthz]));
    // A manifest in the repository is read at the application's latest commit when the plan is saved.
    await repo.commit(
      {
        'checks/pod.yaml': SMOKE_JOB.replace('kind: Job', 'kind: Pod'),
        'checks/typo.yaml': SMOKE_JOB.replace('http://web', () => '"http://web.${cluster.nam}"'),
      },
      'not a Job; a Job with a mistyped placeholder',
    );
    const latest = (await sync(a)).slice(0, 12);
    for (const [check, message] of [
      [
        { ...healthz, url: 'http://x/${cluster.nam}' },
        'waves[0].verification[0].url: unknown placeholder ${cluster.nam}',
      ],
      [
        { name: 'q', kind: 'prometheus', query: '', threshold: { op: '<', value: 1 } },
        'waves[0].verification[0].query: must be a non-empty PromQL query',
      ],
      [{ ...healthz, condition: 'body.ready ==' }, 'waves[0].verification[0].condition: '],
      [{ name: 'j', kind: 'job' }, 'waves[0].verification[0].image: must be a container image'],
      [
        { name: 'j', kind: 'job', manifest: '../checks/smoke.yaml' },
        'waves[0].verification[0].manifest: must be the path of a YAML file in the repository',
      ],
      [
        { name: 'j', kind: 'job', manifest: 'checks/pod.yaml' },
        `waves[0].verification[0].manifest: checks/pod.yaml at ${latest}: kind must be Job, not "Pod"`,
      ],
      [
        { name: 'j', kind: 'job', manifest: 'checks/typo.yaml' },
        `waves[0].verification[0].manifest: checks/typo.yaml at ${latest}: spec.template.spec.containers[0].args[1]: unknown placeholder \${cluster.nam} (use \${cluster.name} or \${cluster.labels.<key>})`,
      ],
    ] as const) {
      const bad = await gql(
        a,
        `mutation ($plan: JSON) { updateApplication(name: "web", input: { plan: $plan }) { name } }`,
        { plan: plan([check]) },
      );
      expect(codes(bad)).toEqual(['INVALID_ARGUMENT']);
      expect(bad.errors![0]!.message).toContain(message);
    }
    const app = (await a.app.get(ApplicationsService).findByName('web'))!;
    expect(app.plan.waves[0]!.verification.map((c) => c.name)).toEqual(['healthz']);
  });

  it('lets the next wave start after a passing http check, and rolls back when one cluster answers 500', async () => {
    const a = await hub(await testHubConfig());
    await fleet(a, ['canary-1', 'main-1', 'main-2']);
    const healthz = {
      name: 'healthz',
      kind: 'http',
      url: `${checkedUrl}/healthz/\${cluster.name}`,
      condition: 'body.ready == true',
      retries: 1,
      intervalSeconds: 1,
    };
    const first = await a.app.get(RolloutsService).start(ADMIN, 'web', await createApp(a, plan([healthz])));
    await settled(a, first.id, ['Succeeded'], 'the first rollout passed its checks');
    const passed = await runs(a, first.id);
    // The wave's clusters are checked side by side: their runs are recorded in any order.
    expect(passed.verificationRuns.map((r) => [r.wave, r.target, r.result]).sort()).toEqual([
      ['canary', 'canary-1', 'passed'],
      ['rest', 'main-1', 'passed'],
      ['rest', 'main-2', 'passed'],
    ]);
    expect(passed.waves.find((w) => w.name === 'canary')!.verificationRuns).toHaveLength(1);

    // A subscription to verificationFailed hears of the check failing for good, once.
    const receiver = new Receiver();
    await receiver.up();
    receivers.push(receiver);
    await gqlOk(
      a,
      `mutation($input: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $input) { id } }`,
      {
        input: {
          application: 'web',
          kinds: ['verificationFailed'],
          format: 'slack',
          url: receiver.url('/checks'),
        },
      },
    );
    statusOf.set('main-2', 500);
    const second = await a.app.get(RolloutsService).start(ADMIN, 'web', await newCommit(a));
    const failed = await settled(
      a,
      second.id,
      ['Failed', 'RolledBack'],
      'the second rollout failed its check',
    );
    // The failed check counts against the wave's failure budget (0): the rollout fails, rolls back.
    expect(failed.message).toBe(
      `wave rest: 1/2 failed, budget 0; check healthz failed for main-2: GET ${checkedUrl}/healthz/main-2: status 500, expected 200`,
    );
    await settled(a, second.id, ['RolledBack'], 'the rollout rolled back');
    const seen = await runs(a, second.id);
    const main2 = seen.verificationRuns.filter((r) => r.target === 'main-2');
    // One retry, then the check failed for good.
    expect(main2.map((r) => [r.attempt, r.final, r.result])).toEqual([
      [1, false, 'failed'],
      [2, true, 'failed'],
    ]);
    const [notified] = await waitFor(() => receiver.at('/checks').length > 0 && receiver.at('/checks'), {
      description: 'the verificationFailed notification',
      timeoutMs: 30_000,
    });
    expect(JSON.parse(notified!.body)).toEqual({
      text: `Fleetwave: rollout ${second.id} of web: check healthz failed for main-2 in wave rest: GET ${checkedUrl}/healthz/main-2: status 500, expected 200`,
    });
    // Only the final attempt is an event: the first, retried, attempt notified nobody.
    expect(receiver.at('/checks')).toHaveLength(1);
  });

  it('goes on when a single cluster fails its check within a failure budget of 1', async () => {
    const a = await hub(await testHubConfig());
    await fleet(a, ['canary-1', 'canary-2', 'main-1']);
    statusOf.set('canary-2', 503);
    const healthz = { name: 'healthz', kind: 'http', url: `${checkedUrl}/healthz/\${cluster.name}` };
    const rollout = await a.app.get(RolloutsService).start(
      ADMIN,
      'web',
      await createApp(a, {
        autoRollback: true,
        waves: [{ name: 'canary', selector: 'tier=canary', failureBudget: 1, verification: [healthz] }],
        rest: { maxConcurrency: '100%' },
      }),
    );
    const done = await settled(a, rollout.id, ['Succeeded', 'Failed', 'RolledBack'], 'the rollout ended');
    expect(done.state).toBe('Succeeded');
    const seen = await gqlOk<{
      rollout: {
        waves: { name: string; failed: number; failureLimit: number }[];
        verificationRuns: Run[];
        clusters: { name: string; phase: string }[];
      };
    }>(
      a,
      `query ($id: ID!) { rollout(id: $id) {
        waves { name failed failureLimit }
        verificationRuns { wave check kind target attempt final result message }
        clusters { name phase }
      } }`,
      { id: rollout.id },
    );
    // The failure stays visible: in the check runs and in the wave's failure count.
    expect(seen.rollout.verificationRuns.map((r) => [r.target, r.final, r.result]).sort()).toEqual([
      ['canary-1', true, 'passed'],
      ['canary-2', true, 'failed'],
    ]);
    expect(seen.rollout.waves.find((w) => w.name === 'canary')).toMatchObject({ failed: 1, failureLimit: 1 });
    expect(seen.rollout.clusters.find((c) => c.name === 'main-1')?.phase).toBe('Healthy');
  });

  it("rolls back when a job check's Job fails on the canary, as the cluster's agent reports it", async () => {
    const a = await hub(await testHubConfig());
    const [canary] = await fleet(a, ['canary-1', 'main-1']);
    // The test is the canary's agent for check Jobs, through the agent API and its real client.
    const agentApi = new HubClient(a.url, canary!.credential);
    const smoke = {
      name: 'smoke',
      kind: 'job',
      image: 'registry.test/smoke:${cluster.labels.region}',
      args: ['--target', '${cluster.name}'],
      timeoutSeconds: 60,
    };
    const first = await a.app.get(RolloutsService).start(ADMIN, 'web', await createApp(a, plan([smoke])));
    const [asked] = await waitFor(
      async () => {
        const jobs = await agentApi.pendingCheckJobs();
        return jobs.length > 0 && jobs;
      },
      { timeoutMs: 30_000, description: 'the canary to be asked for its check Job' },
    );
    expect(asked).toMatchObject({
      check: 'smoke',
      image: 'registry.test/smoke:eu',
      command: [],
      args: ['--target', 'canary-1'],
      timeoutSeconds: 60,
    });
    // Another cluster cannot report it; a bad outcome is refused with a stable code.
    const other = new HubClient(a.url, (await registerCluster(a, 'other-1', { env: 'dev' })).credential);
    await expect(
      other.reportCheckJob(asked!.id, { result: 'passed', message: 'Complete' }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    const bad = await fetch(`${a.url}/agent/v1/check-jobs/${asked!.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${canary!.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ result: 'maybe', message: '' }),
    });
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([400, 'INVALID_ARGUMENT']);

    await agentApi.reportCheckJob(asked!.id, { result: 'failed', message: 'BackoffLimitExceeded' });
    const failed = await settled(a, first.id, ['Failed', 'RolledBack'], 'the job check failed the canary');
    expect(failed.message).toBe(
      `wave canary: 1/1 failed, budget 0; check smoke failed for canary-1: job fleetwave-check-${asked!.id}: BackoffLimitExceeded`,
    );
    // Reported once: the Job is no longer pending, and a second report is refused.
    expect(await agentApi.pendingCheckJobs()).toEqual([]);
    await expect(
      agentApi.reportCheckJob(asked!.id, { result: 'passed', message: 'Complete' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    const view = await runs(a, first.id);
    expect(view.verificationRuns.map((r) => [r.wave, r.kind, r.target, r.result])).toEqual([
      ['canary', 'job', 'canary-1', 'failed'],
    ]);
  });

  it('runs a job check from a Job manifest committed in the repository, read at the rollout commit', async () => {
    const a = await hub(await testHubConfig());
    const [canary] = await fleet(a, ['canary-1', 'main-1']);
    const agentApi = new HubClient(a.url, canary!.credential);
    // The hub fills the cluster's name and labels into the manifest's strings, per cluster.
    const templated = SMOKE_JOB.replace(
      'http://web',
      () => '"http://web.${cluster.name}/${cluster.labels.tier}"',
    );
    await repo.commit({ 'checks/smoke.yaml': templated }, 'a smoke check Job');
    const smoke = { name: 'smoke', kind: 'job', manifest: 'checks/smoke.yaml', timeoutSeconds: 60 };
    const first = await a.app.get(RolloutsService).start(ADMIN, 'web', await createApp(a, plan([smoke])));
    // Changed after the rollout started: the rollout's commit is what counts.
    await repo.commit({ 'checks/smoke.yaml': templated.replace('smoke-test', 'changed-later') }, 'later');
    const [asked] = await waitFor(
      async () => {
        const jobs = await agentApi.pendingCheckJobs();
        return jobs.length > 0 && jobs;
      },
      { timeoutMs: 30_000, description: 'the canary to be asked for its check Job' },
    );
    expect(asked).toEqual({
      id: asked!.id,
      check: 'smoke',
      command: [],
      args: [],
      timeoutSeconds: 60,
      manifest: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'smoke-test', labels: { team: 'web' } },
        spec: {
          backoffLimit: 1,
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'smoke',
                  image: 'registry.test/smoke:1',
                  args: ['--url', 'http://web.canary-1/canary'],
                },
              ],
            },
          },
        },
      },
    });
    await agentApi.reportCheckJob(asked!.id, {
      result: 'failed',
      message: 'BackoffLimitExceeded: Job has reached the specified backoff limit',
    });
    const failed = await settled(
      a,
      first.id,
      ['Failed', 'RolledBack'],
      'the manifest job check failed the canary',
    );
    expect(failed.message).toBe(
      `wave canary: 1/1 failed, budget 0; check smoke failed for canary-1: job fleetwave-check-${asked!.id}: BackoffLimitExceeded: Job has reached the specified backoff limit`,
    );
  });

  it('errors a job check whose manifest is not in the repository at the rollout commit', async () => {
    const a = await hub(await testHubConfig());
    const [canary] = await fleet(a, ['canary-1', 'main-1']);
    const agentApi = new HubClient(a.url, canary!.credential);
    const missing = { name: 'smoke', kind: 'job', manifest: 'checks/missing.yaml' };
    const first = await a.app.get(RolloutsService).start(ADMIN, 'web', await createApp(a, plan([missing])));
    await settled(
      a,
      first.id,
      ['Failed', 'RolledBack'],
      'the job check without its manifest failed the canary',
    );
    const view = await runs(a, first.id);
    expect(view.verificationRuns.map((r) => [r.wave, r.kind, r.target, r.final, r.result])).toEqual([
      ['canary', 'job', 'canary-1', true, 'error'],
    ]);
    expect(view.verificationRuns[0]!.message).toMatch(
      /^job manifest checks\/missing\.yaml: no file "checks\/missing\.yaml" at [0-9a-f]{12} of http/,
    );
    // Nothing was asked of the agent.
    expect(await agentApi.pendingCheckJobs()).toEqual([]);
  });

  it('a restarted hub takes over a job check whose hub went away mid-run, once its lease ran out', async () => {
    const config = await testHubConfig();
    const a = await hub(config);
    // One cluster: its simulated agent stays with hub A (healthy already when the check runs).
    const [canary] = await fleet(a, ['canary-1']);
    const agentApi = new HubClient(a.url, canary!.credential);
    const smoke = { name: 'smoke', kind: 'job', image: 'registry.test/smoke:1', timeoutSeconds: 60 };
    const canaryOnly = { waves: [{ name: 'canary', selector: 'tier=canary', verification: [smoke] }] };
    const rollout = await a.app.get(RolloutsService).start(ADMIN, 'web', await createApp(a, canaryOnly));
    const [asked] = await waitFor(
      async () => {
        const jobs = await agentApi.pendingCheckJobs();
        return jobs.length > 0 && jobs;
      },
      { timeoutMs: 30_000, description: 'the canary to be asked for its check Job' },
    );
    const runner = a.app.get(VerificationRunner);
    const heldBy = async () => {
      const client = new pg.Client({ connectionString: config.database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ leased_by: string; lease_until: Date; result: string | null }>(
          `SELECT leased_by, lease_until, result FROM verification_runs WHERE id = $1`,
          [asked!.id],
        );
        return rows[0]!;
      } finally {
        await client.end();
      }
    };
    expect((await heldBy()).leased_by).toBe(runner.replica);

    // Hub A goes away while the check runs; the attempt stays unsettled, held until its lease ends.
    const leaseEnd = (await heldBy()).lease_until;
    await a.close();
    hubs.splice(hubs.indexOf(a), 1);
    expect((await heldBy()).result).toBeNull();

    // Hub B, its clock past the lease: its periodic pass hands it the running wave, and it claims it.
    const clock = new TestClock();
    clock.set(new Date(leaseEnd.getTime() + 1000));
    const b = await startTestHub(config, { clock });
    hubs.push(b);
    const takenBy = b.app.get(VerificationRunner).replica;
    await waitFor(async () => (await heldBy()).leased_by === takenBy, {
      timeoutMs: 30_000,
      description: 'hub B to take over the attempt',
    });
    // The agent's outcome (its Job completed meanwhile) reaches hub B, which settles the check.
    await new HubClient(b.url, canary!.credential).reportCheckJob(asked!.id, {
      result: 'passed',
      message: 'Complete',
    });
    await settled(b, rollout.id, ['Succeeded'], 'the rollout to go on after the taken-over check passed');
    const view = await runs(b, rollout.id);
    expect(view.verificationRuns.map((r) => [r.wave, r.target, r.attempt, r.final, r.result])).toEqual([
      ['canary', 'canary-1', 1, true, 'passed'],
    ]);
  });

  // Prometheus (built by test/kube/build-prometheus.sh) starts only for the tests that query it.
  describe('against a real Prometheus', () => {
    beforeAll(async () => {
      prometheus = await startPrometheus('');
    });

    afterAll(async () => {
      await prometheus?.stop();
    });

    it('passes and fails prometheus checks on what the real Prometheus scraped', async () => {
      const a = await hub(await testHubConfig({ rollouts: { prometheusUrl: prometheus.url } }));
      await fleet(a, ['canary-1', 'main-1']);
      const errors = (value: number) =>
        ['canary-1', 'main-1'].map((c) => `app_error_ratio{cluster="${c}"} ${value}`).join('\n') + '\n';
      prometheus.serve(errors(0.01));
      await prometheus.awaitSeen('app_error_ratio', (v) => v === 0.01, 'error ratio 0.01');
      const check = {
        name: 'error-ratio',
        kind: 'prometheus',
        query: 'app_error_ratio{cluster=~"${wave.clusters}"}',
        threshold: { op: '<', value: 0.05 },
      };
      const first = await a.app.get(RolloutsService).start(ADMIN, 'web', await createApp(a, plan([check])));
      await settled(a, first.id, ['Succeeded'], 'the rollout passed its prometheus checks');
      expect((await runs(a, first.id)).verificationRuns.map((r) => [r.wave, r.target, r.result])).toEqual([
        ['canary', 'wave', 'passed'],
        ['rest', 'wave', 'passed'],
      ]);

      prometheus.serve(errors(0.2));
      await prometheus.awaitSeen('app_error_ratio', (v) => v === 0.2, 'error ratio 0.2');
      const second = await a.app.get(RolloutsService).start(ADMIN, 'web', await newCommit(a));
      const failed = await settled(
        a,
        second.id,
        ['Failed', 'RolledBack'],
        'the rollout failed its prometheus check',
      );
      expect(failed.message).toBe(
        'wave canary: check error-ratio failed for wave: 1/1 sample(s) not < 0.05: {cluster="canary-1", instance=' +
          (await instanceLabel()) +
          ', job="test"} = 0.2',
      );
    });

    it('fails a comparative check when the updated cohort is worse than the clusters not updated yet', async () => {
      const a = await hub(await testHubConfig({ rollouts: { prometheusUrl: prometheus.url } }));
      await fleet(a, ['canary-1', 'main-1', 'main-2']);
      prometheus.serve(
        'app_latency_seconds{cluster="canary-1"} 0.5\napp_latency_seconds{cluster="main-1"} 0.1\napp_latency_seconds{cluster="main-2"} 0.1\n',
      );
      await prometheus.awaitSeen(
        'app_latency_seconds{cluster="canary-1"}',
        (v) => v === 0.5,
        'canary latency 0.5',
      );
      const compare = {
        name: 'latency-vs-baseline',
        kind: 'prometheus',
        query: 'avg(app_latency_seconds{cluster=~"${cohort.clusters}"})',
        compare: { maxWorseBy: '20%', direction: 'lowerIsBetter' },
      };
      const rollout = await a.app
        .get(RolloutsService)
        .start(ADMIN, 'web', await createApp(a, plan([compare])));
      const failed = await settled(a, rollout.id, ['Failed'], 'the comparative check failed the canary wave');
      expect(failed.message).toBe(
        'wave canary: check latency-vs-baseline failed for updated-vs-baseline: updated cohort worse by 0.4: updated 0.5, baseline 0.1 (lowerIsBetter, max worse by 20%)',
      );
      const view = await runs(a, rollout.id);
      expect(view.waves.find((w) => w.name === 'rest')!.verificationRuns).toEqual([]);
    });

    /** The `instance` label Prometheus gives the test's scrape target, quoted. */
    async function instanceLabel(): Promise<string> {
      const [up] = await prometheus.query('up{job="test"}');
      return `"${up!.labels['instance']!}"`;
    }
  });
});
