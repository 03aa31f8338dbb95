import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { firstLines, masker, SandboxToolRunner, type SandboxSettings } from './tool-runner.js';

let scripts: string;
let sandboxDir: string;

/** A fake tool: a shell script run as `kustomize` through the binaries setting. */
async function tool(name: string, body: string): Promise<string> {
  const file = path.join(scripts, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

function runner(binary: string, settings: Partial<SandboxSettings> = {}): SandboxToolRunner {
  return new SandboxToolRunner({
    dir: sandboxDir,
    timeoutMs: 30_000,
    maxOutputBytes: 1024 * 1024,
    concurrency: 4,
    binaries: { helm: '/nonexistent/helm', kustomize: binary },
    ...settings,
  });
}

/** Gone, or a zombie waiting for a parent that will never reap it (a container's PID 1 may not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** SIGKILL is delivered asynchronously: waits (bounded) until the process is gone. */
async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

beforeAll(async () => {
  scripts = await mkdtemp(path.join(os.tmpdir(), 'tool-runner-scripts-'));
});

afterEach(async () => {
  if (sandboxDir !== undefined) await rm(sandboxDir, { recursive: true, force: true });
});

beforeEach(async () => {
  sandboxDir = await mkdtemp(path.join(os.tmpdir(), 'tool-runner-sandbox-'));
});

afterAll(async () => {
  await rm(scripts, { recursive: true, force: true });
});

describe('SandboxToolRunner.run', () => {
  it('returns the standard output of a tool that succeeds, run in the directory given', async () => {
    const tools = runner(await tool('ok.sh', 'echo "in $(pwd)"; echo "args: $*"'));
    await tools.inWorkdir(async (dir) => {
      const out = await tools.run('kustomize', ['build', 'x y'], { cwd: dir });
      expect(out).toEqual({ ok: true, stdout: `in ${dir}\nargs: build x y\n` });
    });
  });

  it('the timeout kills the whole process tree: the tool and what it started', async () => {
    // The tool starts a grandchild and waits for it; both write their pids first.
    const tools = runner(
      await tool(
        'hang.sh',
        'sleep 300 &\necho $! > "$HOME/grandchild.pid"\necho $$ > "$HOME/child.pid"\nwait',
      ),
      { timeoutMs: 1_500 },
    );
    await tools.inWorkdir(async (dir) => {
      const out = await tools.run('kustomize', [], { cwd: dir });
      expect(out).toEqual({
        ok: false,
        reason: 'timeout',
        message: 'kustomize did not finish within 1.5 s (stopped)',
      });
      const child = Number(await readFile(path.join(dir, 'child.pid'), 'utf8'));
      const grandchild = Number(await readFile(path.join(dir, 'grandchild.pid'), 'utf8'));
      expect(await gone(child)).toBe(true);
      expect(await gone(grandchild)).toBe(true);
    });
  });

  it('a grandchild left running by a tool that exits is killed too', async () => {
    // Its output is redirected: one that kept the tool's stdout open would hold the run until the
    // timeout (the runner resolves on 'close', which waits for every holder of the pipes).
    const tools = runner(await tool('leave.sh', 'sleep 300 >/dev/null 2>&1 &\necho $!'));
    await tools.inWorkdir(async (dir) => {
      const out = await tools.run('kustomize', [], { cwd: dir });
      if (!out.ok) throw new Error(out.message);
      expect(await gone(Number(out.stdout))).toBe(true);
    });
  });

  it('refuses output beyond the limit and stops the tool (which would write forever)', async () => {
    const tools = runner(await tool('flood.sh', 'while :; do echo 0123456789abcdef; done'), {
      maxOutputBytes: 64 * 1024,
    });
    await tools.inWorkdir(async (dir) => {
      expect(await tools.run('kustomize', [], { cwd: dir })).toEqual({
        ok: false,
        reason: 'too-large',
        message: `kustomize wrote more than ${64 * 1024} bytes (the render output limit; stopped)`,
      });
    });
  });

  it("gives the child none of the hub's environment: only what the sandbox sets and what the run adds", async () => {
    const secrets = {
      HUB_BOOTSTRAP_ADMIN_TOKEN: 'bootstrap-token-4f1d9c',
      HUB_DATABASE_URL: 'postgres://hub:db-password-77a1@db/hub',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-0b9e',
    };
    Object.assign(process.env, secrets);
    try {
      const tools = runner(await tool('env.sh', 'env'));
      await tools.inWorkdir(async (dir) => {
        const out = await tools.run('kustomize', [], { cwd: dir, env: { EXTRA: 'given' } });
        if (!out.ok) throw new Error(out.message);
        for (const [name, value] of Object.entries(secrets)) {
          expect(out.stdout).not.toContain(name);
          expect(out.stdout).not.toContain(value);
        }
        const names = out.stdout
          .trim()
          .split('\n')
          .map((line) => line.slice(0, line.indexOf('=')))
          // What the shell itself sets.
          .filter((name) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(name));
        expect(names.sort()).toEqual(
          [
            'EXTRA',
            'HELM_CACHE_HOME',
            'HELM_CONFIG_HOME',
            'HELM_DATA_HOME',
            'HOME',
            'LANG',
            'PATH',
            'TMPDIR',
            'XDG_CACHE_HOME',
          ].sort(),
        );
        expect(out.stdout).toContain(`HOME=${dir}\n`);
      });
    } finally {
      for (const name of Object.keys(secrets)) delete process.env[name];
    }
  });

  it("a failing tool: its first error lines, with the run's secrets masked (also URL-encoded)", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `echo "line ${i + 1}" >&2`).join('\n');
    const tools = runner(
      await tool(
        'fail.sh',
        'echo "Error: 401 from https://user:p%40ss-w0rd@charts.example/index.yaml (token s3cr3t-tok)" >&2\n' +
          `${lines}\nexit 3`,
      ),
    );
    await tools.inWorkdir(async (dir) => {
      const out = await tools.run('kustomize', [], { cwd: dir, secrets: ['p@ss-w0rd', 's3cr3t-tok'] });
      expect(out).toEqual({
        ok: false,
        reason: 'exit',
        message: [
          'Error: 401 from https://user:***@charts.example/index.yaml (token ***)',
          ...Array.from({ length: 7 }, (_, i) => `line ${i + 1}`),
        ].join('\n'),
      });
    });
  });

  it('a failing tool that says nothing: its exit code', async () => {
    const tools = runner(await tool('silent.sh', 'exit 4'));
    await tools.inWorkdir(async (dir) => {
      expect(await tools.run('kustomize', [], { cwd: dir })).toEqual({
        ok: false,
        reason: 'exit',
        message: 'kustomize exited with 4',
      });
    });
  });

  it('a binary that cannot be started', async () => {
    const tools = runner(path.join(scripts, 'missing-binary'));
    await tools.inWorkdir(async (dir) => {
      const out = await tools.run('kustomize', [], { cwd: dir });
      expect(out).toMatchObject({ ok: false, reason: 'spawn' });
      expect(out.ok || out.message).toMatch(/^kustomize could not be started: .*ENOENT/);
    });
  });
});

describe('SandboxToolRunner.inWorkdir', () => {
  it('gives a private empty directory under the sandbox dir and removes it afterwards, also on failure', async () => {
    const tools = runner('/bin/true');
    let seen = '';
    await expect(
      tools.inWorkdir(async (dir) => {
        seen = dir;
        expect(path.dirname(path.dirname(dir))).toBe(sandboxDir);
        await writeFile(path.join(dir, 'left-behind'), 'x');
        throw new Error('render failed');
      }),
    ).rejects.toThrow('render failed');
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
  });

  it('runs at most `concurrency` renders at once; the others wait their turn, in order', async () => {
    const tools = runner('/bin/true', { concurrency: 2 });
    const releases: (() => void)[] = [];
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const renders = [0, 1, 2, 3, 4].map((i) =>
      tools.inWorkdir(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return i;
      }),
    );
    const startedCount = async (n: number) => {
      while (started.length < n) await new Promise((resolve) => setImmediate(resolve));
    };

    await startedCount(2);
    expect(started).toEqual([0, 1]);
    // Each render that ends lets exactly the next waiting one in.
    for (let n = 3; n <= 5; n++) {
      releases.shift()!();
      await startedCount(n);
      expect(running).toBe(2);
    }
    while (releases.length > 0) releases.shift()!();
    expect(await Promise.all(renders)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});

describe('masker', () => {
  it.each([
    ['a secret', ['hunter22'], 'password hunter22 rejected', 'password *** rejected'],
    ['its URL-encoded form', ['p@ss/word'], 'https://u:p%40ss%2Fword@host', 'https://u:***@host'],
    ['the longer of overlapping secrets first', ['abc', 'abcdef'], 'x abcdef y abc', 'x *** y ***'],
    ['every occurrence', ['tok'], 'tok tok', '*** ***'],
    ['nothing for secrets shorter than 3 characters', ['ab'], 'ab cd', 'ab cd'],
    ['nothing without secrets', [], 'plain', 'plain'],
  ])('masks %s', (_case, secrets, text, expected) => {
    expect(masker(secrets)(text)).toBe(expected);
  });
});

describe('firstLines', () => {
  it('keeps the first non-empty lines, trimmed at the end', () => {
    expect(firstLines('\n  a  \n\nb\n c\n', 2)).toBe('  a\nb');
  });
});
