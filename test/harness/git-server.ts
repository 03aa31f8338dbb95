import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './net.js';
import { requireTool } from './process.js';

const run = promisify(execFile);

export interface GitServer {
  /** The clone URL of a repository under the root: `url('fleet')` serves `<root>/fleet.git`. */
  url(repo: string): string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface GitServerOptions {
  /** Bare repositories are served from here (every one of them: GIT_HTTP_EXPORT_ALL). */
  root: string;
  /** When set, every request needs HTTP basic auth with exactly these credentials. */
  auth?: { username: string; password: string };
  /** Listen on this address instead of 127.0.0.1 (for the real node's Pods, test/kube/realnode.sh). */
  host?: string;
}

/**
 * A real git smart-HTTP server for tests: node:http in front of git's own `git http-backend` CGI,
 * on 127.0.0.1 and a free port. Clone and fetch work (push is left off: tests push through the
 * file system with {@link createRepo}). One short-lived CGI process per request; stop() ends any
 * still running.
 */
export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const backend = await gitHttpBackend();
  const root = path.resolve(options.root);
  await mkdir(root, { recursive: true });
  const home = await harmlessHome(root);
  const children = new Set<ChildProcess>();

  const server = http.createServer((req, res) => {
    if (options.auth && !authorised(req.headers.authorization, options.auth)) {
      res.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="fleetwave test git"',
        'Content-Type': 'text/plain',
      });
      res.end('authentication required\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const env: NodeJS.ProcessEnv = {
      ...gitEnv(home),
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
    };
    if (req.headers['content-length'] !== undefined) env.CONTENT_LENGTH = req.headers['content-length'];
    if (req.headers['content-encoding'] !== undefined)
      env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
    const protocol = req.headers['git-protocol'];
    if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
    if (options.auth) env.REMOTE_USER = options.auth.username;

    const child = spawn(backend, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once('exit', () => children.delete(child));
    child.once('error', (error) => {
      children.delete(child);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`git http-backend failed: ${error.message}\n`);
    });
    // A client that goes away mid-request must not leave the CGI behind.
    res.once('close', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    req.pipe(child.stdin).on('error', () => undefined);
    pipeCgiResponse(child, res, () => stderr);
  });
  server.keepAliveTimeout = 1000;

  const port = await freePort();
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

  return {
    port,
    url: (repo) => `http://${host}:${port}/${repo.endsWith('.git') ? repo : `${repo}.git`}`,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all(
        [...children].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
      await closed;
    },
  };
}

/** A git server over its own fresh temporary directory. */
export interface TempGitServer extends GitServer {
  /** Where the bare repositories live: pass it to {@link createRepo}. */
  readonly root: string;
}

/** Starts a git server over a new temporary directory (named `<prefix>…`); stop() also removes it. */
export async function startTempGitServer(prefix: string): Promise<TempGitServer> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  const removeRoot = () => rm(root, { recursive: true, force: true });
  const server = await startGitServer({ root }).catch(async (error: unknown) => {
    await removeRoot();
    throw error;
  });
  return {
    ...server,
    root,
    async stop() {
      await server.stop();
      await removeRoot();
    },
  };
}

/** Reads the CGI header block (`Status:` and friends), then streams the body. */
function pipeCgiResponse(child: ChildProcess, res: http.ServerResponse, stderr: () => string): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    const end = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf + 4 : lf !== -1 ? lf + 2 : -1;
    if (end === -1) return;
    child.stdout!.off('data', onData);
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    const rest = head.subarray(end);
    if (rest.length > 0) res.write(rest);
    child.stdout!.pipe(res);
  };
  child.stdout!.on('data', onData);
  child.once('close', (code) => {
    if (res.headersSent) return;
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(`git http-backend exited with ${code} before any response: ${stderr()}\n`);
  });
}

function authorised(header: string | undefined, expected: { username: string; password: string }): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'base64');
  const wanted = Buffer.from(`${expected.username}:${expected.password}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function gitHttpBackend(): Promise<string> {
  requireTool('git', ['--version'], 'Install git (Debian: apt-get install git).');
  const { stdout } = await run('git', ['--exec-path'], { env: gitEnv(process.env.HOME ?? '/') });
  return path.join(stdout.trim(), 'git-http-backend');
}

// ---------------------------------------------------------------------------------------------
// Repositories driven through the git CLI

export interface CommitAuthor {
  name: string;
  email: string;
  /** Author and committer date (git keeps seconds); now when absent. */
  date?: Date;
}

/**
 * How a commit is signed (`git commit -S`): the git configuration for it (gpg.format,
 * user.signingkey) and the environment the signing program needs (GNUPGHOME). See signing-keys.ts.
 */
export interface CommitSigning {
  config: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

export interface LocalRepo {
  name: string;
  /** A working clone; every change is pushed to `bareDir`, which the server serves. */
  workDir: string;
  bareDir: string;
  /**
   * Writes (string) or deletes (null) files, commits (signed when `signing` is given), pushes the
   * current branch; the new commit id.
   */
  commit(
    files: Record<string, string | null>,
    message: string,
    author?: CommitAuthor,
    signing?: CommitSigning,
  ): Promise<string>;
  /** Tags HEAD and pushes the tag (annotated when a message is given); moves an existing tag. */
  tag(name: string, message?: string): Promise<void>;
  deleteTag(name: string): Promise<void>;
  /** Creates (or resets) a branch at HEAD, switches to it and pushes it. */
  branch(name: string): Promise<void>;
  /** Switches to an existing branch. */
  checkout(name: string): Promise<void>;
  /** Deletes a branch on the served repository (switch away from it first). */
  deleteBranch(name: string): Promise<void>;
  /** The current commit id. */
  head(): Promise<string>;
}

const DEFAULT_AUTHOR = { name: 'Fleetwave Test', email: 'test@fleetwave.invalid' };

/**
 * A bare repository `<root>/<name>.git` (what a {@link GitServer} on `root` serves) and a working
 * clone under `<root>/.harness/work/<name>`. Branch `main`; no commits until the first commit().
 * The machine's git configuration is kept out: HOME points into the root, no system config.
 */
export async function createRepo(root: string, name: string): Promise<LocalRepo> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`invalid repository name "${name}"`);
  const base = name.replace(/\.git$/, '');
  const bareDir = path.join(path.resolve(root), `${base}.git`);
  const workDir = path.join(path.resolve(root), '.harness', 'work', base);
  const home = await harmlessHome(root);
  const env = gitEnv(home);

  const git = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}, author = DEFAULT_AUTHOR) => {
    const config = ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`];
    const flags = ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgSign=false', '-c', 'tag.gpgSign=false'];
    try {
      const { stdout } = await run('git', [...config, ...flags, ...args], {
        cwd: workDir,
        env: { ...env, ...extraEnv },
        maxBuffer: 16 * 1024 * 1024,
      });
      return stdout.trim();
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`git ${args.join(' ')} failed in ${workDir}: ${stderr.trim() || String(error)}`, {
        cause: error,
      });
    }
  };

  await rm(workDir, { recursive: true, force: true });
  await rm(bareDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  await git(['init', '--quiet', '--bare', '--initial-branch=main', bareDir]);
  await git(['init', '--quiet', '--initial-branch=main', '.']);
  await git(['remote', 'add', 'origin', bareDir]);
  // A person may commit and push from the working clone too (the demo prints how): its branch tracks
  // origin/main and it has an identity of its own, so a plain `git commit -am … && git push` works
  // there on a machine with no git configuration at all.
  for (const [key, value] of [
    ['branch.main.remote', 'origin'],
    ['branch.main.merge', 'refs/heads/main'],
    ['user.name', DEFAULT_AUTHOR.name],
    ['user.email', DEFAULT_AUTHOR.email],
    ['commit.gpgSign', 'false'],
  ]) {
    await git(['config', key!, value!]);
  }

  return {
    name: base,
    workDir,
    bareDir,
    async commit(files, message, author, signing) {
      for (const [file, content] of Object.entries(files)) {
        const target = path.resolve(workDir, file);
        if (!target.startsWith(workDir + path.sep)) throw new Error(`path outside the repository: ${file}`);
        if (content === null) {
          await rm(target, { force: true });
        } else {
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
      const dates: NodeJS.ProcessEnv = author?.date
        ? {
            GIT_AUTHOR_DATE: `@${Math.floor(author.date.getTime() / 1000)} +0000`,
            GIT_COMMITTER_DATE: `@${Math.floor(author.date.getTime() / 1000)} +0000`,
          }
        : {};
      await git(['add', '--all'], {}, author);
      // Signing settings through GIT_CONFIG_*: they go over the `-c commit.gpgSign=false` default.
      const sign: NodeJS.ProcessEnv = signing
        ? {
            ...signing.env,
            GIT_CONFIG_COUNT: String(Object.keys(signing.config).length),
            ...Object.fromEntries(
              Object.entries(signing.config).flatMap(([key, value], i) => [
                [`GIT_CONFIG_KEY_${i}`, key],
                [`GIT_CONFIG_VALUE_${i}`, value],
              ]),
            ),
          }
        : {};
      await git(
        ['commit', '--quiet', '--allow-empty', ...(signing ? ['-S'] : []), '--message', message],
        { ...dates, ...sign },
        author,
      );
      await git(['push', '--quiet', 'origin', 'HEAD']);
      return git(['rev-parse', 'HEAD']);
    },
    async tag(tagName, message) {
      const annotated = message === undefined ? [] : ['--annotate', '--message', message];
      await git(['tag', '--force', ...annotated, tagName]);
      await git(['push', '--quiet', '--force', 'origin', `refs/tags/${tagName}`]);
    },
    async deleteTag(tagName) {
      await git(['tag', '--delete', tagName]);
      await git(['push', '--quiet', 'origin', `:refs/tags/${tagName}`]);
    },
    async branch(branchName) {
      await git(['checkout', '--quiet', '-B', branchName]);
      await git(['push', '--quiet', '--force', 'origin', 'HEAD']);
    },
    async checkout(branchName) {
      await git(['checkout', '--quiet', branchName]);
    },
    async deleteBranch(branchName) {
      await git(['push', '--quiet', 'origin', `:refs/heads/${branchName}`]);
      await git(['branch', '--quiet', '--delete', '--force', branchName]).catch(() => undefined);
    },
    head: () => git(['rev-parse', 'HEAD']),
  };
}

/** The environment for git: nothing from the machine's or the user's git config, no prompts. */
function gitEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // GIT_DIR, GIT_WORK_TREE and friends (set when tests run from a git hook) would redirect git.
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
}

async function harmlessHome(root: string): Promise<string> {
  const home = path.join(path.resolve(root), '.harness', 'home');
  await mkdir(home, { recursive: true });
  return home;
}
