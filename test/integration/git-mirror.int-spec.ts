import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type ArtifactFile,
  GitMirror,
  type GitMirrorOptions,
  GitSourceError,
  normalizeRepoUrl,
} from '../../services/hub/src/git/index.js';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../harness/git-server.js';
import { freePort } from '../harness/net.js';

const CREDENTIALS = { username: 'fleet-bot', password: 'pw-Zq81-never-echo' };
const WRONG = { username: 'fleet-bot', password: 'pw-wrong-also-secret' };
const SECRETS = [CREDENTIALS.password, WRONG.password];

/** Every error message seen, checked at the end for leaked passwords. */
const messages: string[] = [];

/** Files with their content as UTF-8 text, for comparing with what was committed. */
function texts(files: readonly ArtifactFile[]): { path: string; content: string }[] {
  return files.map((file) => ({ path: file.path, content: Buffer.from(file.content).toString('utf8') }));
}

async function gitError(promise: Promise<unknown>): Promise<GitSourceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GitSourceError) {
      messages.push(error.message);
      return error;
    }
    throw error;
  }
  throw new Error('expected a GitSourceError');
}

describe('GitMirror against a real git smart-HTTP server', () => {
  let root: string;
  let publicServer: GitServer;
  let privateServer: GitServer;
  const mirrors: string[] = [];

  async function newMirror(options: Partial<GitMirrorOptions> = {}): Promise<GitMirror> {
    const baseDir = await mkdtemp(path.join(root, 'mirror-'));
    mirrors.push(baseDir);
    return new GitMirror({
      baseDir,
      credentials: (ref) => ({ deploy: CREDENTIALS, stale: WRONG })[ref],
      ...options,
    });
  }

  let repoCount = 0;
  async function newRepo(where: 'public' | 'private' = 'public'): Promise<{ repo: LocalRepo; url: string }> {
    const name = `repo-${++repoCount}`;
    const repo = await createRepo(path.join(root, where), name);
    return { repo, url: (where === 'public' ? publicServer : privateServer).url(name) };
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'fleetwave-git-'));
    publicServer = await startGitServer({ root: path.join(root, 'public') });
    privateServer = await startGitServer({ root: path.join(root, 'private'), auth: CREDENTIALS });
  });

  afterAll(async () => {
    await publicServer?.stop();
    await privateServer?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  describe('branches', () => {
    it('clones on first use and resolves a branch, its full name and HEAD', async () => {
      const { repo, url } = await newRepo();
      const first = await repo.commit({ 'app/cm.yaml': 'a: 1\n' }, 'first');
      const mirror = await newMirror();

      await mirror.fetch(url);

      expect(await mirror.resolveRef(url, 'main')).toBe(first);
      expect(await mirror.resolveRef(url, 'refs/heads/main')).toBe(first);
      expect(await mirror.resolveRef(url, 'HEAD')).toBe(first);
    });

    it('moves a branch only after the next fetch', async () => {
      const { repo, url } = await newRepo();
      const first = await repo.commit({ 'a.yaml': 'a: 1\n' }, 'first');
      const mirror = await newMirror();
      await mirror.fetch(url);

      const second = await repo.commit({ 'a.yaml': 'a: 2\n' }, 'second');
      expect(await mirror.resolveRef(url, 'main')).toBe(first);
      await mirror.fetch(url);
      expect(await mirror.resolveRef(url, 'main')).toBe(second);
      expect(second).not.toBe(first);
    });

    it('fetches new branches and prunes deleted ones', async () => {
      const { repo, url } = await newRepo();
      await repo.commit({ 'a.yaml': 'a: 1\n' }, 'first');
      await repo.branch('feature/canary');
      const canary = await repo.commit({ 'a.yaml': 'a: canary\n' }, 'canary');
      const mirror = await newMirror();
      await mirror.fetch(url);
      expect(await mirror.resolveRef(url, 'feature/canary')).toBe(canary);

      await repo.checkout('main');
      await repo.deleteBranch('feature/canary');
      await mirror.fetch(url);
      const error = await gitError(mirror.resolveRef(url, 'feature/canary'));
      expect(error.code).toBe('ref-not-found');
      expect(error.message).toContain('"feature/canary"');
    });

    it('keeps one mirror per repository, named by the normalised URL', async () => {
      const { repo, url } = await newRepo();
      await repo.commit({ 'a.yaml': 'a: 1\n' }, 'first');
      const mirror = await newMirror();
      await mirror.fetch(url);
      await mirror.fetch(`${url.replace(/\.git$/, '')}/`);

      const dirs = await readdir(mirrors.at(-1)!);
      expect(dirs).toEqual([createHash('sha256').update(normalizeRepoUrl(url)).digest('hex').slice(0, 32)]);
    });

    it('says a repository has not been fetched yet', async () => {
      const mirror = await newMirror();
      const error = await gitError(mirror.resolveRef(publicServer.url('never-fetched'), 'main'));
      expect(error.code).toBe('repository-unreachable');
      expect(error.message).toMatch(/has not been fetched yet/);
    });
  });

  describe('tags and semver ranges', () => {
    let url: string;
    let mirror: GitMirror;
    let repo: LocalRepo;
    const at: Record<string, string> = {};

    beforeAll(async () => {
      ({ repo, url } = await newRepo());
      at['1.0.0'] = await repo.commit({ 'a.yaml': 'v: 1.0.0\n' }, '1.0.0');
      await repo.tag('v1.0.0');
      at['1.2.0'] = await repo.commit({ 'a.yaml': 'v: 1.2.0\n' }, '1.2.0');
      await repo.tag('v1.2.0', 'release 1.2.0');
      at['1.10.0'] = await repo.commit({ 'a.yaml': 'v: 1.10.0\n' }, '1.10.0');
      await repo.tag('1.10.0');
      at['2.0.0'] = await repo.commit({ 'a.yaml': 'v: 2.0.0\n' }, '2.0.0');
      await repo.tag('v2.0.0', 'release 2.0.0');
      at['2.1.0-rc.1'] = await repo.commit({ 'a.yaml': 'v: 2.1.0-rc.1\n' }, 'rc');
      await repo.tag('v2.1.0-rc.1');
      await repo.tag('nightly');
      mirror = await newMirror();
      await mirror.fetch(url);
    });

    it.each([
      ['a lightweight tag', 'v1.0.0', '1.0.0'],
      ['an annotated tag, peeled to its commit', 'v1.2.0', '1.2.0'],
      ['a full tag ref', 'refs/tags/v2.0.0', '2.0.0'],
      ['a non-semver tag', 'nightly', '2.1.0-rc.1'],
      ['a caret range: highest by version, not by text (1.10 > 1.2)', '^1.2', '1.10.0'],
      ['an x-range with a leading v', 'v1.x', '1.10.0'],
      ['a tilde range', '~1.2.0', '1.2.0'],
      ['a bounded range leaving out pre-releases', '>=2.0.0 <3', '2.0.0'],
      ['a range that names the pre-release', '>=2.1.0-rc.0', '2.1.0-rc.1'],
      ['an exact version without the v', '1.0.0', '1.0.0'],
      ['a major version alone', 'v1', '1.10.0'],
    ])('resolves %s (%s)', async (_case, ref, version) => {
      expect(await mirror.resolveRef(url, ref)).toBe(at[version]);
    });

    it.each([
      ['a range no tag satisfies', '^3', 'ref-not-found', /no tag .* satisfies "\^3"/],
      ['a tag that does not exist', 'v9-missing', 'ref-not-found', /no branch or tag "v9-missing"/],
      ['a name with ..', 'a..b', 'invalid-ref', /is not a commit id, a branch or tag name/],
      ['a name with spaces and no version', 'not a ref', 'invalid-ref', /is not a commit id/],
      ['the empty string', '', 'invalid-ref', /is not a commit id/],
      ['a bare x (no digit: not "any version")', 'x', 'ref-not-found', /no branch or tag "x"/],
    ])('rejects %s', async (_case, ref, code, message) => {
      const error = await gitError(mirror.resolveRef(url, ref));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });

    it('prefers an existing branch over reading its name as a range', async () => {
      await repo.branch('v2');
      const onBranch = await repo.commit({ 'a.yaml': 'branch v2\n' }, 'on branch v2');
      await repo.checkout('main');
      await mirror.fetch(url);
      expect(await mirror.resolveRef(url, 'v2')).toBe(onBranch);
      expect(await mirror.resolveRef(url, '^2')).toBe(at['2.0.0']);
    });

    it('follows a moved tag and forgets a deleted one on the next fetch', async () => {
      const latest = await repo.head();
      await repo.tag('v1.0.0');
      await repo.deleteTag('nightly');
      await mirror.fetch(url);
      expect(await mirror.resolveRef(url, 'v1.0.0')).toBe(latest);
      expect((await gitError(mirror.resolveRef(url, 'nightly'))).code).toBe('ref-not-found');
    });

    it('resolves an exact commit id, and refuses one the repository does not have', async () => {
      expect(await mirror.resolveRef(url, at['1.2.0']!)).toBe(at['1.2.0']);
      expect(await mirror.resolveRef(url, at['1.2.0']!.toUpperCase())).toBe(at['1.2.0']);
      const error = await gitError(mirror.resolveRef(url, 'f'.repeat(40)));
      expect(error.code).toBe('ref-not-found');
      expect(error.message).toContain('f'.repeat(40));
    });
  });

  describe('commitInfo', () => {
    it('gives author, email, message and commit date', async () => {
      const { repo, url } = await newRepo();
      const commit = await repo.commit({ 'a.yaml': 'a: 1\n' }, 'Add the web tier\n\nWith a longer body.', {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        date: new Date('2026-03-01T12:34:56Z'),
      });
      const mirror = await newMirror();
      await mirror.fetch(url);

      expect(await mirror.commitInfo(url, commit)).toEqual({
        commit,
        author: 'Ada Lovelace',
        authorEmail: 'ada@example.com',
        committedAt: new Date('2026-03-01T12:34:56Z'),
        message: 'Add the web tier\n\nWith a longer body.',
      });
      expect((await gitError(mirror.commitInfo(url, 'main'))).code).toBe('invalid-ref');
      expect((await gitError(mirror.commitInfo(url, '0'.repeat(40)))).code).toBe('ref-not-found');
    });
  });

  describe('readFiles', () => {
    let url: string;
    let commit: string;
    let mirror: GitMirror;
    const files = {
      'apps/web/deployment.yaml': 'kind: Deployment\n',
      'apps/web/service.yml': 'kind: Service\n',
      'apps/web/nested/deeper/config.YAML': 'kind: ConfigMap\n',
      'apps/web/a-first.yaml': 'kind: Secret\n',
      'apps/web/README.md': '# not a manifest\n',
      'apps/web/values.json': '{}\n',
      'apps/web/yaml': 'no extension\n',
      'apps/web/charts/x.tgz': '\u0000\u00ff\u0001 not text',
      'apps/other/x.yaml': 'kind: Other\n',
      'root.yaml': 'kind: Root\n',
    };

    beforeAll(async () => {
      const created = await newRepo();
      url = created.url;
      commit = await created.repo.commit(files, 'manifests');
      mirror = await newMirror();
      await mirror.fetch(url);
    });

    const webFiles = [
      'apps/web/README.md',
      'apps/web/a-first.yaml',
      'apps/web/charts/x.tgz',
      'apps/web/deployment.yaml',
      'apps/web/nested/deeper/config.YAML',
      'apps/web/service.yml',
      'apps/web/values.json',
      'apps/web/yaml',
    ];

    it.each([
      ['a directory, recursively, sorted, every file type', 'apps/web', webFiles],
      ['the same with ./ and a trailing slash', './apps/web/', webFiles],
      ['a nested directory', 'apps/web/nested', ['apps/web/nested/deeper/config.YAML']],
      ['the root as ""', '', ['apps/other/x.yaml', ...webFiles, 'root.yaml']],
      ['the root as "."', '.', ['apps/other/x.yaml', ...webFiles, 'root.yaml']],
    ])('reads %s', async (_case, dir, expected) => {
      const sources = await mirror.readFiles(url, commit, dir);
      expect(sources.map((s) => s.path)).toEqual(expected);
      for (const source of sources) {
        expect(Buffer.from(source.content)).toEqual(Buffer.from(files[source.path as keyof typeof files]));
      }
    });

    it.each([
      [
        'a directory that does not exist',
        null,
        'apps/missing',
        'path-not-found',
        /no directory "apps\/missing"/,
      ],
      ['a file, not a directory', null, 'root.yaml', 'path-not-found', /is a file, not a directory/],
      ['a path with ..', null, 'apps/../..', 'invalid-ref', /must not contain "\.\."/],
      ['a branch name instead of a commit id', 'main', 'apps', 'invalid-ref', /not a 40-hex commit id/],
      ['a commit the repository does not have', 'a'.repeat(40), 'apps', 'ref-not-found', /is not in/],
    ])('rejects %s', async (_case, at, dir, code, message) => {
      const error = await gitError(mirror.readFiles(url, at ?? commit, dir));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });

    it.each([
      ['a file', 'root.yaml', 'kind: Root\n'],
      ['a nested file, path normalised', './apps/web/nested/deeper/config.YAML', 'kind: ConfigMap\n'],
    ])('readFile reads %s', async (_case, file, content) => {
      expect(Buffer.from(await mirror.readFile(url, commit, file, 1024)).toString()).toBe(content);
    });

    it.each([
      [
        'a file that does not exist',
        'apps/web/missing.yaml',
        1024,
        'path-not-found',
        /^no file "apps\/web\/missing\.yaml" at [0-9a-f]{12} of http/,
      ],
      [
        'a file in a directory that does not exist',
        'nope/x.yaml',
        1024,
        'path-not-found',
        /^no file "nope\/x\.yaml"/,
      ],
      ['a directory', 'apps/web', 1024, 'path-not-found', /^no file "apps\/web"/],
      ['a path with ..', 'apps/../root.yaml', 1024, 'invalid-ref', /must not contain "\.\."/],
      [
        'a file larger than allowed',
        'root.yaml',
        5,
        'too-large',
        /"root\.yaml" at [0-9a-f]{12} of .* exceeds 5 bytes/,
      ],
    ])('readFile rejects %s', async (_case, file, maxBytes, code, message) => {
      const error = await gitError(mirror.readFile(url, commit, file, maxBytes));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });

    it('refuses more than maxSourceBytes', async () => {
      const small = await newMirror({ maxSourceBytes: 40 });
      await small.fetch(url);
      expect(await small.readFiles(url, commit, 'apps/web/nested')).toHaveLength(1);
      const error = await gitError(small.readFiles(url, commit, 'apps/web'));
      expect(error.code).toBe('too-large');
      expect(error.message).toMatch(/exceed 40 bytes/);
    });

    it('reads an older commit after the files changed', async () => {
      const { repo, url: otherUrl } = await newRepo();
      const before = await repo.commit({ 'm/a.yaml': 'v: 1\n', 'm/b.yaml': 'v: 1\n' }, 'two files');
      const after = await repo.commit({ 'm/a.yaml': 'v: 2\n', 'm/b.yaml': null }, 'change one, delete one');
      const m = await newMirror();
      await m.fetch(otherUrl);
      expect(texts(await m.readFiles(otherUrl, before, 'm'))).toEqual([
        { path: 'm/a.yaml', content: 'v: 1\n' },
        { path: 'm/b.yaml', content: 'v: 1\n' },
      ]);
      expect(texts(await m.readFiles(otherUrl, after, 'm'))).toEqual([
        { path: 'm/a.yaml', content: 'v: 2\n' },
      ]);
    });
  });

  describe('credentials', () => {
    let url: string;
    let commit: string;

    beforeAll(async () => {
      const created = await newRepo('private');
      url = created.url;
      commit = await created.repo.commit({ 'a.yaml': 'secret: manifests\n' }, 'private');
    });

    it('without credentials: auth-failed, saying so', async () => {
      const mirror = await newMirror();
      const error = await gitError(mirror.fetch(url));
      expect(error.code).toBe('auth-failed');
      expect(error.message).toBe(`${url} requires credentials (HTTP 401) and the application names none`);
    });

    it('with the wrong credentials: auth-failed, naming the reference only', async () => {
      const mirror = await newMirror();
      const error = await gitError(mirror.fetch(url, 'stale'));
      expect(error.code).toBe('auth-failed');
      expect(error.message).toBe(`${url} rejected credentials "stale" (HTTP 401)`);
    });

    it('with a reference nobody configured: auth-failed', async () => {
      const mirror = await newMirror();
      const error = await gitError(mirror.fetch(url, 'nope'));
      expect(error.code).toBe('auth-failed');
      expect(error.message).toMatch(/no credentials named "nope"/);
    });

    it('with the right credentials: fetches', async () => {
      const mirror = await newMirror();
      await mirror.fetch(url, 'deploy');
      expect(await mirror.resolveRef(url, 'main')).toBe(commit);
      expect(texts(await mirror.readFiles(url, commit, ''))).toEqual([
        { path: 'a.yaml', content: 'secret: manifests\n' },
      ]);
    });

    it('with credentials in the URL: fetches, and messages carry the URL without them', async () => {
      const mirror = await newMirror();
      const withUserinfo = url.replace('http://', `http://${CREDENTIALS.username}:${CREDENTIALS.password}@`);
      await mirror.fetch(withUserinfo);
      expect(await mirror.resolveRef(withUserinfo, 'main')).toBe(commit);
      const error = await gitError(mirror.resolveRef(withUserinfo, 'no-such-branch'));
      expect(error.message).toBe(`${url} has no branch or tag "no-such-branch"`);

      const wrong = url.replace('http://', `http://${WRONG.username}:${WRONG.password}@`);
      const rejected = await gitError(mirror.fetch(wrong));
      expect(rejected.code).toBe('auth-failed');
      expect(rejected.message).toBe(`${url} rejected the credentials in the URL (HTTP 401)`);
    });
  });

  describe('unreachable repositories', () => {
    it('a closed port: repository-unreachable', async () => {
      const url = `http://127.0.0.1:${await freePort()}/fleet.git`;
      const error = await gitError((await newMirror()).fetch(url));
      expect(error.code).toBe('repository-unreachable');
      expect(error.message).toBe(`cannot reach ${url} (ECONNREFUSED)`);
    });

    it('a repository the server does not have: repository-unreachable', async () => {
      const url = publicServer.url('does-not-exist');
      const error = await gitError((await newMirror()).fetch(url));
      expect(error.code).toBe('repository-unreachable');
      expect(error.message).toMatch(/was not found \(HTTP 404\)/);
    });

    it('a URL git cannot fetch over HTTP: repository-unreachable', async () => {
      const error = await gitError((await newMirror()).fetch('git@github.com:acme/fleet.git'));
      expect(error.code).toBe('repository-unreachable');
    });

    it('a server that never answers: repository-unreachable after timeoutMs', async () => {
      const sockets = new Set<net.Socket>();
      const silent = net.createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as net.AddressInfo;
      try {
        const mirror = await newMirror({ timeoutMs: 300 });
        const started = Date.now();
        const error = await gitError(mirror.fetch(`http://127.0.0.1:${port}/fleet.git`));
        expect(error.code).toBe('repository-unreachable');
        expect(error.message).toMatch(/timed out after 300 ms/);
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });
  });

  describe('concurrency', () => {
    it('two concurrent first fetches of one URL both succeed', async () => {
      const { repo, url } = await newRepo();
      const commit = await repo.commit({ 'a.yaml': 'a: 1\n' }, 'first');
      const mirror = await newMirror();
      await Promise.all([mirror.fetch(url), mirror.fetch(url)]);
      expect(await mirror.resolveRef(url, 'main')).toBe(commit);
    });

    it('reads issued during a fetch see its result, and many fetches queue up', async () => {
      const { repo, url } = await newRepo();
      await repo.commit({ 'a.yaml': 'a: 1\n' }, 'first');
      const mirror = await newMirror();
      await mirror.fetch(url);
      const latest = await repo.commit({ 'a.yaml': 'a: 2\n' }, 'second');

      const fetching = Promise.all(Array.from({ length: 5 }, () => mirror.fetch(url)));
      const resolved = mirror.resolveRef(url, 'main');
      await fetching;
      expect(await resolved).toBe(latest);
    });
  });

  it('never puts a password into an error message', () => {
    expect(messages.length).toBeGreaterThan(10);
    for (const message of messages) for (const secret of SECRETS) expect(message).not.toContain(secret);
  });
});
