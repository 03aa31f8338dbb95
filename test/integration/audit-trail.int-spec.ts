import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { EventRetention } from '../../services/hub/src/events/event-retention.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent } from '../harness/sim-agent.js';
import { kafkaBrokers } from './support/backing-services.js';
import { createSyncedApp, rolloutIn } from './support/applications.js';
import { fleetctlAgainst } from './support/fleetctl-process.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };

interface TrailEvent {
  actor: string;
  action: string;
  target: { kind: string; id: string };
  after: Record<string, unknown> | null;
}

const EVENTS = `query E($actor: String, $action: String, $application: String, $cluster: String,
  $since: DateTime, $until: DateTime, $first: Int) {
  events(actor: $actor, action: $action, application: $application, cluster: $cluster,
    since: $since, until: $until, first: $first) {
    edges { node { actor action target { kind id } after } }
  }
}`;

const EVENTS_BY_FILTER = `query F($filter: EventFilter, $actor: String) {
  events(filter: $filter, actor: $actor, first: 500) {
    edges { node { actor action target { kind id } after } }
  }
}`;

describe('the audit trail you can query (real hub, Postgres, Kafka, git)', () => {
  let git: TempGitServer;
  let producer: Producer;
  let hub: TestHub;
  let configDir: string;
  const agents: SimAgent[] = [];
  let startedAt: Date;
  let rolloutId: string;
  let commit: string;

  const trail = async (filter: Record<string, unknown>): Promise<TrailEvent[]> =>
    (
      await gqlOk<{ events: { edges: { node: TrailEvent }[] } }>(hub, EVENTS, { first: 500, ...filter })
    ).events.edges.map((e) => e.node);

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-audit-it-');
    const repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    producer = await connectReportProducer(kafkaBrokers(), 'it-audit');
    configDir = await mkdtemp(join(tmpdir(), 'fleetwave-audit-cli-'));
    hub = await startTestHub(await testHubConfig({ gc: { eventRetentionDays: 30 } }));
    startedAt = new Date();

    for (const [name, region] of [
      ['prod-eu-1', 'eu'],
      ['prod-us-1', 'us'],
    ] as const) {
      const identity = await registerCluster(hub, name, { env: 'prod', region });
      const agent = new SimAgent({ hubUrl: hub.url, identity, reports: producerSink(producer) });
      agent.start();
      agents.push(agent);
    }
    commit = await createSyncedApp(hub, git.url('fleet'), 'web', 'env=prod');
    await createSyncedApp(hub, git.url('fleet'), 'other', 'region=us');
    rolloutId = (await hub.app.get(RolloutsService).start(ADMIN, 'web', commit)).id;
    await rolloutIn(hub, rolloutId);
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await hub?.close();
    await producer?.disconnect();
    await git?.stop();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it("a rollout's start names its commit and the bundle digest of every cluster", async () => {
    const [started] = await trail({ action: 'rollout.started', application: 'web' });
    expect(started).toMatchObject({ actor: 'test-admin', target: { kind: 'rollout', id: rolloutId } });
    expect(started!.after).toMatchObject({ application: 'web', commit });
    const bundles = started!.after!['bundles'] as Record<string, string[]>;
    // The digests the rollout gave its clusters, each cluster under its own.
    const detail = await hub.app.get(RolloutsService).detail(rolloutId);
    const expected: Record<string, string[]> = {};
    for (const c of detail.clusters) (expected[c.targetDigest!] ??= []).push(c.name);
    expect(bundles).toEqual(expected);
    expect(Object.values(bundles).flat().sort()).toEqual(['prod-eu-1', 'prod-us-1']);
  });

  it('filters by application: the application, its rollouts and its placements, not the other one', async () => {
    const web = await trail({ application: 'web' });
    expect(new Set(web.map((e) => e.target.kind))).toEqual(new Set(['application', 'rollout']));
    expect(web.map((e) => e.action)).toEqual(
      expect.arrayContaining(['application.created', 'rollout.started']),
    );
    const other = await trail({ application: 'other' });
    expect(other.map((e) => e.action)).toContain('application.created');
    expect(other.every((e) => e.target.kind !== 'rollout')).toBe(true);
    expect(await trail({ application: 'nothing-by-this-name' })).toEqual([]);
  });

  it('filters by cluster, actor, action prefix and time', async () => {
    const eu = await trail({ cluster: 'prod-eu-1' });
    expect(eu.map((e) => e.action)).toContain('cluster.registered');
    expect(eu.every((e) => e.target.kind === 'cluster' || e.target.kind === 'placement')).toBe(true);
    expect(eu.some((e) => JSON.stringify(e).includes('prod-us-1'))).toBe(false);

    const engine = await trail({ actor: 'engine' });
    expect(engine.length).toBeGreaterThan(0);
    expect(engine.every((e) => e.actor === 'engine')).toBe(true);

    const rollouts = await trail({ action: 'rollout.' });
    expect(rollouts.length).toBeGreaterThan(1);
    expect(rollouts.every((e) => e.action.startsWith('rollout.'))).toBe(true);
    expect(await trail({ action: 'rollout' })).toEqual([]);

    const all = await trail({});
    expect(await trail({ since: new Date(startedAt.getTime() - 60_000).toISOString() })).toEqual(all);
    expect(await trail({ until: new Date(startedAt.getTime() - 60_000).toISOString() })).toEqual([]);
  });

  it('takes the same filters as one input, events(filter: {…}), target for targetId', async () => {
    const byFilter = async (filter: Record<string, unknown>): Promise<TrailEvent[]> =>
      (
        await gqlOk<{ events: { edges: { node: TrailEvent }[] } }>(hub, EVENTS_BY_FILTER, { filter })
      ).events.edges.map((e) => e.node);
    const byArgs = await trail({ cluster: 'prod-eu-1', action: 'cluster.' });
    expect(byArgs.length).toBeGreaterThan(0);
    expect(await byFilter({ cluster: 'prod-eu-1', action: 'cluster.' })).toEqual(byArgs);
    const rollout = await byFilter({ targetKind: 'rollout', target: rolloutId });
    expect(rollout.length).toBeGreaterThan(0);
    expect(rollout.every((e) => e.target.kind === 'rollout' && e.target.id === rolloutId)).toBe(true);
    expect(await byFilter({ until: new Date(startedAt.getTime() - 60_000).toISOString() })).toEqual([]);
    // One filter given both ways is refused rather than silently picking one.
    expect(codes(await gql(hub, EVENTS_BY_FILTER, { filter: { actor: 'engine' }, actor: 'engine' }))).toEqual(
      ['INVALID_ARGUMENT'],
    );
    expect(codes(await gql(hub, EVENTS_BY_FILTER, { filter: { target: rolloutId } }))).toEqual([
      'INVALID_ARGUMENT',
    ]);
  });

  it('refuses a bad filter with INVALID_ARGUMENT', async () => {
    const at = new Date().toISOString();
    expect(codes(await gql(hub, EVENTS, { since: at, until: at }))).toEqual(['INVALID_ARGUMENT']);
    expect(codes(await gql(hub, EVENTS, { actor: '' }))).toEqual(['INVALID_ARGUMENT']);
    expect(codes(await gql(hub, EVENTS, { since: 'yesterday' }))).toHaveLength(1);
  });

  it('fleetctl events -o json streams one event per line, with the filters applied by the hub', async () => {
    const fleetctl = fleetctlAgainst(hub, configDir);
    const json = await fleetctl(
      'events',
      '--app',
      'web',
      '--action',
      'rollout.',
      '--since',
      '1h',
      '-o',
      'json',
    );
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as TrailEvent);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((e) => e.action.startsWith('rollout.') && e.target.id === rolloutId)).toBe(true);

    const table = await fleetctl('events', '--cluster', 'prod-us-1', '--limit', '1');
    expect(table.code).toBe(0);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  it('a deleted application keeps its events; retention expires only the old ones', async () => {
    const before = await trail({ application: 'other' });
    await hub.app.get(ApplicationsService).delete(ADMIN, 'other', 'orphan');
    const after = await trail({ application: 'other' });
    // Deleting is recorded on top of what was there; nothing of it went away.
    expect(after.slice(after.length - before.length)).toEqual(before);
    expect(after.slice(0, after.length - before.length).map((e) => e.action)).toContain(
      'application.deletionRequested',
    );

    // Age the application events of "other" beyond the 30-day retention; everything else is new.
    const manager = hub.app.get(Transactions).manager;
    await manager.query(
      `UPDATE event SET occurred_at = now() - interval '31 days'
        WHERE target_kind = 'application' AND target_id IN (SELECT id::text FROM application WHERE name = 'other')`,
    );
    const total = (await trail({})).length;
    const expired = await hub.app.get(EventRetention).expire();
    expect(expired).toBe(after.filter((e) => e.target.kind === 'application').length);
    expect(await trail({ application: 'other' })).toEqual(
      after.filter((e) => e.target.kind !== 'application'),
    );
    expect((await trail({})).length).toBe(total - expired);
    expect(await hub.app.get(EventRetention).expire()).toBe(0);
  });
});
