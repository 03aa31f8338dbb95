import { type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { MetricsService } from '../../services/hub/src/metrics/metrics.service.js';
import { RolloutScheduler } from '../../services/hub/src/rollouts/rollout-scheduler.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { registerCluster } from './support/graphql.js';
import { startTestHub, TestClock, type TestHub, testHubConfig } from './support/hub.js';

// The periodic sweep leaves a quiet rollout alone until its wake-up or a signal, on a real hub
// (Postgres, Kafka, git, simulated agents). The sweep's own timer is an hour apart: the test runs
// sweeps by hand and moves the hub clock, and counts passes by the hub's metrics.
const ADMIN = { name: 'test-admin', role: 'admin' as const };
const SOAK_SECONDS = 600;

describe('the periodic sweep and quiet rollouts', () => {
  let git: TempGitServer;
  let producer: Producer;
  let hub: TestHub | undefined;
  const agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-git-quiet-');
    const repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    producer = await connectReportProducer(kafkaBrokers(), 'it-quiet-sweep');
  });

  afterAll(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await hub?.close().catch(() => undefined);
    await producer?.disconnect();
    await git?.stop();
  });

  function agent(target: TestHub, identity: RegisterResponse): SimAgent {
    const started = new SimAgent({ hubUrl: target.url, identity, reports: producerSink(producer) });
    started.start();
    agents.push(started);
    return started;
  }

  /** Engine passes run on the hub so far, and rollouts its sweeps left alone. */
  async function counts(target: TestHub): Promise<{ passes: number; skips: number }> {
    const metrics = target.app.get(MetricsService);
    const passes = (await metrics.rolloutPasses.get()).values.reduce((sum, v) => sum + v.value, 0);
    const skips = (await metrics.rolloutSweepSkips.get()).values.reduce((sum, v) => sum + v.value, 0);
    return { passes, skips };
  }

  it('leaves a soaking rollout out of the sweep until its soak ends; a status report still moves it at once', async () => {
    const clock = new TestClock();
    const a = await startTestHub(
      await testHubConfig({ rollouts: { passIntervalSeconds: 3600, quietPassIntervalSeconds: 3600 } }),
      { clock },
    );
    hub = a;
    const scheduler = a.app.get(RolloutScheduler);
    const sweep = async () => {
      await scheduler.sweep();
      await scheduler.idle();
    };
    // A pass that moved something (or one still running) is followed by one more sweep pass, which
    // finds nothing to do: then a sweep leaves the rollout alone.
    const quiet = (description: string) =>
      waitFor(
        async () => {
          const { skips } = await counts(a);
          await sweep();
          return (await counts(a)).skips > skips;
        },
        { timeoutMs: 30_000, description },
      );
    const canary = await registerCluster(a, 'q-canary', { env: 'staging', region: 'eu' });
    const prod = await registerCluster(a, 'q-prod', { env: 'prod', region: 'eu' });
    await a.app.get(ApplicationsService).create(ADMIN, {
      name: 'web',
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      plan: {
        waves: [
          { name: 'canary', selector: 'env=staging', soakSeconds: SOAK_SECONDS },
          { name: 'prod', selector: 'env=prod' },
        ],
      },
    });
    const app = (await a.app.get(ApplicationsService).findByName('web'))!;
    const commit = (await a.app.get(GitSyncService).sync(app)).commit!;
    // Only the canary's agent runs for now: the prod cluster reports when the test says so.
    agent(a, canary);
    const rollouts = a.app.get(RolloutsService);
    const rollout = await rollouts.start(ADMIN, 'web', commit);
    const soaking = await waitFor(
      async () => {
        const detail = await rollouts.detail(rollout.id);
        return detail.blocking?.kind === 'soak' ? detail.blocking : undefined;
      },
      { timeoutMs: 30_000, description: 'the canary wave soaking' },
    );
    const soakEnd = (soaking as { until: Date }).until;
    await quiet('the soaking rollout quiet');

    // Quiet and soaking: sweeps leave it alone, also a minute before its soak ends.
    const before = await counts(a);
    await sweep();
    await sweep();
    clock.set(new Date(soakEnd.getTime() - 60_000));
    await sweep();
    expect(await counts(a)).toEqual({ passes: before.passes, skips: before.skips + 3 });
    expect((await rollouts.get(rollout.id)).currentWave).toBe(0);

    // Its soak over: the next sweep passes it, and it assigns the prod wave.
    clock.set(new Date(soakEnd.getTime() + 1_000));
    await sweep();
    const afterSoak = await counts(a);
    expect(afterSoak.passes).toBeGreaterThan(before.passes);
    const detail = await rollouts.detail(rollout.id);
    expect(detail.rollout.currentWave).toBe(1);
    expect(detail.clusters.find((c) => c.clusterId === prod.clusterId)?.phase).toBe('Assigned');

    // Waiting for the prod cluster's report: quiet again after one more pass, then left alone.
    await quiet('the rollout waiting for the prod report quiet');
    const waiting = await counts(a);
    await sweep();
    expect(await counts(a)).toEqual({ passes: waiting.passes, skips: waiting.skips + 1 });

    // The prod cluster's agent reports Healthy: the report moves the rollout with no sweep at all.
    agent(a, prod);
    await waitFor(async () => (await rollouts.get(rollout.id)).state === 'Succeeded', {
      timeoutMs: 30_000,
      description: 'the rollout Succeeded on the report alone',
    });
    expect((await counts(a)).skips).toBe(waiting.skips + 1);
  });
});
