import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';

/** The binaries renderers may run; each resolved from the hub's settings, never from the source. */
export type ToolName = 'helm' | 'kustomize';

export type ToolOutput =
  | { ok: true; stdout: string }
  | {
      ok: false;
      /** `exit`: the tool failed; `timeout`/`too-large`: the sandbox stopped it; `spawn`: it never ran. */
      reason: 'exit' | 'timeout' | 'too-large' | 'spawn';
      /** The tool's first error lines (or the sandbox's reason), secrets masked. */
      message: string;
    };

export interface ToolRunOptions {
  /** Inside the work directory {@link ToolRunner.inWorkdir} gave. */
  cwd: string;
  /** Extra environment for this run (e.g. registry config paths); never the hub's own. */
  env?: Readonly<Record<string, string>>;
  /** Strings replaced by `***` in any message (credentials the run was given). */
  secrets?: readonly string[];
}

/** Runs renderer tools in a sandbox: see {@link SandboxToolRunner}. */
export interface ToolRunner {
  /** A private, empty directory for one render, removed when `work` settles; at most N at once. */
  inWorkdir<T>(work: (dir: string) => Promise<T>): Promise<T>;
  run(tool: ToolName, args: readonly string[], options: ToolRunOptions): Promise<ToolOutput>;
}

export interface SandboxSettings {
  /** Where work directories and the tools' caches live (under the hub's data dir). */
  dir: string;
  /** The whole process tree is killed after this long. */
  timeoutMs: number;
  /** Standard output beyond this is refused (and the tree killed). */
  maxOutputBytes: number;
  /** Renders running at once; more wait their turn. */
  concurrency: number;
  binaries: Readonly<Record<ToolName, string>>;
}

/** How many error lines of a failing tool a message keeps. */
const ERROR_LINES = 8;
const MAX_STDERR_BYTES = 64 * 1024;

/**
 * Child processes with nothing of the hub's: a private temporary directory per render, an
 * environment built from scratch (PATH, a private HOME, the tools' caches under `dir`; no hub
 * secret can leak into a chart's `lookup` or a plugin), a timeout that kills the whole process
 * group, an output-size limit, and a concurrency limit.
 */
export class SandboxToolRunner implements ToolRunner {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly settings: SandboxSettings) {}

  async inWorkdir<T>(work: (dir: string) => Promise<T>): Promise<T> {
    await this.acquire();
    let dir: string | undefined;
    try {
      await mkdir(path.join(this.settings.dir, 'work'), { recursive: true });
      dir = await mkdtemp(path.join(this.settings.dir, 'work', 'render-'));
      return await work(dir);
    } finally {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      this.release();
    }
  }

  run(tool: ToolName, args: readonly string[], options: ToolRunOptions): Promise<ToolOutput> {
    const mask = masker(options.secrets ?? []);
    const { timeoutMs, maxOutputBytes } = this.settings;
    return new Promise<ToolOutput>((resolve) => {
      const child = spawn(this.settings.binaries[tool], args, {
        cwd: options.cwd,
        env: { ...this.baseEnv(options.cwd), ...options.env },
        // Its own process group, so a timeout kills what it started too.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let stdoutBytes = 0;
      let stderrBytes = 0;
      let stopped: 'timeout' | 'too-large' | undefined;
      const killTree = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      };
      const timer = setTimeout(() => {
        stopped ??= 'timeout';
        killTree();
      }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (stdoutBytes > maxOutputBytes) {
          stopped ??= 'too-large';
          killTree();
        } else stdout.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderrBytes < MAX_STDERR_BYTES) stderr.push(chunk);
        stderrBytes += chunk.length;
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({
          ok: false,
          reason: 'spawn',
          message: mask(`${tool} could not be started: ${error.message}`),
        });
      });
      // A background process the tool left holding its stdout would keep 'close' from firing until
      // the timeout: the render is over when the tool exits, and nothing of it may outlive that.
      child.on('exit', killTree);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        // The group may have outlived its leader (a plugin left running): nothing of a render survives it.
        killTree();
        if (stopped === 'timeout') {
          resolve({
            ok: false,
            reason: 'timeout',
            message: `${tool} did not finish within ${timeoutMs / 1000} s (stopped)`,
          });
        } else if (stopped === 'too-large') {
          resolve({
            ok: false,
            reason: 'too-large',
            message: `${tool} wrote more than ${maxOutputBytes} bytes (the render output limit; stopped)`,
          });
        } else if (code !== 0) {
          const lines = firstLines(Buffer.concat(stderr).toString('utf8'));
          resolve({
            ok: false,
            reason: 'exit',
            message: mask(lines || `${tool} exited with ${code ?? signal}`),
          });
        } else resolve({ ok: true, stdout: Buffer.concat(stdout).toString('utf8') });
      });
    });
  }

  /** Built from nothing but PATH: HOME and every cache a tool might write go under the sandbox. */
  private baseEnv(cwd: string): Record<string, string> {
    const cache = path.join(this.settings.dir, 'cache');
    return {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: cwd,
      LANG: 'C.UTF-8',
      TMPDIR: cwd,
      XDG_CACHE_HOME: cache,
      HELM_CACHE_HOME: path.join(cache, 'helm'),
      HELM_CONFIG_HOME: path.join(cwd, '.helm-config'),
      HELM_DATA_HOME: path.join(cwd, '.helm-data'),
    };
  }

  private async acquire(): Promise<void> {
    if (this.running < this.settings.concurrency) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/** The first non-empty lines of a tool's error output. */
export function firstLines(text: string, count = ERROR_LINES): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(0, count)
    .join('\n');
}

/** Replaces each secret (and its URL-encoded form) by `***`. */
export function masker(secrets: readonly string[]): (text: string) => string {
  const needles = [
    ...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s)]).filter((s) => s.length >= 3)),
  ].sort((a, b) => b.length - a.length);
  return (text) => needles.reduce((out, needle) => out.split(needle).join('***'), text);
}
