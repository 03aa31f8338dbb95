import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRepo, type LocalRepo, startTempGitServer } from './git-server.js';

const run = promisify(execFile);

describe('createRepo: the working clone a person is told to use', () => {
  let root: string;
  let home: string;
  let repo: LocalRepo;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fleetwave-git-'));
    home = await mkdtemp(path.join(tmpdir(), 'fleetwave-home-'));
    repo = await createRepo(root, 'fleet');
    await repo.commit({ 'apps/hello/config.yaml': 'greeting: hello\n' }, 'first');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('takes `git commit -am … && git push` as the demo prints it, with no git configuration at all', async () => {
    await writeFile(path.join(repo.workDir, 'apps/hello/config.yaml'), 'greeting: hi\n');
    // A fresh machine: an empty HOME and no system configuration (no identity, no push defaults).
    const env = { PATH: process.env['PATH'], HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    await run('sh', ['-c', "git commit -q -am 'my change' && git push -q"], { cwd: repo.workDir, env });

    const { stdout: pushed } = await run('git', ['--git-dir', repo.bareDir, 'log', '-1', '--format=%s'], {
      env,
    });
    expect(pushed.trim()).toBe('my change');
    const { stdout: content } = await run(
      'git',
      ['--git-dir', repo.bareDir, 'show', 'main:apps/hello/config.yaml'],
      {
        env,
      },
    );
    expect(content).toBe(await readFile(path.join(repo.workDir, 'apps/hello/config.yaml'), 'utf8'));
  });
});

describe('startTempGitServer: a git server over a directory of its own', () => {
  it('serves the repositories created under its root, and stop() removes the root', async () => {
    const git = await startTempGitServer('fleetwave-temp-git-');
    let stopped = false;
    try {
      expect(path.basename(git.root)).toMatch(/^fleetwave-temp-git-/);
      const repo = await createRepo(git.root, 'fleet');
      const commit = await repo.commit({ 'a.yaml': 'a: 1\n' }, 'first');
      const { stdout } = await run('git', ['ls-remote', git.url('fleet'), 'refs/heads/main']);
      expect(stdout.split('\t')[0]).toBe(commit);

      await git.stop();
      stopped = true;
      await expect(access(git.root)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      if (!stopped) await git.stop();
    }
  });
});
