import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { PACE_HISTORY_ROLLOUTS, paceOfHistory } from '../../services/hub/src/rollouts/rollout-eta.js';
import { RolloutsRepository } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { createSyncedApp, rolloutIn } from './support/applications.js';
import { gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub } from './support/hub.js';

// The ETA's fallback on a real hub: a rollout that has settled no cluster yet is estimated from the
// application's earlier rollouts' pace, read from PostgreSQL when (and only when) the ETA is asked.
const ADMIN = { name: 'test-admin', role: 'admin' as const };

interface EtaView {
  at: string | null;
  basis: string;
  confidence: string;
  clusterSeconds: number | null;
}

describe('rollout ETA from the application’s earlier rollouts', () => {
  let hub: TestHub;
  let git: TempGitServer;
  let repo: LocalRepo;
  let producer: Producer;
  const agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-eta-it-');
    repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    hub = await startTestHub();
    producer = await connectReportProducer(kafkaBrokers(), 'fleetwave-it-eta');
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await producer?.disconnect();
    await git?.stop();
    await hub?.close();
  });

  const eta = async (id: string) =>
    (
      await gqlOk<{ rollout: { state: string; eta: EtaView; waves: { eta: EtaView }[] } }>(
        hub,
        `query ($id: ID!) { rollout(id: $id) { state eta { at basis confidence clusterSeconds }
           waves { eta { at basis confidence clusterSeconds } } } }`,
        { id },
      )
    ).rollout;

  it('estimates a rollout with nothing settled yet from the earlier rollout’s pace (basis previous)', async () => {
    const plan = { waves: [{ name: 'canary', selector: 'tier=canary' }], rest: { maxConcurrency: 2 } };
    const first = await createSyncedApp(hub, git.url('fleet'), 'web', 'env=prod', { plan });
    for (const name of ['eta-canary-1', 'eta-main-1', 'eta-main-2', 'eta-main-3']) {
      const tier = name.includes('canary') ? 'canary' : 'main';
      const identity = await registerCluster(hub, name, { env: 'prod', region: 'eu', tier });
      const agent = new SimAgent({ hubUrl: hub.url, identity, reports: producerSink(producer) });
      agent.start();
      agents.push(agent);
    }
    const rollouts = hub.app.get(RolloutsService);
    const earlier = await rollouts.start(ADMIN, 'web', first);
    await rolloutIn(hub, earlier.id);

    // The agents go away: the next rollout assigns its canary and settles nothing.
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '2.0' }) }, 'web 2.0');
    const app = (await hub.app.get(ApplicationsService).findByName('web'))!;
    const outcome = await hub.app.get(GitSyncService).sync(app);
    expect(outcome.error).toBeNull();
    const next = await rollouts.start(ADMIN, 'web', outcome.commit!);
    const view = await waitFor(
      async () => {
        const seen = await eta(next.id);
        return seen.state === 'Progressing' && seen;
      },
      { description: 'the second rollout to progress', timeoutMs: 20_000 },
    );

    // What the earlier rollout's waves say, read the way the hub reads them.
    const history = await hub.app.get(RolloutsRepository).paceHistory([app.id], PACE_HISTORY_ROLLOUTS);
    expect(history.get(app.id)).toHaveLength(1);
    const pace = paceOfHistory(history.get(app.id)!);
    expect(pace).not.toBeNull();
    expect(view.eta).toMatchObject({
      basis: 'previous',
      confidence: 'low',
      clusterSeconds: Math.round(pace!),
    });
    expect(view.eta.at).not.toBeNull();
    expect(view.waves.map((w) => w.eta.basis)).toEqual(['previous', 'previous']);

    // The earlier rollout itself is finished: its ETA is when it ended, no history read.
    expect((await eta(earlier.id)).eta.basis).toBe('finished');
  });
});
