/**
 * Signed commits against a real hub, Postgres, Kafka and git server, with commits signed by the real
 * `git commit -S` through Debian's gpg and ssh-keygen: a commit signed by a trusted OpenPGP or SSH
 * key renders and rolls out; an unsigned commit and one signed by an untrusted key are recorded with
 * `signature-invalid` (and the signer's key id) and never rolled out; a later trusted commit, or
 * trusting the signer's key, lets the application move on.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type Producer } from 'kafkajs';
import { sendPushWebhook } from '../harness/git-push.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { type SimAgent } from '../harness/sim-agent.js';
import { type CommitSigner, createGpgSigner, createSshSigner } from '../harness/signing-keys.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { fleetctlAgainst } from './support/fleetctl-process.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { simAgentOf } from './support/sim-agents.js';
import { startTestHub, type TestHub, testHubConfig, TEST_WEBHOOK_SECRET } from './support/hub.js';

const CONFIG_MAP = (greeting: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  greeting: ${greeting}\n`;

const APP_VIEW = `query App($name: String!) {
  application(name: $name) {
    latestCommit lastSyncError
    verify { mode trustedKeys }
    revisions(first: 10) { commit error signature { status format keyId signer reason } }
    rollouts(first: 20) { edges { node { id commit kind state } } }
  }
}`;

interface Signature {
  status: string;
  format: string | null;
  keyId: string | null;
  signer: string | null;
  reason: string | null;
}

interface AppView {
  latestCommit: string | null;
  lastSyncError: string | null;
  verify: { mode: string; trustedKeys: string[] } | null;
  revisions: { commit: string; error: string | null; signature: Signature | null }[];
  rollouts: { edges: { node: { id: string; commit: string; kind: string; state: string } }[] };
}

const FILES = (greeting: string) => ({ 'app/config.yaml': CONFIG_MAP(greeting) });

describe('signed commits', () => {
  let git: TempGitServer;
  let producer: Producer;
  let hub: TestHub;
  let gpgTrusted: CommitSigner;
  let gpgOther: CommitSigner;
  let sshTrusted: CommitSigner;
  let sshOther: CommitSigner;
  const agents: SimAgent[] = [];
  let repoCount = 0;

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-signed-');
    [gpgTrusted, gpgOther, sshTrusted, sshOther] = await Promise.all([
      createGpgSigner('Release Bot', 'release@fleetwave.invalid'),
      createGpgSigner('Mallory', 'mallory@fleetwave.invalid'),
      createSshSigner('deploy@fleetwave.invalid'),
      createSshSigner('stranger@fleetwave.invalid', 'ecdsa'),
    ]);
    producer = await connectReportProducer(kafkaBrokers(), 'it-signed');
    hub = await startTestHub(
      await testHubConfig({ rollouts: { passIntervalSeconds: 1, assignmentsPollTimeoutSeconds: 4 } }),
    );
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
  });

  afterAll(async () => {
    await hub?.close();
    await producer?.disconnect();
    await Promise.all([gpgTrusted, gpgOther, sshTrusted, sshOther].map((s) => s?.stop()));
    await git?.stop();
  });

  /** A fresh repository, an auto-sync application over a cluster labelled app=<name>, its agent. */
  async function setup(name: string, verify: { mode: string; trustedKeys: string[] }): Promise<LocalRepo> {
    const repo = await createRepo(git.root, `signed-${++repoCount}`);
    const identity = await registerCluster(hub, `${name}-1`, { app: name });
    const agent = simAgentOf(hub, identity, producer);
    agent.start();
    agents.push(agent);
    const created = await createApp(name, repo, verify);
    expect(codes(created)).toEqual([]);
    return repo;
  }

  const createApp = (name: string, repo: LocalRepo, verify: unknown) =>
    gql(hub, `mutation Create($input: CreateApplicationInput!) { createApplication(input: $input) { id } }`, {
      input: {
        name,
        repoUrl: git.url(repo.name),
        ref: 'main',
        path: 'app',
        targetSelector: `app=${name}`,
        pollIntervalSeconds: 3600,
        plan: { waves: [{ name: 'all', selector: '' }] },
        verify,
      },
    });

  const push = (repo: LocalRepo, commit: string) =>
    sendPushWebhook({ hubUrl: hub.url, secret: TEST_WEBHOOK_SECRET, repoUrl: git.url(repo.name), commit });

  const sync = async (name: string) =>
    (
      await gqlOk<{
        syncApplication: { commit: string | null; rolloutId: string | null; error: string | null };
      }>(hub, `mutation Sync($name: String!) { syncApplication(name: $name) { commit rolloutId error } }`, {
        name,
      })
    ).syncApplication;

  const view = async (name: string) =>
    (await gqlOk<{ application: AppView }>(hub, APP_VIEW, { name })).application;

  const revisionOf = async (name: string, commit: string) =>
    (await view(name)).revisions.find((r) => r.commit === commit);

  const rolloutsOf = async (name: string, commit: string) =>
    (await view(name)).rollouts.edges.map((e) => e.node).filter((r) => r.commit === commit);

  const waitForSucceeded = (name: string, commit: string) =>
    waitFor(async () => (await rolloutsOf(name, commit)).find((r) => r.state === 'Succeeded'), {
      timeoutMs: 30_000,
      description: `rollout of ${commit.slice(0, 7)} Succeeded`,
    });

  it('a commit signed by a trusted OpenPGP key renders and rolls out', async () => {
    const repo = await setup('gpg-ok', { mode: 'gpg', trustedKeys: [gpgTrusted.publicKey] });
    const commit = await repo.commit(FILES('gpg'), 'signed with gpg', undefined, gpgTrusted.signing);
    expect(await push(repo, commit)).toMatchObject({ status: 202 });
    await waitForSucceeded('gpg-ok', commit);
    expect(await revisionOf('gpg-ok', commit)).toEqual({
      commit,
      error: null,
      signature: {
        status: 'verified',
        format: 'gpg',
        keyId: gpgTrusted.keyId,
        signer: 'Release Bot <release@fleetwave.invalid>',
        reason: null,
      },
    });
    expect((await view('gpg-ok')).verify).toEqual({
      mode: 'gpg',
      trustedKeys: [gpgTrusted.publicKey.trim()],
    });
  });

  it('a commit signed by a trusted SSH key renders and rolls out', async () => {
    const repo = await setup('ssh-ok', {
      mode: 'ssh',
      trustedKeys: [sshOther.publicKey, sshTrusted.publicKey],
    });
    const commit = await repo.commit(FILES('ssh'), 'signed with ssh', undefined, sshTrusted.signing);
    expect(await push(repo, commit)).toMatchObject({ status: 202 });
    await waitForSucceeded('ssh-ok', commit);
    expect((await revisionOf('ssh-ok', commit))?.signature).toEqual({
      status: 'verified',
      format: 'ssh',
      keyId: sshTrusted.keyId,
      signer: 'deploy@fleetwave.invalid',
      reason: null,
    });
  });

  it('an unsigned commit is signature-invalid and never rolled out; a later trusted commit is', async () => {
    const repo = await setup('unsigned', { mode: 'gpg', trustedKeys: [gpgTrusted.publicKey] });
    const unsigned = await repo.commit(FILES('unsigned'), 'not signed');
    const synced = await sync('unsigned');
    expect(synced).toMatchObject({ commit: unsigned, rolloutId: null });
    expect(synced.error).toMatch(/^signature-invalid: unsigned: the commit is not signed/);
    const revision = await revisionOf('unsigned', unsigned);
    expect(revision?.error).toBe(synced.error);
    expect(revision?.signature).toMatchObject({ status: 'unsigned', keyId: null });
    expect((await view('unsigned')).lastSyncError).toBe(synced.error);

    const start = await gql(
      hub,
      `mutation S($a: String!, $c: String) { startRollout(application: $a, revision: $c) { id } }`,
      { a: 'unsigned', c: unsigned },
    );
    expect(codes(start)).toEqual(['FAILED_PRECONDITION']);
    expect(start.errors![0]!.message).toContain('signature-invalid');
    expect(await rolloutsOf('unsigned', unsigned)).toEqual([]);

    const signed = await repo.commit(FILES('signed'), 'signed after all', undefined, gpgTrusted.signing);
    expect((await sync('unsigned')).rolloutId).not.toBeNull();
    await waitForSucceeded('unsigned', signed);
    expect(await rolloutsOf('unsigned', unsigned)).toEqual([]);
  });

  it('a commit signed by an untrusted OpenPGP key is signature-invalid with its key id, until the key is trusted', async () => {
    const repo = await setup('gpg-other', { mode: 'gpg', trustedKeys: [gpgTrusted.publicKey] });
    const commit = await repo.commit(FILES('mallory'), 'signed by someone else', undefined, gpgOther.signing);
    const synced = await sync('gpg-other');
    expect(synced.rolloutId).toBeNull();
    expect(synced.error).toBe(
      `signature-invalid: untrusted (key ${gpgOther.keyId}): signed by OpenPGP key ${gpgOther.keyId}, which is not a trusted key`,
    );
    expect((await revisionOf('gpg-other', commit))?.signature).toEqual({
      status: 'untrusted',
      format: 'gpg',
      keyId: gpgOther.keyId,
      signer: null,
      reason: `signed by OpenPGP key ${gpgOther.keyId}, which is not a trusted key`,
    });
    expect(await rolloutsOf('gpg-other', commit)).toEqual([]);

    // Trusting the signer: the next sync checks the commit again and rolls it out.
    const updated = await gql(
      hub,
      `mutation U($input: UpdateApplicationInput!) { updateApplication(name: "gpg-other", input: $input) { id } }`,
      { input: { verify: { mode: 'gpg', trustedKeys: [gpgTrusted.publicKey, gpgOther.publicKey] } } },
    );
    expect(codes(updated)).toEqual([]);
    expect((await sync('gpg-other')).error).toBeNull();
    await waitForSucceeded('gpg-other', commit);
    expect((await revisionOf('gpg-other', commit))?.signature).toMatchObject({
      status: 'verified',
      keyId: gpgOther.keyId,
      signer: 'Mallory <mallory@fleetwave.invalid>',
    });
  });

  it('a commit signed by an untrusted SSH key, or in the other format, is signature-invalid', async () => {
    const repo = await setup('ssh-other', { mode: 'ssh', trustedKeys: [sshTrusted.publicKey] });
    const stranger = await repo.commit(FILES('stranger'), 'ssh, untrusted', undefined, sshOther.signing);
    expect((await sync('ssh-other')).error).toBe(
      `signature-invalid: untrusted (key ${sshOther.keyId}): signed by SSH key ${sshOther.keyId}, which is not a trusted key`,
    );
    const gpgSigned = await repo.commit(FILES('gpg'), 'gpg for an ssh app', undefined, gpgTrusted.signing);
    expect((await sync('ssh-other')).error).toMatch(
      /^signature-invalid: invalid: the commit is signed with an OpenPGP key; the application trusts only ssh signatures/,
    );
    const rollouts = (await view('ssh-other')).rollouts.edges;
    expect(rollouts.filter((e) => [stranger, gpgSigned].includes(e.node.commit))).toEqual([]);
  });

  it('turning verification on checks the commit already fetched; turning it off lets it through', async () => {
    const repo = await createRepo(git.root, `signed-${++repoCount}`);
    const identity = await registerCluster(hub, 'late-1', { app: 'late' });
    const agent = simAgentOf(hub, identity, producer);
    agent.start();
    agents.push(agent);
    const first = await repo.commit(FILES('one'), 'unsigned, before verification');
    expect(codes(await createApp('late', repo, null))).toEqual([]);
    expect((await sync('late')).error).toBeNull();
    await waitForSucceeded('late', first);

    const update = (verify: unknown) =>
      gql(
        hub,
        `mutation U($input: UpdateApplicationInput!) { updateApplication(name: "late", input: $input) { id } }`,
        { input: { verify } },
      );
    expect(codes(await update({ mode: 'ssh', trustedKeys: [sshTrusted.publicKey] }))).toEqual([]);
    expect((await sync('late')).error).toMatch(/^signature-invalid: unsigned/);
    const restart = await gql(
      hub,
      `mutation S($a: String!, $c: String) { startRollout(application: $a, revision: $c) { id } }`,
      { a: 'late', c: first },
    );
    expect(codes(restart)).toEqual(['FAILED_PRECONDITION']);

    expect(codes(await update(null))).toEqual([]);
    expect((await sync('late')).error).toBeNull();
    expect((await revisionOf('late', first))?.signature).toBeNull();
  });

  it.each([
    [
      'not a key',
      { mode: 'gpg', trustedKeys: ['my key'] },
      /verify\.trustedKeys\.0: is not an armored OpenPGP public key/,
    ],
    ['an SSH key for gpg', { mode: 'gpg', trustedKeys: ['ssh-ed25519 AAAA x'] }, /verify\.trustedKeys\.0/],
    [
      'a private key',
      {
        mode: 'ssh',
        trustedKeys: ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----'],
      },
      /verify\.trustedKeys\.0: is a private key/,
    ],
    [
      'a word for an SSH key',
      { mode: 'ssh', trustedKeys: ['KEY', 'ssh-ed25519 AAAA'] },
      /verify\.trustedKeys\.0: is not an OpenSSH public key line/,
    ],
    ['no keys', { mode: 'ssh', trustedKeys: [] }, /verify\.trustedKeys: must name at least one key/],
  ])('refuses %s when saved (INVALID_ARGUMENT)', async (_, verify, message) => {
    const repo = await createRepo(git.root, `signed-${++repoCount}`);
    const created = await createApp(`refused-${repoCount}`, repo, verify);
    expect(codes(created)).toEqual(['INVALID_ARGUMENT']);
    expect(created.errors![0]!.message).toMatch(message);
  });

  it('fleetctl sets the policy from a keys file, shows the signature check and clears the policy', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fw-fleetctl-keys-'));
    try {
      const fleetctl = fleetctlAgainst(hub, dir);
      const keys = path.join(dir, 'trusted.pub');
      await writeFile(keys, `# deploy keys\n${sshTrusted.publicKey}\n`);
      const repo = await createRepo(git.root, `signed-${++repoCount}`);
      await repo.commit(FILES('cli'), 'signed by a stranger', undefined, sshOther.signing);
      const created = await fleetctl(
        ...['apps', 'create', 'cli-signed', '--repo', git.url(repo.name), '--ref', 'main', '--path', 'app'],
        ...['--selector', 'app=cli-signed', '--verify', 'ssh', '--trusted-keys-file', keys],
      );
      expect(created).toMatchObject({ code: 0, stdout: 'application/cli-signed created\n' });

      const synced = await fleetctl('apps', 'sync', 'cli-signed');
      expect(synced.code).toBe(1);
      expect(synced.stderr).toContain(`signature-invalid: untrusted (key ${sshOther.keyId})`);
      const shown = await fleetctl('apps', 'get', 'cli-signed');
      expect(shown.stdout).toMatch(/Verify:\s+ssh signatures, 1 trusted key\(s\)/);
      expect(shown.stdout).toContain(`untrusted ${sshOther.keyId}`);

      const bad = path.join(dir, 'private');
      await writeFile(bad, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n');
      const refused = await fleetctl(
        'apps',
        'update',
        'cli-signed',
        '--verify',
        'ssh',
        '--trusted-keys-file',
        bad,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('holds a private key');

      expect((await fleetctl('apps', 'update', 'cli-signed', '--no-verify')).code).toBe(0);
      expect((await fleetctl('apps', 'get', 'cli-signed')).stdout).toMatch(/Verify:\s+no/);
      expect((await view('cli-signed')).verify).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad key on update and keeps the policy', async () => {
    const repo = await createRepo(git.root, `signed-${++repoCount}`);
    expect(
      codes(await createApp('kept', repo, { mode: 'ssh', trustedKeys: [sshTrusted.publicKey] })),
    ).toEqual([]);
    const updated = await gql(
      hub,
      `mutation U($input: UpdateApplicationInput!) { updateApplication(name: "kept", input: $input) { id } }`,
      { input: { verify: { mode: 'ssh', trustedKeys: [sshTrusted.publicKey, 'ssh-dss AAAA old'] } } },
    );
    expect(codes(updated)).toEqual(['INVALID_ARGUMENT']);
    expect(updated.errors![0]!.message).toMatch(/verify\.trustedKeys\.1: has key type "ssh-dss"/);
    expect((await view('kept')).verify).toEqual({ mode: 'ssh', trustedKeys: [sshTrusted.publicKey] });
  });
});
