import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, readConfig, writeConfig } from './file.js';

describe('the contexts file', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetctl-config-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is $FLEETCTL_CONFIG, else ~/.config/fleetctl/config.yaml', () => {
    expect(configPath({ FLEETCTL_CONFIG: '/etc/fc.yaml', HOME: '/home/a' })).toBe('/etc/fc.yaml');
    expect(configPath({ HOME: '/home/a' })).toBe('/home/a/.config/fleetctl/config.yaml');
  });

  it('reads a missing file as no contexts', async () => {
    expect(await readConfig(join(dir, 'missing.yaml'))).toEqual({ currentContext: null, contexts: [] });
  });

  it('writes the file (and its directory) for the owner only, and reads it back', async () => {
    const path = join(dir, 'nested', 'fleetctl', 'config.yaml');
    const config = {
      currentContext: 'dev',
      contexts: [{ name: 'dev', hub: 'http://h:8080', token: 'fwa_x' }],
    };
    await writeConfig(path, config);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested', 'fleetctl'))).mode & 0o777).toBe(0o700);
    expect(await readConfig(path)).toEqual(config);
    expect(await readFile(path, 'utf8')).toBe(
      'currentContext: dev\ncontexts:\n  - name: dev\n    hub: http://h:8080\n    token: fwa_x\n',
    );
  });

  it('makes an existing, wider file owner-only when it rewrites it', async () => {
    const path = join(dir, 'config.yaml');
    await writeFile(path, 'contexts: []\n', { mode: 0o644 });
    await writeConfig(path, { currentContext: null, contexts: [] });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('names the file when it is invalid', async () => {
    const path = join(dir, 'config.yaml');
    await writeFile(path, 'current-context: x\n');
    await expect(readConfig(path)).rejects.toThrow(`${path}: unknown field "current-context"`);
  });
});
