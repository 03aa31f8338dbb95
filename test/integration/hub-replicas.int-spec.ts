import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeReportMessage } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import pg from 'pg';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../harness/git-server.js';
import { sendPushWebhook } from '../harness/git-push.js';
import { type HubProcess, startHubProcess } from '../harness/hub-process.js';
import { type LoadBalancer, startLoadBalancer } from '../harness/lb.js';
import { registerAgent, SimAgent } from '../harness/sim-agent.js';
import { graphqlClient } from '../harness/graphql-client.js';
import { connectReportProducer, producerSink, type ReportSink } from '../harness/report-sinks.js';
import { waitForObserved } from '../harness/wait-for.js';
import { createTestDatabase, kafkaBrokers } from './support/backing-services.js';

const ADMIN_TOKEN = 'hub-replicas-admin-token-0123456789abcdef';
const WEBHOOK_SECRET = 'hub-replicas-webhook-secret-0123';
const PARTITIONS = 6;
/** Waves of 3, 9 and 18 clusters (names carry the wave: canary-00, early-03, late-29). */
const TIERS = Array.from({ length: 30 }, (_, i) => (i < 3 ? 'canary' : i < 12 ? 'early' : 'late'));
const PLAN = {
  waves: [
    { name: 'canary', selector: 'tier=canary', maxConcurrency: 3 },
    { name: 'early', selector: 'tier=early', maxConcurrency: 3 },
    { name: 'late', selector: 'tier=late', maxConcurrency: '50%' },
  ],
};
const LIMITS: Record<string, number> = { canary: 3, early: 3, late: 9 };
/** How long a simulated apply of the rollout under test takes: keeps the rollout mid-wave at the kill. */
const APPLY_MS = 1_500;
/**
 * The replicas' consumer session timeout (HUB_REPORTS_SESSION_TIMEOUT_SECONDS, the minimum the
 * brokers accept): a SIGKILLed member's partitions move only after it, so every wait spanning a
 * kill allows for it several times over on a loaded machine.
 */
const SESSION_TIMEOUT_MS = 6_000;

const CONFIG_MAP = (version: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: demo
data:
  cluster: \${cluster.name}
  version: "${version}"
`;

interface RolloutView {
  id: string;
  commit: string;
  state: string;
  currentWave: number;
  clusters: {
    clusterId: string;
    name: string;
    wave: string;
    phase: string;
    targetDigest: string | null;
    reportedDigest: string | null;
  }[];
}

/**
 * Hub replicas as real OS processes (services/hub/dist: `npm run build` first) on one PostgreSQL and
 * one Kafka, behind a round-robin load balancer that the simulated agents talk to. One suite: each
 * test builds on the fleet and rollouts of the previous one.
 */
describe('hub replicas as separate processes: shared ingestion, coordinated rollouts, SIGKILL', () => {
  let work: string;
  let databaseUrl: string;
  let db: pg.Client;
  let git: GitServer;
  let repo: LocalRepo;
  let lb: LoadBalancer;
  let producer: Producer;
  let reports: ReportSink;
  const prefix = `it-${randomBytes(4).toString('hex')}.`;
  const replicas = new Map<string, HubProcess>();
  const agents: SimAgent[] = [];
  /** What Kafka acknowledged of the agents' reports (one a send): per cluster, the highest seq and its partition. */
  const acked = new Map<string, { seq: number; partition: number }>();
  /** When each simulated apply of `slowCommit` started, by wave. */
  const applies = new Map<string, number[]>();
  let slowCommit = '';
  const commits: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'fleetwave-replicas-'));
    databaseUrl = await createTestDatabase('fleetwave_replicas');
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    git = await startGitServer({ root: path.join(work, 'git') });
    repo = await createRepo(path.join(work, 'git'), 'fleet');
    commits.push(await repo.commit({ 'deploy/web.yaml': CONFIG_MAP('1') }, 'web 1'));
    producer = await connectReportProducer(kafkaBrokers(), 'it-replicas');
    reports = producerSink(producer, (report, metadata) => {
      const decoded = decodeReportMessage(report.value as Buffer, Number.MAX_SAFE_INTEGER);
      if (!decoded.ok) return;
      const { clusterId, seq } = decoded.envelope.report;
      const previous = acked.get(clusterId)?.seq ?? -1;
      acked.set(clusterId, { seq: Math.max(seq, previous), partition: metadata[0]!.partition });
    });
    await Promise.all([startReplica('a'), startReplica('b')]);
    lb = await startLoadBalancer([url('a'), url('b')]);
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(agents.map((a) => a.stop()));
    await lb?.stop();
    await Promise.allSettled([...replicas.values()].map((r) => r.stop()));
    await producer?.disconnect().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await git?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  async function startReplica(name: string): Promise<HubProcess> {
    const hub = await startHubProcess({
      databaseUrl,
      brokers: kafkaBrokers(),
      logFile: path.join(work, `hub-${name}.log`),
      env: {
        HUB_KAFKA_TOPIC_PREFIX: prefix,
        HUB_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
        HUB_REPORTS_PARTITIONS: String(PARTITIONS),
        HUB_GIT_DIR: path.join(work, `mirrors-${name}`),
        HUB_GIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        HUB_ROLLOUT_PASS_INTERVAL_SECONDS: '1',
        HUB_ASSIGNMENTS_POLL_TIMEOUT_SECONDS: '10',
        HUB_REPORTS_SESSION_TIMEOUT_SECONDS: String(SESSION_TIMEOUT_MS / 1000),
        // Simulated agents send no heartbeats: they must not turn Unknown during the suite.
        HUB_HEARTBEAT_INTERVAL_SECONDS: '3600',
        HUB_DASHBOARD_DIR: '',
      },
    });
    replicas.set(name, hub);
    await hub.ready(120_000);
    return hub;
  }

  function url(name: string): string {
    return replicas.get(name)!.url;
  }

  const gql = <T>(hubUrl: string, query: string, variables?: Record<string, unknown>) =>
    graphqlClient(hubUrl, ADMIN_TOKEN)<T>(query, variables);

  function lastErrorOf(clusterId: string): string | undefined {
    return agents.find((a) => a.clusterId === clusterId)?.lastError;
  }

  async function scrape(name: string): Promise<string> {
    return (await fetch(`${url(name)}/metrics`)).text();
  }

  async function partitionsOf(name: string): Promise<number[]> {
    const text = await scrape(name);
    return [...text.matchAll(/^fleetwave_report_partitions_assigned\{partition="(\d+)"\} 1$/gm)]
      .map((m) => Number(m[1]))
      .sort((x, y) => x - y);
  }

  async function ingestedBy(name: string): Promise<number> {
    const match = /^fleetwave_reports_ingested_total (\d+)$/m.exec(await scrape(name));
    return Number(match?.[1] ?? 0);
  }

  /** Waits until these replicas, and only they, split every partition among them (a settled group). */
  function sharedBy(names: string[]): Promise<Map<string, number[]>> {
    return waitForObserved(
      `partitions shared by ${names.join(', ')}`,
      SESSION_TIMEOUT_MS * 4 + 60_000,
      async () => {
        const owned = new Map<string, number[]>();
        for (const name of names) owned.set(name, await partitionsOf(name));
        const all = [...owned.values()].flat().sort((x, y) => x - y);
        const settled =
          [...owned.values()].every((p) => p.length > 0) &&
          all.join() === Array.from({ length: PARTITIONS }, (_, i) => i).join();
        return {
          done: settled ? owned : undefined,
          observed: [...owned].map(([n, p]) => `${n}: [${p.join(',')}]`).join(' '),
        };
      },
      250,
    );
  }

  async function rolloutOf(hubUrl: string, commit: string): Promise<RolloutView | undefined> {
    const { rollouts } = await gql<{ rollouts: { edges: { node: { id: string; commit: string } }[] } }>(
      hubUrl,
      `{ rollouts(application: "web", first: 10) { edges { node { id commit } } } }`,
    );
    const id = rollouts.edges.find((e) => e.node.commit === commit)?.node.id;
    if (id === undefined) return undefined;
    const { rollout } = await gql<{ rollout: RolloutView }>(
      hubUrl,
      `query($id: ID!) { rollout(id: $id) {
        id commit state currentWave clusters { clusterId name wave phase targetDigest reportedDigest } } }`,
      { id },
    );
    return rollout;
  }

  /** Tells one replica about a push, as GitHub would: the application's auto policy starts a rollout. */
  async function push(commit: string, to: string): Promise<void> {
    const answer = await sendPushWebhook({
      hubUrl: url(to),
      secret: WEBHOOK_SECRET,
      repoUrl: git.url('fleet'),
      commit,
    });
    expect(answer.status).toBe(202);
  }

  function succeeded(commit: string, observeOn: string, timeoutMs: number): Promise<RolloutView> {
    return waitForObserved(
      `the rollout of ${commit.slice(0, 8)} Succeeded`,
      timeoutMs,
      async () => {
        const rollout = await rolloutOf(url(observeOn), commit);
        return {
          done: rollout?.state === 'Succeeded' ? rollout : undefined,
          observed: rollout
            ? `${rollout.state}, wave ${rollout.currentWave}; ${rollout.clusters
                .filter((c) => c.phase !== 'Healthy' && c.phase !== 'Pending')
                .map((c) => `${c.name} ${c.phase} (agent: ${lastErrorOf(c.clusterId) ?? 'ok'})`)
                .join(', ')}`
            : 'no rollout yet',
        };
      },
      250,
    );
  }

  /** Per cluster: last accepted seq, generation and the application's bundle status, from Postgres. */
  async function clusterRows() {
    const { rows } = await db.query<{
      id: string;
      name: string;
      last_seq: string;
      assignment_generation: string;
      digest: string | null;
      phase: string | null;
    }>(
      `SELECT c.id, c.name, c.last_seq, c.assignment_generation, s.digest, s.phase
         FROM cluster c LEFT JOIN cluster_bundle_status s ON s.cluster_id = c.id AND s.application = 'web'
        ORDER BY c.name`,
    );
    return rows;
  }

  /** Every cluster's last acknowledged report is in Postgres, and it says Healthy at the rollout's digest. */
  async function expectEveryReportIngested(rollout: RolloutView, generation: number): Promise<void> {
    const target = new Map(rollout.clusters.map((c) => [c.clusterId, c.targetDigest]));
    const rows = await waitForObserved('every acknowledged report ingested', 30_000, async () => {
      const rows = await clusterRows();
      const behind = rows.filter((r) => Number(r.last_seq) !== acked.get(r.id)?.seq);
      return { done: behind.length === 0 ? rows : undefined, observed: `${behind.length} clusters behind` };
    });
    expect(rows).toHaveLength(TIERS.length);
    for (const row of rows) {
      expect({ name: row.name, digest: row.digest, phase: row.phase }).toEqual({
        name: row.name,
        digest: target.get(row.id),
        phase: 'Healthy',
      });
      // The generation moves once per assignment: each rollout assigned each cluster exactly once.
      expect(Number(row.assignment_generation)).toBe(generation);
    }
    for (const c of rollout.clusters) {
      expect({ name: c.name, phase: c.phase, reported: c.reportedDigest }).toEqual({
        name: c.name,
        phase: 'Healthy',
        reported: c.targetDigest,
      });
    }
  }

  it('two replicas share report ingestion and serve every API call', async () => {
    const owned = await sharedBy(['a', 'b']);

    const { createRegistrationToken } = await gql<{ createRegistrationToken: { secret: string } }>(
      url('a'),
      `mutation($n: Int!) { createRegistrationToken(input: { description: "replicas", maxUses: $n }) { secret } }`,
      { n: TIERS.length },
    );
    for (const [i, tier] of TIERS.entries()) {
      // Through the load balancer: registrations land on both replicas.
      const identity = await registerAgent(lb.url, {
        token: createRegistrationToken.secret,
        clusterName: `${tier}-${String(i).padStart(2, '0')}`,
        kubeSystemUid: randomUUID(),
        labels: { tier },
        agentVersion: 'sim',
      });
      const agent = new SimAgent({
        hubUrl: lb.url,
        identity,
        reports,
        behaviour: (assignment) => {
          if (assignment.commit !== slowCommit) return { phase: 'Healthy' };
          const starts = applies.get(tier) ?? [];
          applies.set(tier, [...starts, performance.now()]);
          return { phase: 'Healthy', delayMs: APPLY_MS };
        },
      });
      agent.start();
      agents.push(agent);
    }
    await gql(
      url('b'),
      `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { name } }`,
      {
        input: {
          name: 'web',
          repoUrl: git.url('fleet'),
          ref: 'main',
          path: 'deploy',
          plan: PLAN,
          pollIntervalSeconds: 3600,
        },
      },
    );

    await push(commits[0]!, 'a');
    const first = await succeeded(commits[0]!, 'b', 90_000);
    await expectEveryReportIngested(first, 1);

    // Each replica ingested the reports of the clusters on its partitions (key = cluster id).
    for (const [name, partitions] of owned) {
      const clusters = [...acked.values()].filter((a) => partitions.includes(a.partition)).length;
      expect(clusters).toBeGreaterThan(0);
      expect(await ingestedBy(name)).toBeGreaterThanOrEqual(clusters);
    }
    // Agents were served by both replicas, and both answer the API from the same state.
    expect(lb.served.get(url('a'))).toBeGreaterThan(0);
    expect(lb.served.get(url('b'))).toBeGreaterThan(0);
    expect(await rolloutOf(url('a'), commits[0]!)).toEqual(first);
  }, 240_000);

  it('a rollout survives SIGKILL of one of three replicas mid-wave, nothing lost or assigned twice', async () => {
    await startReplica('c');
    lb.add(url('c'));
    const owned = await sharedBy(['a', 'b', 'c']);

    commits.push(await repo.commit({ 'deploy/web.yaml': CONFIG_MAP('2') }, 'web 2'));
    slowCommit = commits[1]!;
    // The victim owns the partition of a last-wave cluster: a report it will never see is certain.
    const lastCluster = agents.at(-1)!.clusterId;
    const victim = [...owned].find(([, p]) => p.includes(acked.get(lastCluster)!.partition))![0];
    const survivors = ['a', 'b', 'c'].filter((n) => n !== victim);
    await push(slowCommit, victim);

    // Mid-wave 2: its second batch has begun (one of the first three done), six clusters to go.
    await waitForObserved('the second batch of wave early', 60_000, () => ({
      done: (applies.get('early')?.length ?? 0) >= 4 ? true : undefined,
      observed: `${applies.get('early')?.length ?? 0} early applies started`,
    }));
    const seqAtKill = new Map([...acked].map(([id, a]) => [id, a.seq]));
    await replicas.get(victim)!.kill();
    replicas.delete(victim);

    const second = await succeeded(slowCommit, survivors[0]!, SESSION_TIMEOUT_MS * 5 + 60_000);
    await expectEveryReportIngested(second, 2);
    // Reports sent after the kill to the victim's partitions were ingested by a survivor (above).
    const orphaned = [...acked].filter(
      ([id, a]) => owned.get(victim)!.includes(a.partition) && a.seq > (seqAtKill.get(id) ?? -1),
    );
    expect(orphaned.map(([id]) => id)).toContain(lastCluster);
    // The survivors took the victim's partitions over (the group settles without it).
    await sharedBy(survivors);

    // Each agent was told to move to the new digest exactly once.
    const byCluster = new Map(second.clusters.map((c) => [c.clusterId, c.targetDigest]));
    const firstDigest = new Map(
      (await rolloutOf(url(survivors[0]!), commits[0]!))!.clusters.map((c) => [c.clusterId, c.targetDigest]),
    );
    for (const agent of agents) {
      expect(agent.digestsSeen('web')).toEqual([
        firstDigest.get(agent.clusterId),
        byCluster.get(agent.clusterId),
      ]);
    }

    // The engine's own record (one audit event per pass that moved, passes serialised by the row
    // lock): every cluster assigned once, and never more in flight in a wave than its limit.
    const { rows: passes } = await db.query<{
      after: { assigned: number; waves: { name: string; counts: Record<string, number> }[] };
    }>(
      `SELECT after FROM event
        WHERE target_kind = 'rollout' AND target_id = $1 AND actor = 'engine' AND after ? 'waves' ORDER BY id`,
      [second.id],
    );
    expect(passes.reduce((sum, p) => sum + (p.after.assigned ?? 0), 0)).toBe(TIERS.length);
    for (const { after: pass } of passes) {
      for (const wave of pass.waves) {
        const c = wave.counts;
        const inFlight = (c['Assigned'] ?? 0) + (c['Applying'] ?? 0) + (c['Progressing'] ?? 0);
        expect(inFlight).toBeLessThanOrEqual(LIMITS[wave.name] ?? 0); // the implicit rest wave is empty
      }
    }
    // Seen from the agents: applies that overlapped in time never outnumbered the wave's limit.
    for (const [wave, starts] of applies) {
      expect(starts).toHaveLength(TIERS.filter((t) => t === wave).length);
      // [start, start + window] lies inside the hub's in-flight time for the cluster (assigned before,
      // Healthy reported after); the margin covers timers firing a little early against performance.now().
      const windowMs = APPLY_MS - 100;
      const peak = Math.max(...starts.map((s) => starts.filter((o) => o <= s && s < o + windowMs).length));
      expect(peak).toBeLessThanOrEqual(LIMITS[wave]!);
    }
  }, 300_000);

  it('a replica started after the kill joins ingestion and serves agents and the API', async () => {
    const survivors = [...replicas.keys()];
    await startReplica('d');
    lb.add(url('d'));
    const owned = await sharedBy([...survivors, 'd']);
    const servedBefore = lb.served.get(url('d')) ?? 0;

    commits.push(await repo.commit({ 'deploy/web.yaml': CONFIG_MAP('3') }, 'web 3'));
    await push(commits[2]!, 'd');
    const third = await succeeded(commits[2]!, 'd', 90_000);
    await expectEveryReportIngested(third, 3);
    const clusters = [...acked.values()].filter((a) => owned.get('d')!.includes(a.partition)).length;
    expect(clusters).toBeGreaterThan(0);
    expect(await ingestedBy('d')).toBeGreaterThanOrEqual(clusters);
    expect(lb.served.get(url('d'))).toBeGreaterThan(servedBefore);
    const { clusters: fleet } = await gql<{ clusters: { totalCount: number } }>(
      url('d'),
      `{ clusters { totalCount } }`,
    );
    expect(fleet.totalCount).toBe(TIERS.length);
  }, 240_000);
});
