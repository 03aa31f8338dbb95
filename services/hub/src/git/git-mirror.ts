import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import git, { type HttpClient, type ReadCommitResult } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import semver from 'semver';
import { ARTIFACT_MAX_BYTES, type ArtifactFile } from './artifact.js';
import { normalizeRepoUrl, redactUrl } from './repo-url.js';
import { type SignedCommit, splitSignedCommit } from './signatures/signed-commit.js';

export interface GitCredentials {
  username: string;
  password: string;
}

export interface GitMirrorOptions {
  /** One bare mirror per repository under here (directory name: sha256 of the normalised URL, 32 hex). */
  baseDir: string;
  /** Credentials by reference name; never logged or echoed. */
  credentials: (ref: string) => GitCredentials | undefined;
  /** Total bytes readFiles may return (default ARTIFACT_MAX_BYTES, 4 MiB). */
  maxSourceBytes?: number;
  /** Per fetch (default 60 s). */
  timeoutMs?: number;
}

export interface CommitInfo {
  commit: string;
  author: string;
  authorEmail: string;
  committedAt: Date;
  message: string;
}

export type GitErrorCode =
  'repository-unreachable' | 'auth-failed' | 'ref-not-found' | 'path-not-found' | 'too-large' | 'invalid-ref';

/** An expected failure, with a message fit for the person who configured the application. */
export class GitSourceError extends Error {
  override readonly name = 'GitSourceError';

  constructor(
    readonly code: GitErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** After a timeout, how long the aborted fetch may take to unwind before the mirror is used again. */
const ABORT_GRACE_MS = 5_000;
const COMMIT_ID = /^[0-9a-f]{40}$/i;
/** Branches live under the remote-tracking namespace, so a fetch can prune them like `git fetch --prune`. */
const BRANCHES = 'refs/remotes/origin/';
const TAGS = 'refs/tags/';

interface Remote {
  /** The mirror's git directory. */
  gitdir: string;
  /** The URL without userinfo: what is fetched, stored in the mirror's config and named in messages. */
  url: string;
  /** Credentials written into the URL, used when no reference names any. */
  urlCredentials: GitCredentials | undefined;
}

/**
 * Keeps a bare mirror of each git repository the hub deploys from (isomorphic-git over HTTP(S)),
 * and reads commits and manifests out of it. Fetches of one repository are serialised; reads wait
 * for a fetch in flight so they never see refs half-written. What goes wrong with a repository,
 * a ref or a path is a GitSourceError whose message names the repository without credentials;
 * local I/O errors (disk full) propagate as they are.
 *
 * One instance owns its baseDir: two mirrors (or hub replicas) must not share a directory.
 */
export class GitMirror {
  private readonly maxSourceBytes: number;
  private readonly timeoutMs: number;
  /** Per mirror directory: settles when the last queued fetch has finished. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly options: GitMirrorOptions) {
    this.maxSourceBytes = options.maxSourceBytes ?? ARTIFACT_MAX_BYTES;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Clones on first use, fetches afterwards: all branches and tags, deleted ones pruned, moved tags updated. */
  async fetch(url: string, credentialsRef?: string | null): Promise<void> {
    const remote = this.remote(url);
    let credentials = remote.urlCredentials;
    if (credentialsRef) {
      credentials = this.options.credentials(credentialsRef);
      if (!credentials) {
        throw new GitSourceError('auth-failed', `no credentials named "${credentialsRef}" are configured`);
      }
    }
    await this.serialised(remote.gitdir, () => this.fetchNow(remote, credentials, credentialsRef ?? null));
  }

  /**
   * Resolves, from the local mirror, a 40-hex commit id (which must exist), a tag (annotated tags
   * peeled to their commit), a branch (`HEAD` is the remote's default branch), or a semver range
   * over the tags (`^1.2`, `>=2.0.0 <3`, `v1.x`; leading `v` allowed; highest wins). Names win
   * over ranges, tags over branches (git's order). A range must contain a digit, so a branch
   * called `x` that does not exist is not mistaken for "any version".
   */
  async resolveRef(url: string, ref: string): Promise<string> {
    const remote = await this.readable(url);
    const cache = {};
    if (COMMIT_ID.test(ref)) return this.peel(remote, ref.toLowerCase(), `commit ${ref}`, cache);

    if (isRefName(ref)) {
      const candidates = ref.startsWith('refs/')
        ? [ref.startsWith('refs/heads/') ? BRANCHES + ref.slice('refs/heads/'.length) : ref]
        : [TAGS + ref, BRANCHES + ref];
      for (const candidate of candidates) {
        const oid = await this.lookup(remote, candidate);
        const kind = candidate.startsWith(TAGS) ? 'tag' : 'branch';
        if (oid) return this.peel(remote, oid, `${kind} "${ref}"`, cache);
      }
    }
    const range = /\d/.test(ref) ? semver.validRange(ref) : null;
    if (range) {
      const tag = await this.highestTag(remote, range);
      if (!tag) throw new GitSourceError('ref-not-found', `no tag of ${remote.url} satisfies "${ref}"`);
      const oid = await this.lookup(remote, TAGS + tag);
      if (oid) return this.peel(remote, oid, `tag "${tag}"`, cache);
    }
    if (isRefName(ref)) {
      throw new GitSourceError('ref-not-found', `${remote.url} has no branch or tag "${ref}"`);
    }
    throw new GitSourceError(
      'invalid-ref',
      `"${ref}" is not a commit id, a branch or tag name, or a semver range over tags`,
    );
  }

  async commitInfo(url: string, commit: string): Promise<CommitInfo> {
    const remote = await this.readable(url);
    const { oid, commit: object } = await this.readCommit(remote, checkCommitId(commit), {});
    return {
      commit: oid,
      author: object.author.name,
      authorEmail: object.author.email,
      committedAt: new Date(object.committer.timestamp * 1000),
      message: object.message.replace(/\n+$/, ''),
    };
  }

  /** The commit's raw object split into what its signature covers and the signature (if any). */
  async signedCommit(url: string, commit: string): Promise<SignedCommit> {
    const remote = await this.readable(url);
    const { oid } = await this.readCommit(remote, checkCommitId(commit), {});
    const { object } = await git.readObject({ fs, gitdir: remote.gitdir, oid, format: 'content' });
    return splitSignedCommit(object as Uint8Array);
  }

  /**
   * Every file under `dir` ('' or '.' is the root; recursive) at `commit`, any type, as bytes, sorted
   * by path: what a revision's artifact holds, whatever its renderer reads of it. Symbolic links and
   * submodules are skipped: neither has content in this repository.
   */
  async readFiles(url: string, commit: string, dir: string): Promise<ArtifactFile[]> {
    const root = normaliseDir(dir);
    const { remote, at, cache, where } = await this.atCommit(url, commit, root || '.');

    let tree: Awaited<ReturnType<typeof git.readTree>>;
    try {
      tree = await git.readTree({ fs, gitdir: remote.gitdir, oid: at, filepath: root || undefined, cache });
    } catch (error) {
      if (isGitError(error, 'NotFoundError')) {
        throw new GitSourceError('path-not-found', `no directory ${where}`);
      }
      if (isGitError(error, 'ObjectTypeError')) {
        throw new GitSourceError('path-not-found', `${where} is a file, not a directory`);
      }
      throw error;
    }

    const files: ArtifactFile[] = [];
    let total = 0;
    const visit = async (entries: typeof tree.tree, prefix: string): Promise<void> => {
      for (const entry of entries) {
        const file = prefix ? `${prefix}/${entry.path}` : entry.path;
        if (entry.type === 'tree') {
          const sub = await git.readTree({ fs, gitdir: remote.gitdir, oid: entry.oid, cache });
          await visit(sub.tree, file);
        } else if (entry.type === 'blob' && entry.mode !== '120000') {
          const { blob } = await git.readBlob({ fs, gitdir: remote.gitdir, oid: entry.oid, cache });
          total += blob.byteLength;
          if (total > this.maxSourceBytes) {
            throw new GitSourceError(
              'too-large',
              `the files under ${where} exceed ${this.maxSourceBytes} bytes`,
            );
          }
          files.push({ path: file, content: blob });
        }
      }
    };
    await visit(tree.tree, root);
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * One file at `commit` (a path from the repository's root), at most `maxBytes`; path-not-found
   * when there is no such file (or it is a directory or a link).
   */
  async readFile(url: string, commit: string, filePath: string, maxBytes: number): Promise<Uint8Array> {
    const file = normaliseDir(filePath);
    const { remote, at, cache, where } = await this.atCommit(url, commit, file);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    const name = file.slice(dir === '' ? 0 : dir.length + 1);
    let entry: { oid: string; type: string; mode: string } | undefined;
    try {
      const tree = await git.readTree({
        fs,
        gitdir: remote.gitdir,
        oid: at,
        filepath: dir || undefined,
        cache,
      });
      entry = tree.tree.find((e) => e.path === name);
    } catch (error) {
      if (!isGitError(error, 'NotFoundError') && !isGitError(error, 'ObjectTypeError')) throw error;
    }
    if (entry === undefined || entry.type !== 'blob' || entry.mode === '120000') {
      throw new GitSourceError('path-not-found', `no file ${where}`);
    }
    const { blob } = await git.readBlob({ fs, gitdir: remote.gitdir, oid: entry.oid, cache });
    if (blob.byteLength > maxBytes)
      throw new GitSourceError('too-large', `${where} exceeds ${maxBytes} bytes`);
    return blob;
  }

  // -------------------------------------------------------------------------------------------

  /** The mirror and the commit (checked to be there) a read is at, and how messages name `shown` there. */
  private async atCommit(
    url: string,
    commit: string,
    shown: string,
  ): Promise<{ remote: Remote; at: string; cache: object; where: string }> {
    const remote = await this.readable(url);
    const cache = {};
    const at = checkCommitId(commit);
    await this.readCommit(remote, at, cache);
    return { remote, at, cache, where: `"${shown}" at ${at.slice(0, 12)} of ${remote.url}` };
  }

  private remote(url: string): Remote {
    const display = redactUrl(url.trim());
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      throw new GitSourceError('repository-unreachable', `"${display}" is not a URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new GitSourceError(
        'repository-unreachable',
        `${display}: only http(s) repository URLs are supported`,
      );
    }
    const urlCredentials =
      parsed.username || parsed.password
        ? { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }
        : undefined;
    parsed.username = '';
    parsed.password = '';
    parsed.hash = '';
    const key = createHash('sha256').update(normalizeRepoUrl(url)).digest('hex').slice(0, 32);
    return {
      gitdir: path.join(this.options.baseDir, key),
      url: parsed.toString().replace(/\/+$/, ''),
      urlCredentials,
    };
  }

  /** Runs `task` after every fetch queued before it for the same mirror has settled. */
  private serialised(gitdir: string, task: () => Promise<void>): Promise<void> {
    const run = (this.queues.get(gitdir) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    this.queues.set(gitdir, tail);
    void tail.then(() => {
      if (this.queues.get(gitdir) === tail) this.queues.delete(gitdir);
    });
    return run;
  }

  /** The mirror for reading, once any fetch in flight has finished. */
  private async readable(url: string): Promise<Remote> {
    const remote = this.remote(url);
    await this.queues.get(remote.gitdir);
    const exists = await stat(path.join(remote.gitdir, 'config')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      throw new GitSourceError('repository-unreachable', `${remote.url} has not been fetched yet`);
    }
    return remote;
  }

  private async fetchNow(
    remote: Remote,
    credentials: GitCredentials | undefined,
    credentialsRef: string | null,
  ): Promise<void> {
    const { gitdir } = remote;
    await mkdir(gitdir, { recursive: true });
    await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    await git.setConfig({ fs, gitdir, path: 'remote.origin.url', value: remote.url });
    await git.setConfig({ fs, gitdir, path: 'remote.origin.fetch', value: `+refs/heads/*:${BRANCHES}*` });

    const controller = new AbortController();
    const client: HttpClient = {
      request: (request) => http.request({ ...request, signal: controller.signal }),
    };
    // Sent up front: a server that hides private repositories answers 404, not 401, without them.
    const headers: Record<string, string> = credentials
      ? {
          Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
        }
      : {};
    const work = git.fetch({
      fs,
      http: client,
      gitdir,
      url: remote.url,
      remote: 'origin',
      headers,
      singleBranch: false,
      tags: true,
      prune: true,
      pruneTags: true,
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const outcome = await Promise.race([work.then(() => 'done' as const), timedOut]);
      if (outcome === 'timeout') {
        controller.abort();
        await Promise.race([work.catch(() => undefined), delay(ABORT_GRACE_MS)]);
        throw new GitSourceError(
          'repository-unreachable',
          `fetching ${remote.url} timed out after ${this.timeoutMs} ms`,
        );
      }
    } catch (error) {
      throw fetchError(error, remote, credentials, credentialsRef);
    } finally {
      clearTimeout(timer);
    }
  }

  private async lookup(remote: Remote, ref: string): Promise<string | undefined> {
    try {
      return await git.resolveRef({ fs, gitdir: remote.gitdir, ref });
    } catch (error) {
      if (isGitError(error, 'NotFoundError')) return undefined;
      throw error;
    }
  }

  /** The commit a ref or object id leads to; annotated tags are followed. */
  private async peel(remote: Remote, oid: string, what: string, cache: object): Promise<string> {
    try {
      return (await git.readCommit({ fs, gitdir: remote.gitdir, oid, cache })).oid;
    } catch (error) {
      if (isGitError(error, 'NotFoundError')) {
        throw new GitSourceError('ref-not-found', `${what} is not in ${remote.url} (was it pushed?)`);
      }
      if (isGitError(error, 'ObjectTypeError')) {
        throw new GitSourceError('ref-not-found', `${what} of ${remote.url} does not point to a commit`);
      }
      throw error;
    }
  }

  private async readCommit(remote: Remote, oid: string, cache: object): Promise<ReadCommitResult> {
    const commit = await this.peel(remote, oid, `commit ${oid}`, cache);
    return git.readCommit({ fs, gitdir: remote.gitdir, oid: commit, cache });
  }

  /** The highest tag (by semver; ties by name) that satisfies the range. */
  private async highestTag(remote: Remote, range: string): Promise<string | undefined> {
    const tags = await git.listTags({ fs, gitdir: remote.gitdir });
    let best: { tag: string; version: string } | undefined;
    for (const tag of tags) {
      const version = semver.valid(tag);
      if (!version || !semver.satisfies(version, range)) continue;
      const order = best ? semver.compare(version, best.version) || (tag < best.tag ? 1 : -1) : 1;
      if (order > 0) best = { tag, version };
    }
    return best?.tag;
  }
}

/**
 * git check-ref-format, simplified: what may be a branch or tag name. Also what keeps a name from
 * escaping the refs directory (`..`, leading '/').
 */
function isRefName(ref: string): boolean {
  if (ref === '' || ref === '@' || ref.length > 1024) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.$/.test(ref)) return false;
  return ref.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

function checkCommitId(commit: string): string {
  if (!COMMIT_ID.test(commit))
    throw new GitSourceError('invalid-ref', `"${commit}" is not a 40-hex commit id`);
  return commit.toLowerCase();
}

/** '' and '.' are the root; `a/./b/` is `a/b`; `..` is refused (the tree walk must not leave the path given). */
function normaliseDir(dir: string): string {
  const parts = dir.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new GitSourceError('invalid-ref', `path "${dir}" must not contain ".."`);
  return parts.join('/');
}

/** Duck-typed: errors from node core can come from another realm (jest's VM), where instanceof fails. */
function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function isGitError(error: unknown, code: string): error is { data?: Record<string, unknown> } {
  return errorCode(error) === code;
}

function errorMessage(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Maps whatever a fetch threw to a GitSourceError; only controlled text reaches the message. */
function fetchError(
  error: unknown,
  remote: Remote,
  credentials: GitCredentials | undefined,
  credentialsRef: string | null,
): GitSourceError {
  if (error instanceof GitSourceError) return error;
  const where = remote.url;
  const status = isGitError(error, 'HttpError') ? Number(error.data?.statusCode) : undefined;
  const given = credentialsRef ? `credentials "${credentialsRef}"` : 'the credentials in the URL';
  if (status === 401) {
    return new GitSourceError(
      'auth-failed',
      credentials
        ? `${where} rejected ${given} (HTTP 401)`
        : `${where} requires credentials (HTTP 401) and the application names none`,
    );
  }
  if (status === 403) {
    return new GitSourceError(
      'auth-failed',
      `${where} denied access${credentials ? ` to ${given}` : ''} (HTTP 403)`,
    );
  }
  if (status === 404) {
    return new GitSourceError(
      'repository-unreachable',
      `${where} was not found (HTTP 404)${credentials ? '' : '; if it is private, name credentials'}`,
    );
  }
  if (status !== undefined) {
    return new GitSourceError('repository-unreachable', `${where} answered HTTP ${status}`);
  }
  if (isGitError(error, 'SmartHttpError')) {
    return new GitSourceError(
      'repository-unreachable',
      `${where} did not answer as a git (smart HTTP) server`,
    );
  }
  const code = errorCode(error);
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new GitSourceError('repository-unreachable', `cannot reach ${where} (${code})`);
  }
  return new GitSourceError(
    'repository-unreachable',
    `fetching ${where} failed: ${scrub(errorMessage(error), credentials)}`,
  );
}

/** Last line of defence for text we do not control: no userinfo, no credential substrings. */
function scrub(text: string, credentials: GitCredentials | undefined): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
  for (const secret of [credentials?.password, credentials?.username]) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.slice(0, 500);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
