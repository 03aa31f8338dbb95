import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Producer } from 'kafkajs';
import { registerCluster } from './support/graphql.js';
import { ClusterChangesFeed } from '../../services/hub/src/clusters/graphql/cluster-changes.feed.js';
import { run } from '../../services/cli/src/cli.js';
import { WEB_CONFIG_MAP } from '../harness/fixtures.js';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../harness/git-server.js';
import { freePort } from '../harness/net.js';
import { repoRoot } from '../harness/paths.js';
import { registerAgent, SimAgent, type SimBehaviour } from '../harness/sim-agent.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { startTestHub, TEST_ADMIN_TOKEN, type TestHub } from './support/hub.js';
import { Receiver } from './support/receiver.js';

/** canary-1 first, then the prod wave behind an approval, two at a time. */
const PLAN_YAML = `waves:
  - name: canary
    selector: ring=canary
  - name: prod
    selector: env=prod
    requireApproval: true
    maxConcurrency: 2
`;

const VALUES_YAML = `- selector: ring=canary
  values: { color: yellow }
- values: { color: blue }
`;

/** Every prod cluster at once, no failure allowed, no automatic rollback. */
const BROKEN_PLAN_JSON = JSON.stringify({
  waves: [{ name: 'all', selector: 'env=prod', maxConcurrency: 3 }],
  autoRollback: false,
});

/** Notification receivers: the secret and the Slack-like URL path are credentials fleetctl never prints. */
const HOOK_SECRET = 'fleetctl-it-secret-0123456789abcdef';
const SLACK_PATH = '/services/T0FLEET/B0WAVE/xoxbSecretPathToken';

const FLEET: Record<string, Record<string, string>> = {
  'canary-1': { env: 'prod', ring: 'canary' },
  'prod-a': { env: 'prod' },
  'prod-b': { env: 'prod' },
  'dev-1': { env: 'dev' },
};

/** The clusters' agents: every application Healthy, except `broken`, which Fails everywhere. */
const behaviour: SimBehaviour = (assignment) => ({
  phase: assignment.application === 'broken' ? 'Failed' : 'Healthy',
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fleetctl run still going: what it printed so far, and its end. */
interface Running {
  readonly stdout: string;
  done: Promise<Result>;
}

describe('fleetctl against a real hub (Postgres, Kafka, git, simulated agents)', () => {
  let work: string;
  let configFile: string;
  let git: GitServer;
  let repo: LocalRepo;
  let hub: TestHub;
  let producer: Producer;
  let firstCommit: string;
  let webRollout: string;
  const agents: SimAgent[] = [];
  const processes: ChildProcess[] = [];
  const receiver = new Receiver();
  let webhookSubscription: string;

  /** Runs fleetctl in-process, as the bin does, with its own contexts file. */
  function start(...argv: string[]): Running {
    let stdout = '';
    let stderr = '';
    const done = run(argv, {
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: (s: string) => (stderr += s) },
      env: { FLEETCTL_CONFIG: configFile, HOME: work },
    }).then((code) => ({ code, stdout, stderr }));
    return {
      get stdout() {
        return stdout;
      },
      done,
    };
  }

  const fleetctl = (...argv: string[]) => start(...argv).done;

  /**
   * The bin itself, in a process of its own (src/main.ts through tsx, so no build is needed): its
   * stdout is a pipe, not a terminal; `done` checks the exit code it sets and that it exits once
   * finished (no socket or timer left behind).
   */
  function startProcess(...argv: string[]): Running {
    let stdout = '';
    let stderr = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...argv], {
      cwd: repoRoot,
      env: { ...process.env, FLEETCTL_CONFIG: configFile, HOME: work },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    processes.push(child);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<Result>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    return {
      get stdout() {
        return stdout;
      },
      done,
    };
  }

  /** Runs fleetctl, expecting exit 0; its stdout. */
  async function ok(...argv: string[]): Promise<string> {
    const result = await fleetctl(...argv);
    if (result.code !== 0)
      throw new Error(`fleetctl ${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
    expect(result.stderr).toBe('');
    return result.stdout;
  }

  async function json<T>(...argv: string[]): Promise<T> {
    return JSON.parse(await ok(...argv, '-o', 'json')) as T;
  }

  async function rolloutState(id: string): Promise<{ state: string; blocking: { message: string } | null }> {
    return json('rollouts', 'get', id);
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'fleetctl-it-'));
    configFile = join(work, 'config', 'fleetctl.yaml');
    git = await startGitServer({ root: join(work, 'served') });
    repo = await createRepo(join(work, 'served'), 'fleet');
    firstCommit = await repo.commit(
      { 'web/config.yaml': WEB_CONFIG_MAP },
      'web: first config\n\nWith a body.',
      {
        name: 'Ada Lovelace',
        email: 'ada@example.invalid',
      },
    );
    await writeFile(join(work, 'plan.yaml'), PLAN_YAML);
    await writeFile(join(work, 'values.yaml'), VALUES_YAML);
    await writeFile(join(work, 'broken-plan.json'), BROKEN_PLAN_JSON);
    hub = await startTestHub();
    // rolloutChanged reaches subscribers through Kafka: its consumer must have joined.
    await hub.app.get(ClusterChangesFeed).whenJoined();
    producer = await connectReportProducer(kafkaBrokers(), 'it-fleetctl');
  });

  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill();
    await Promise.all(agents.map((agent) => agent.stop()));
    await producer?.disconnect();
    await hub?.close();
    await git?.stop();
    await receiver.down();
    await rm(work, { recursive: true, force: true });
  });

  it('set-context points fleetctl at the hub, in an owner-only file, and never prints the token', async () => {
    expect(await ok('config', 'set-context', 'it', '--hub', hub.url, '--token', TEST_ADMIN_TOKEN)).toBe(
      'context "it" created\n',
    );
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    expect(await ok('config', 'current-context')).toBe('it\n');
    const contexts = await ok('config', 'get-contexts');
    expect(contexts).toContain(hub.url);
    expect(contexts).toContain('***');
    expect(contexts).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('creates a registration token (its secret printed once) that agents register with', async () => {
    const created = await json<{ secret: string; token: { id: string; maxUses: number } }>(
      'tokens',
      'create',
      '--description',
      'it fleet',
      '--max-uses',
      '5',
      '--expires-in',
      '1h',
      '--label',
      'region=eu-west-1',
    );
    expect(created.secret).toMatch(/^fwr_/);
    expect(created.token.maxUses).toBe(5);

    for (const [name, labels] of Object.entries(FLEET)) {
      const identity = await registerAgent(hub.url, {
        token: created.secret,
        clusterName: name,
        kubeSystemUid: `uid-${name}`,
        labels,
        facts: { kubernetesVersion: 'v1.33.5', nodeCount: 3 },
        agentVersion: '0.1.0',
      });
      const agent = new SimAgent({
        hubUrl: hub.url,
        identity,
        reports: producerSink(producer),
        behaviour,
      });
      agent.start();
      agents.push(agent);
    }

    const list = await ok('tokens', 'list');
    expect(list).toMatch(/^ID\s+DESCRIPTION\s+STATUS\s+USES\s+EXPIRES\s+LABELS\s+AGE\n/);
    expect(list).toContain(created.token.id);
    expect(list).toMatch(/it fleet\s+Active\s+4\/5\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+region=eu-west-1\s+\d+s\n/);
    expect(list).not.toContain(created.secret);
  });

  it('lists the clusters as a table, and filters by selector as JSON', async () => {
    const table = await ok('clusters', 'list');
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+VERSION\s+NODES\s+HEARTBEAT\s+AGE\s+LABELS$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([
      'canary-1',
      'dev-1',
      'prod-a',
      'prod-b',
    ]);
    expect(table).toMatch(
      // The agents' facts show as read-only fleetwave.io/ labels.
      /canary-1\s+\w+\s+v1\.33\.5\s+3\s+\S+\s+\d+s\s+env=prod,fleetwave\.io\/kubernetes-version=1\.33,fleetwave\.io\/node-count=3,region=eu-west-1,ring=canary\n/,
    );

    const prod = await json<{ name: string; labels: Record<string, string> }[]>(
      'clusters',
      'list',
      '-l',
      'env=prod',
    );
    expect(prod.map((c) => c.name)).toEqual(['canary-1', 'prod-a', 'prod-b']);
    expect(prod[0]!.labels).toEqual({
      env: 'prod',
      ring: 'canary',
      region: 'eu-west-1',
      'fleetwave.io/kubernetes-version': '1.33',
      'fleetwave.io/node-count': '3',
    });

    const yaml = await ok('clusters', 'get', 'dev-1', '-o', 'yaml');
    expect(yaml).toContain('name: dev-1\n');
    expect(yaml).toContain('  env: dev\n');
  });

  it('labels clusters with kubectl syntax (key=value sets, key- removes)', async () => {
    expect(await ok('clusters', 'label', 'dev-1', 'tier=web', 'team=platform', 'region-')).toBe(
      'cluster/dev-1 labeled\n',
    );
    const labelled = await json<{ labels: Record<string, string> }>('clusters', 'get', 'dev-1');
    const facts = { 'fleetwave.io/kubernetes-version': '1.33', 'fleetwave.io/node-count': '3' };
    expect(labelled.labels).toEqual({ env: 'dev', tier: 'web', team: 'platform', ...facts });
    await ok('clusters', 'label', 'dev-1', 'team-');
    expect((await json<{ labels: Record<string, string> }>('clusters', 'get', 'dev-1')).labels).toEqual({
      env: 'dev',
      tier: 'web',
      ...facts,
    });
  });

  it('creates an application from plan and values files, syncs it and shows it', async () => {
    expect(
      await ok(
        'apps',
        'create',
        'web',
        '--repo',
        git.url('fleet'),
        '--ref',
        'main',
        '--path',
        'web',
        '--selector',
        'env=prod',
        '--manual',
        '--poll',
        '600',
        '--plan-file',
        join(work, 'plan.yaml'),
        '--values-file',
        join(work, 'values.yaml'),
      ),
    ).toBe('application/web created\n');
    expect(await ok('apps', 'sync', 'web')).toBe(`application/web synced to ${firstCommit.slice(0, 7)}\n`);

    const app = await json<{
      plan: { waves: { name: string; requireApproval: boolean }[] };
      syncPolicy: string;
    }>('apps', 'get', 'web');
    expect(app.syncPolicy).toBe('manual');
    expect(app.plan.waves.map((w) => [w.name, w.requireApproval])).toEqual([
      ['canary', false],
      ['prod', true],
    ]);
    const described = await ok('apps', 'get', 'web');
    expect(described).toContain(
      `Latest commit:  ${firstCommit.slice(0, 7)} Ada Lovelace: web: first config\n`,
    );
    expect(described).toMatch(/prod\s+env=prod\s+2\s+0\s+0s\s+required\n/);
    expect(await ok('apps', 'list')).toMatch(
      new RegExp(
        `^NAME\\s+REF\\s+PATH\\s+POLICY\\s+COMMIT\\s+SYNCED\\s+AGE\\nweb\\s+main\\s+web\\s+manual\\s+${firstCommit.slice(0, 7)}\\s`,
      ),
    );
  });

  it('sets and clears the time windows of the plan with apps update, keeping its waves', async () => {
    const updated = await json<{ plan: { waves: { name: string }[]; windows?: unknown[] } }>(
      'apps',
      'update',
      'web',
      '--window',
      'deny 0 18 * * 5 62h Europe/Berlin',
      '--window',
      'allow 0 6 * * * 16h',
    );
    expect(updated.plan.waves.map((w) => w.name)).toEqual(['canary', 'prod']);
    expect(updated.plan.windows).toEqual([
      { kind: 'deny', schedule: '0 18 * * 5', duration: '2d14h', timeZone: 'Europe/Berlin' },
      { kind: 'allow', schedule: '0 6 * * *', duration: '16h', timeZone: 'UTC' },
    ]);
    expect(await ok('apps', 'get', 'web')).toMatch(
      /WINDOW\s+SCHEDULE\s+DURATION\s+TIME-ZONE\ndeny\s+0 18 \* \* 5\s+2d14h\s+Europe\/Berlin\nallow\s+0 6 \* \* \*\s+16h\s+UTC\n/,
    );
    // The hub names the window and the field it refuses; nothing is changed.
    const refused = await fleetctl('apps', 'update', 'web', '--window', 'deny 0 25 * * * 1h Mars/Olympus');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error: .*windows\[0\]\.timeZone: unknown-time-zone.* \(INVALID_ARGUMENT\)\n$/,
    );
    expect((await json<{ plan: { windows?: unknown[] } }>('apps', 'get', 'web')).plan.windows).toHaveLength(
      2,
    );

    const cleared = await json<{ plan: { waves: unknown[]; windows?: unknown } }>(
      'apps',
      'update',
      'web',
      '--clear-windows',
    );
    expect(cleared.plan.windows).toBeUndefined();
    expect(cleared.plan.waves).toHaveLength(2);
    expect(await ok('apps', 'get', 'web')).not.toContain('WINDOW');
  });

  it('subscribes receivers with the URL and secret from files, and never prints either', async () => {
    await receiver.up();
    await writeFile(join(work, 'hook-secret'), `${HOOK_SECRET}\n`, { mode: 0o600 });
    await writeFile(join(work, 'slack-url'), `${receiver.url(SLACK_PATH)}\n`, { mode: 0o600 });

    const created = await ok(
      'notifications',
      'subscriptions',
      'create',
      '--kind',
      'waveAwaitingApproval,rolloutSucceeded',
      '--app',
      'web',
      '--url',
      receiver.url('/hook'),
      '--secret-file',
      join(work, 'hook-secret'),
    );
    const [, id] = /^notificationsubscription\/(\S+) created\n$/.exec(created) ?? [];
    expect(id).toBeDefined();
    webhookSubscription = id!;
    const slack = await json<{ id: string; format: string; signed: boolean; targetOrigin: string }>(
      'notifications',
      'subscriptions',
      'create',
      '--kind',
      'rolloutFailed',
      '--target',
      'slack',
      '--url-file',
      join(work, 'slack-url'),
    );
    expect(slack).toMatchObject({ format: 'slack', signed: false, targetOrigin: receiver.url('') });

    const table = await ok('notifications', 'subscriptions', 'list');
    expect(table).toMatch(/^ID\s+APPLICATION\s+KINDS\s+FORMAT\s+TARGET\s+SIGNED\s+AGE\n/);
    expect(table).toMatch(
      new RegExp(
        `\\n${id}\\s+web\\s+waveAwaitingApproval,rolloutSucceeded\\s+webhook\\s+http://127\\.0\\.0\\.1:\\d+\\s+yes\\s`,
      ),
    );
    expect(table).toMatch(new RegExp(`\\n${slack.id}\\s+<every application>\\s+rolloutFailed\\s+slack\\s`));
    const outputs = [
      created,
      table,
      await ok('notifications', 'subscriptions', 'list', '-o', 'json'),
      await ok('notifications', 'subscriptions', 'list', '-o', 'yaml'),
      await ok('notifications', 'subscriptions', 'get', slack.id),
      await ok('notifications', 'subscriptions', 'get', id!, '-o', 'yaml'),
    ];
    for (const output of outputs) {
      expect(output).not.toContain(HOOK_SECRET);
      expect(output).not.toContain(SLACK_PATH);
      expect(output).not.toContain('/hook');
    }

    // Bad input: the hub's refusal on one line, nothing created.
    const unknownKind = await fleetctl(
      'notifications',
      'subscriptions',
      'create',
      '--kind',
      'rolloutExploded',
      '--url',
      receiver.url('/hook'),
      '--secret-file',
      join(work, 'hook-secret'),
    );
    expect(unknownKind.code).toBe(1);
    expect(unknownKind.stderr).toMatch(/^error: .*rolloutExploded.* \(INVALID_ARGUMENT\)\n$/);
    expect(unknownKind.stderr).not.toContain(HOOK_SECRET);
    expect(await json<unknown[]>('notifications', 'subscriptions', 'list')).toHaveLength(2);
    expect(await fleetctl('notifications', 'subscriptions', 'get', 'nope')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: notification subscription "nope" not found (NOT_FOUND)\n',
    });

    expect(await ok('notifications', 'subscriptions', 'delete', slack.id)).toBe(
      `notificationsubscription/${slack.id} deleted\n`,
    );
    expect(await json<{ id: string }[]>('notifications', 'subscriptions', 'list')).toEqual([
      expect.objectContaining({ id }),
    ]);
    expect(await ok('notifications', 'deliveries', id!, '-o', 'json')).toBe('[]\n');
  });

  it('previews the waves; a cordoned cluster is excluded until uncordoned', async () => {
    expect(await ok('clusters', 'cordon', 'prod-b')).toBe('cluster/prod-b cordoned\n');
    expect(await ok('clusters', 'list', '-l', 'env=prod')).toMatch(/prod-b\s+\w+,Cordoned\s/);
    const cordoned = await ok('rollouts', 'preview', 'web');
    expect(cordoned).toContain('Excluded:\n  prod-b (wave prod): cordoned\n');
    expect(cordoned).toMatch(/prod\s+env=prod\s+1\s+prod-a\n/);

    expect(await ok('clusters', 'uncordon', 'prod-b')).toBe('cluster/prod-b uncordoned\n');
    const preview = await ok('rollouts', 'preview', 'web');
    expect(preview).toBe(
      [
        'Application:  web',
        `Commit:       ${firstCommit}`,
        '',
        'WAVE     SELECTOR      SIZE   CLUSTERS',
        'canary   ring=canary   1      canary-1',
        'prod     env=prod      2      prod-a,prod-b',
        'rest     <rest>        0      -',
        '',
        'BUNDLE                CLUSTERS   OBJECTS',
        // One bundle per cluster: the template names each cluster.
        ...[...preview.matchAll(/^(sha256:[0-9a-f]{12}) {3}1 {10}1$/gm)].map((m) => m[0]),
        '',
      ].join('\n'),
    );
    expect(preview.match(/^sha256:/gm)).toHaveLength(3);
  });

  it('starts a rollout; wait follows it through the approval and exits 0 once the agents are Healthy', async () => {
    const started = await json<{ id: string; commit: string }>('rollouts', 'start', 'web');
    webRollout = started.id;
    expect(started.commit).toBe(firstCommit);

    const waiting = start('rollouts', 'wait', webRollout, '--timeout', '50s');
    const awaiting = await waitFor(
      async () => {
        const rollout = await rolloutState(webRollout);
        return rollout.state === 'AwaitingApproval' ? rollout : undefined;
      },
      { description: 'the prod wave to await approval', timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(awaiting.blocking?.message).toBe('approval pending');
    const details = await ok('rollouts', 'get', webRollout);
    expect(details).toContain('Application:  web\n');
    expect(details).toContain(`Commit:       ${firstCommit.slice(0, 7)} Ada Lovelace: web: first config\n`);
    expect(details).toContain('State:        AwaitingApproval\n');
    expect(details).toContain('Blocking:     approval pending\n');
    expect(details).toMatch(/NAME\s+SIZE\s+HEALTHY\s+IN-FLIGHT\s+FAILED\/BUDGET\s+STATE\/BLOCKING\s+ETA\n/);
    expect(details).toMatch(/canary\s+1\s+1\s+0\s+0\/0\s+Done\s+-\n/);
    expect(details).toMatch(/prod\s+2\s+0\s+0\s+0\/0\s+approval pending\s+waiting for approval\n/);

    expect(await ok('rollouts', 'approve', webRollout, '--wave', 'prod')).toBe(
      `rollout/${webRollout} approved\n`,
    );
    expect(await waiting.done).toEqual({ code: 0, stdout: `rollout/${webRollout} Succeeded\n`, stderr: '' });

    const withClusters = await ok('rollouts', 'get', webRollout, '--clusters');
    expect(withClusters).toMatch(/NAME\s+WAVE\s+PHASE\s+COMMIT\s+REPORTED\s+BLOCKING\/FAILING\n/);
    for (const name of ['canary-1', 'prod-a', 'prod-b']) {
      expect(withClusters).toMatch(new RegExp(`${name}\\s+\\w+\\s+Healthy\\s+${firstCommit.slice(0, 7)}\\s`));
    }
    expect(await ok('rollouts', 'list', '--app', 'web')).toMatch(
      new RegExp(
        `\\n${webRollout}\\s+web\\s+rollout\\s+${firstCommit.slice(0, 7)}\\s+Succeeded\\s+-\\s+-\\s+bootstrap-admin\\s`,
      ),
    );
    // Waiting for a rollout that already finished answers at once.
    expect(await fleetctl('rollouts', 'wait', webRollout)).toEqual({
      code: 0,
      stdout: `rollout/${webRollout} Succeeded\n`,
      stderr: '',
    });
  });

  it("shows the rollout's notifications in the subscription's delivery log, signed for the receiver", async () => {
    type Delivery = {
      eventId: string;
      kind: string;
      status: string;
      attempts: number;
      lastError: string | null;
    };
    const deliveries = await waitFor(
      async () => {
        const log = await json<Delivery[]>('notifications', 'deliveries', webhookSubscription);
        return log.length === 2 && log.every((d) => d.status === 'delivered') ? log : undefined;
      },
      { description: 'the approval and success notifications delivered', timeoutMs: 30_000, intervalMs: 250 },
    );
    // Newest first.
    expect(deliveries.map((d) => [d.kind, d.attempts, d.lastError])).toEqual([
      ['rolloutSucceeded', 1, null],
      ['waveAwaitingApproval', 1, null],
    ]);
    const table = await ok('notifications', 'deliveries', webhookSubscription);
    expect(table).toMatch(/^EVENT\s+KIND\s+STATUS\s+ATTEMPTS\s+LAST-ERROR\s+NEXT-RETRY\s+AGE\n/);
    expect(table).toMatch(
      new RegExp(
        `\\n${deliveries[0]!.eventId}\\s+rolloutSucceeded\\s+delivered \\(HTTP 204\\)\\s+1\\s+-\\s+-\\s`,
      ),
    );
    const received = receiver.at('/hook').map((r) => JSON.parse(r.body) as { event: { id: string } });
    expect(received.map((r) => r.event.id).sort()).toEqual(deliveries.map((d) => d.eventId).sort());
    for (const r of receiver.at('/hook')) {
      expect(r.headers['x-fleetwave-signature']).toBe(
        `sha256=${createHmac('sha256', HOOK_SECRET).update(r.body).digest('hex')}`,
      );
    }
    expect(
      await ok('notifications', 'deliveries', webhookSubscription, '--limit', '1', '-o', 'json'),
    ).toContain(deliveries[0]!.eventId);
  });

  it('refuses to pause a finished rollout: one line with the code, exit 1', async () => {
    expect(await fleetctl('rollouts', 'pause', webRollout)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: rollout is Succeeded; only a running rollout can be paused (FAILED_PRECONDITION)\n',
    });
  });

  it('wait exits 1 when the agents report Failed and the plan does not roll back', async () => {
    await ok(
      'apps',
      'create',
      'broken',
      '--repo',
      git.url('fleet'),
      '--ref',
      'main',
      '--path',
      'web',
      '--selector',
      'env=prod',
      '--manual',
      '--plan-file',
      join(work, 'broken-plan.json'),
      '--values-file',
      join(work, 'values.yaml'),
      '--join-policy',
      'settled',
      '--allow-empty',
    );
    expect(await json<{ joinPolicy: string; allowEmpty: boolean }>('apps', 'get', 'broken')).toMatchObject({
      joinPolicy: 'settled',
      allowEmpty: true,
    });
    expect(await ok('apps', 'get', 'broken')).toMatch(/\nJoin policy:\s+settled\nAllow empty:\s+yes\n/);
    await ok('apps', 'sync', 'broken');
    const { id } = await json<{ id: string }>('rollouts', 'start', 'broken');
    const result = await fleetctl('rollouts', 'wait', id, '--timeout', '50s');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(`^error: rollout ${id} ended Failed\\b.* \\(ROLLOUT_FAILED\\)\\n$`),
    );
    expect(await ok('rollouts', 'list', '--state', 'failed')).toContain(id);
    const details = await ok('rollouts', 'get', id, '--clusters');
    expect(details).toContain('State:        Failed\n');
    expect(details).toMatch(/prod-\w\s+all\s+Failed\s+\w{7}\s+\S+\s+sim: Simulated: simulated Failed\n/);
  });

  it('watch (the bin, piped) prints one line per change and exits 0 when the rollout Succeeded', async () => {
    const second = await repo.commit(
      { 'web/config.yaml': WEB_CONFIG_MAP.replace('color:', 'colour:') },
      'web: second config',
      { name: 'Grace Hopper', email: 'grace@example.invalid' },
    );
    expect(await ok('apps', 'sync', 'web')).toBe(`application/web synced to ${second.slice(0, 7)}\n`);
    const { id } = await json<{ id: string }>('rollouts', 'start', 'web', '--revision', second);

    // The bin in a process of its own, its stdout a pipe.
    const watching = startProcess('rollouts', 'watch', id);
    await waitFor(() => watching.stdout.includes('prod 0/2 healthy: approval pending'), {
      description: 'watch to show the prod wave awaiting approval',
      timeoutMs: 30_000,
    });
    await ok('rollouts', 'approve', id);
    const result = await watching.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toContain(
      'AwaitingApproval | canary 1/1 healthy: Done | prod 0/2 healthy: approval pending | rest 0/0 healthy: Pending',
    );
    expect(lines.at(-2)).toMatch(
      /^Succeeded \| canary 1\/1 healthy: Done \| prod 2\/2 healthy: Done \| rest 0\/0/,
    );
    expect(lines.at(-1)).toBe(`rollout/${id} Succeeded`);
    expect(new Set(lines).size).toBe(lines.length); // one line per change: no repeats
    expect(result.stdout).not.toContain('\u001b');
  });

  it('steers a rollout: wait times out (exit 2), pause, resume, retry, skip, abort, then a rollback', async () => {
    const { id } = await json<{ id: string }>('rollouts', 'start', 'web', '--revision', firstCommit);
    await waitFor(async () => (await rolloutState(id)).state === 'AwaitingApproval', {
      description: 'the prod wave to await approval',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    // Nobody approves: wait gives up with exit code 2, saying where the rollout stands.
    expect(await fleetctl('rollouts', 'wait', id, '--timeout', '1s')).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: timed out after 1s waiting for rollout ${id} (still AwaitingApproval: approval pending) (DEADLINE_EXCEEDED)\n`,
    });
    // prod-b waits for the approval: retried, it is simply assigned again when the wave opens.
    expect(await ok('rollouts', 'retry', id, 'prod-b')).toBe(`rollout/${id}: cluster prod-b retried\n`);
    expect(await ok('rollouts', 'pause', id)).toBe(`rollout/${id} paused\n`);
    expect(await rolloutState(id)).toMatchObject({
      state: 'Paused',
      blocking: { message: 'paused by an operator' },
    });
    expect(await ok('rollouts', 'resume', id)).toBe(`rollout/${id} resumed\n`);
    expect(await ok('rollouts', 'skip', id, 'prod-a')).toBe(`rollout/${id}: cluster prod-a skipped\n`);
    expect(await ok('rollouts', 'abort', id)).toBe(`rollout/${id} aborted\n`);
    expect(await fleetctl('rollouts', 'wait', id)).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(
        new RegExp(`^error: rollout ${id} ended Aborted\\b.* \\(ROLLOUT_FAILED\\)\\n$`),
      ),
    });

    const rollback = await json<{ id: string; kind: string; rollbackOf: string }>('rollouts', 'rollback', id);
    expect(rollback).toMatchObject({ kind: 'rollback', rollbackOf: id });
    expect(await fleetctl('rollouts', 'wait', rollback.id, '--timeout', '50s')).toMatchObject({ code: 0 });
    expect(await ok('rollouts', 'get', rollback.id)).toContain(`Kind:         rollback of ${id}\n`);
  });

  it('vetoes a commit: start is refused without --force, apps get shows it, unveto lifts it', async () => {
    const short = firstCommit.slice(0, 7);
    expect(await ok('apps', 'veto', 'web', firstCommit, '--reason', 'leaks memory')).toBe(
      `application/web commit ${short} vetoed\n`,
    );
    expect(await fleetctl('rollouts', 'start', 'web', '--revision', firstCommit)).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: commit ${firstCommit.slice(0, 12)} is vetoed by bootstrap-admin: leaks memory (start it with force, or unveto it first) (REVISION_VETOED)\n`,
    });
    expect(await ok('apps', 'get', 'web')).toMatch(
      new RegExp(`VETOED\\s+BY\\s+AGE\\s+REASON\\n${short}\\s+bootstrap-admin\\s+\\S+\\s+leaks memory\\n`),
    );
    const forced = await json<{ id: string; commit: string }>(
      'rollouts',
      'start',
      'web',
      '--revision',
      firstCommit,
      '--force',
    );
    expect(forced.commit).toBe(firstCommit);
    await ok('rollouts', 'abort', forced.id);
    expect(await ok('apps', 'unveto', 'web', firstCommit)).toBe(`application/web commit ${short} unvetoed\n`);
    expect((await json<{ vetoes: unknown[] }>('apps', 'get', 'web')).vetoes).toEqual([]);
  });

  it('refuses a bad selector with the hub’s INVALID_ARGUMENT, on one line', async () => {
    const result = await fleetctl('clusters', 'list', '-l', 'env in (prod');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: .*selector.* \(INVALID_ARGUMENT\)\n$/);
  });

  it('freezes the fleet for a while and unfreezes it; unfreezing twice is refused', async () => {
    expect(await ok('fleet', 'status')).toBe('fleet: not frozen\n');
    const frozen = await json<{ freeze: { reason: string; by: string; until: string } }>(
      'fleet',
      'freeze',
      '--reason',
      'year-end',
      '--for',
      '2h',
    );
    expect(frozen.freeze).toMatchObject({ reason: 'year-end', by: 'bootstrap-admin' });
    expect(Date.parse(frozen.freeze.until) - Date.now()).toBeGreaterThan(3600_000);
    expect(await ok('fleet', 'status')).toMatch(
      /^fleet: frozen by bootstrap-admin since .* until .*: year-end\n$/,
    );
    expect(await ok('fleet', 'unfreeze')).toBe('fleet: not frozen\n');
    expect(await fleetctl('fleet', 'unfreeze')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: the fleet is not frozen (FAILED_PRECONDITION)\n',
    });
  });

  it('says in one line that the hub cannot be reached, naming the URL', async () => {
    const port = await freePort();
    const result = await fleetctl('--hub', `http://127.0.0.1:${port}`, 'clusters', 'list');
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: cannot reach the hub at http://127.0.0.1:${port}/graphql: connect ECONNREFUSED 127.0.0.1:${port} (UNAVAILABLE)\n`,
    });
  });

  it('passes the hub’s UNAUTHENTICATED on for a wrong token, and NOT_FOUND for an unknown rollout', async () => {
    const wrongToken = await fleetctl('--token', 'not-a-token', 'apps', 'list');
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/^error: .* \(UNAUTHENTICATED\)\n$/);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await fleetctl('rollouts', 'wait', unknown)).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: rollout ${unknown} not found (NOT_FOUND)\n`,
    });
  });

  it('deletes explicitly: apps delete --orphan waits for the agents; clusters deregister --force is at once', async () => {
    const deleting = await ok('apps', 'delete', 'web', '--orphan');
    expect(deleting).toMatch(/^application\/web deleting \(orphan\): [1-9]\d* cluster\(s\) to confirm\n$/);
    // The agents confirm their withdrawals; then it is gone (its name unknown to `apps get`).
    await waitFor(async () => (await fleetctl('apps', 'get', 'web')).code === 1 || undefined, {
      timeoutMs: 30_000,
      description: 'web deleted once every agent confirmed',
    });
    expect((await fleetctl('apps', 'get', 'web')).stderr).toMatch(/\(NOT_FOUND\)\n$/);

    expect(await ok('clusters', 'deregister', 'dev-1', '--force')).toBe('cluster/dev-1 deleted\n');
    expect((await fleetctl('clusters', 'get', 'dev-1')).code).toBe(1);
  });

  it('manages API tokens (secret once, listed, revoked) and revokes one cluster credential', async () => {
    const created = await json<{ secret: string; token: { id: string; expiresAt: string } }>(
      'api-tokens',
      'create',
      'ci-bot',
      '--role',
      'viewer',
      '--expires-in',
      '30d',
    );
    expect(created.secret).toMatch(/^fwa_/);
    const lifetime = Date.parse(created.token.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(30 * 86_400_000 - 120_000);
    expect(lifetime).toBeLessThanOrEqual(30 * 86_400_000);
    expect((await fleetctl('--token', created.secret, 'clusters', 'list')).code).toBe(0);

    const bound = await json<{ secret: string; token: { id: string; project: string | null } }>(
      'api-tokens',
      'create',
      'default-ci',
      '--role',
      'operator',
      '--project',
      'default',
    );
    expect(bound.token.project).toBe('default');
    // Bound to a project, it holds no fleet-wide role: clusters are not its to read.
    const outside = await fleetctl('--token', bound.secret, 'clusters', 'list');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/bound to project "default".*\(FORBIDDEN\)\n$/);
    const unknown = await fleetctl('api-tokens', 'create', 'x', '--role', 'viewer', '--project', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/project "nope".*\(NOT_FOUND\)\n$/);

    const list = await ok('api-tokens', 'list');
    expect(list).toMatch(/^ID\s+NAME\s+ROLE\s+PROJECT\s+STATUS\s+EXPIRES\s+LAST-USED\s+AGE\n/);
    expect(list).toMatch(
      new RegExp(`${created.token.id}\\s+ci-bot\\s+viewer\\s+\\*\\s+Active\\s+\\S+\\s+\\d+s\\s+\\d+s\\n`),
    );
    expect(list).toMatch(new RegExp(`${bound.token.id}\\s+default-ci\\s+operator\\s+default\\s+Active\\s`));
    expect(list).not.toContain(created.secret);
    expect(list).not.toContain(bound.secret);

    expect(await ok('api-tokens', 'revoke', created.token.id)).toBe('api-token/ci-bot revoked\n');
    const refused = await fleetctl('--token', created.secret, 'clusters', 'list');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: the API token was revoked at \S+ \(UNAUTHENTICATED\)\n$/);

    const identity = await registerCluster(hub, 'revoked-1', {});
    expect(await ok('clusters', 'revoke-credential', 'revoked-1')).toBe(
      'cluster/revoked-1 credential revoked\n',
    );
    expect(await ok('clusters', 'list')).toMatch(/revoked-1\s+Pending,CredentialRevoked\s/);
    const poll = await fetch(`${hub.url}/agent/v1/assignments`, {
      headers: { authorization: `Bearer ${identity.credential}` },
    });
    expect(poll.status).toBe(401);
    expect(((await poll.json()) as { code: string }).code).toBe('CREDENTIAL_REVOKED');
  });
});
