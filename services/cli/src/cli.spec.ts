import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './cli.js';
import { VERSION } from './version.js';

/** fleetctl in-process against a contexts file in a temp dir; nothing here talks to a hub. */
describe('fleetctl without a hub', () => {
  let dir: string;
  let configFile: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetctl-cli-'));
    configFile = join(dir, 'config.yaml');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fleetctl(...argv: string[]) {
    const out = { stdout: '', stderr: '' };
    const code = await run(argv, {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: { FLEETCTL_CONFIG: configFile, HOME: dir },
    });
    return { code, ...out };
  }

  it('prints help and the version with exit 0', async () => {
    const help = await fleetctl('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: fleetctl');
    for (const group of [
      'config',
      'clusters',
      'tokens',
      'api-tokens',
      'apps',
      'rollouts',
      'status',
      'fleet',
      'notifications',
    ])
      expect(help.stdout).toContain(group);
    expect(await fleetctl('--version')).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const rollouts = await fleetctl('rollouts', '--help');
    for (const verb of [
      'preview',
      'start',
      'list',
      'get',
      'watch',
      'wait',
      'approve',
      'pause',
      'resume',
      'abort',
    ]) {
      expect(rollouts.stdout).toContain(verb);
    }
    for (const verb of ['rollback', 'retry', 'skip']) expect(rollouts.stdout).toContain(verb);
  });

  it.each([
    [['nope'], "error: unknown command 'nope' (USAGE)\n"],
    [['clusters', 'lst'], "error: unknown command 'lst' (Did you mean one of list, ls?) (USAGE)\n"],
    [['clusters', 'list', '--colour'], "error: unknown option '--colour' (USAGE)\n"],
    [
      ['clusters', 'list', '-o', 'wide'],
      "error: option '-o, --output <format>' argument 'wide' is invalid. Allowed choices are table, json, yaml. (USAGE)\n",
    ],
    [['rollouts', 'wait'], "error: missing required argument 'id' (USAGE)\n"],
    [
      ['apps', 'create', 'web', '--ref', 'main'],
      "error: required option '--repo <url>' not specified (USAGE)\n",
    ],
    [
      ['apps', 'update', 'web'],
      'error: nothing to update: give a setting to change (--project, --health-check-file, --recreate, --verify, --no-verify, --plan-file, --window, --clear-windows) (USAGE)\n',
    ],
    [
      ['apps', 'create', 'web', '--repo', 'https://git.test/a.git', '--ref', 'main', '--verify', 'ssh'],
      'error: --verify ssh needs --trusted-keys-file (USAGE)\n',
    ],
    [
      ['apps', 'update', 'web', '--verify', 'x509'],
      "error: option '--verify <mode>' argument 'x509' is invalid. Allowed choices are gpg, ssh. (USAGE)\n",
    ],
    [
      ['apps', 'update', 'web', '--no-verify', '--trusted-keys-file', 'keys.pub'],
      'error: --trusted-keys-file: cannot read keys.pub',
    ],
    [
      ['apps', 'create', 'web', '--repo', 'https://git.test/a.git', '--ref', 'main', '--chart', 'web'],
      'error: --chart-repository and --chart go together (USAGE)\n',
    ],
    [
      ['apps', 'create', 'web', '--repo', 'https://git.test/a.git', '--ref', 'main', '--chart-version', '^1'],
      'error: --chart-version and --chart-credentials-ref need --chart-repository and --chart (USAGE)\n',
    ],
    [
      ['apps', 'update', 'web', '--recreate', 'sometimes'],
      "error: option '--recreate <policy>' argument 'sometimes' is invalid. Allowed choices are never, annotated, always. (USAGE)\n",
    ],
    [['clusters', 'label', 'c1', 'env'], 'error: invalid label "env": expected key=value or key- (USAGE)\n'],
    [
      ['rollouts', 'wait', 'r-1', '--timeout', 'soon'],
      'error: invalid --timeout "soon": expected e.g. 90s, 10m, 1h30m, 7d (USAGE)\n',
    ],
    [['rollouts', 'list', '--state', 'Running'], 'error: unknown rollout state "Running"'],
    [['tokens', 'create', '--max-uses', '0'], 'error: --max-uses must be from 1 to'],
    [['api-tokens', 'create', 'ci'], "error: required option '--role <role>' not specified (USAGE)\n"],
    [
      ['api-tokens', 'create', 'ci', '--role', 'root'],
      "error: option '--role <role>' argument 'root' is invalid. Allowed choices are admin, operator, viewer. (USAGE)\n",
    ],
    [
      ['api-tokens', 'create', 'ci', '--role', 'viewer', '--expires-in', 'soon'],
      'error: invalid --expires-in "soon"',
    ],
    [
      ['apps', 'update', 'web', '--window', 'deny 0 18 * * 5 62h', '--clear-windows'],
      'error: give --window or --clear-windows, not both (USAGE)\n',
    ],
    [['apps', 'update', 'web', '--window', 'sometimes'], 'error: invalid --window "sometimes": starts with'],
    [
      ['notifications', 'subscriptions', 'create', '--url', 'https://hooks.test/x'],
      "error: required option '--kind <kinds>' not specified (USAGE)\n",
    ],
    [
      [
        'notifications',
        'subscriptions',
        'create',
        '--kind',
        'rolloutFailed',
        '--url',
        'https://hooks.test/x',
      ],
      'error: a webhook target signs its bodies: give --secret-file or --secret-env (USAGE)\n',
    ],
    [
      ['notifications', 'subscriptions', 'create', '--kind', 'rolloutFailed', '--target', 'email'],
      "error: option '--target <kind>' argument 'email' is invalid. Allowed choices are webhook, slack. (USAGE)\n",
    ],
    [['notifications', 'deliveries', 'sub-1', '--limit', '500'], 'error: --limit must be from 1 to 200'],
  ])('refuses %j with one line on stderr and exit 1', async (argv, message) => {
    const result = await fleetctl(...argv);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('says how to configure a hub when there is none', async () => {
    const result = await fleetctl('clusters', 'list');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: no hub configured: run "fleetctl config set-context NAME --hub URL --token TOKEN", or pass --hub (or FLEETCTL_HUB) (CONFIG)\n',
    );
  });

  it('manages contexts in an owner-only file and never prints a token', async () => {
    expect(
      await fleetctl(
        'config',
        'set-context',
        'dev',
        '--hub',
        'http://127.0.0.1:8080',
        '--token',
        'fwa_dev_secret',
      ),
    ).toMatchObject({
      code: 0,
      stdout: 'context "dev" created\n',
    });
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    expect(
      await fleetctl(
        'config',
        'set-context',
        'prod',
        '--hub',
        'https://hub.example',
        '--token',
        'fwa_prod_secret',
      ),
    ).toMatchObject({ code: 0 });
    expect((await fleetctl('config', 'current-context')).stdout).toBe('dev\n');
    expect((await fleetctl('config', 'use-context', 'prod')).stdout).toBe('switched to context "prod"\n');
    expect((await fleetctl('config', 'current-context')).stdout).toBe('prod\n');
    expect(await fleetctl('config', 'set-context', 'dev', '--token', 'fwa_dev_rotated')).toMatchObject({
      stdout: 'context "dev" modified\n',
    });

    const table = await fleetctl('config', 'get-contexts');
    expect(table.stdout).toBe(
      [
        'CURRENT   NAME   HUB                     TOKEN',
        '          dev    http://127.0.0.1:8080   ***',
        '*         prod   https://hub.example     ***',
        '',
      ].join('\n'),
    );
    const json = await fleetctl('config', 'get-contexts', '-o', 'json');
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'dev', hub: 'http://127.0.0.1:8080', token: '***', current: false },
      { name: 'prod', hub: 'https://hub.example', token: '***', current: true },
    ]);
    const yaml = await fleetctl('config', 'get-contexts', '-o', 'yaml');
    for (const output of [table, json, yaml]) expect(output.stdout).not.toMatch(/fwa_/);
    expect(await readFile(configFile, 'utf8')).toContain('token: fwa_dev_rotated');

    expect((await fleetctl('config', 'delete-context', 'prod')).code).toBe(0);
    expect(await fleetctl('config', 'current-context')).toMatchObject({
      code: 1,
      stderr: `error: no current context in ${configFile} (CONFIG)\n`,
    });
  });

  it('refuses to use an unknown context', async () => {
    const result = await fleetctl('config', 'use-context', 'nope');
    expect(result).toMatchObject({
      code: 1,
      stderr: 'error: no context is named "nope" (see fleetctl config get-contexts) (CONFIG)\n',
    });
  });

  it('prints the stack trace only with --debug', async () => {
    const plain = await fleetctl('--hub', 'ftp://hub', 'clusters', 'list');
    expect(plain.stderr).toBe(
      'error: invalid hub URL "ftp://hub": the scheme must be http or https (CONFIG)\n',
    );
    const debug = await fleetctl('--debug', '--hub', 'ftp://hub', 'clusters', 'list');
    expect(debug.code).toBe(1);
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr.trimEnd());
    expect(debug.stderr).toContain('    at ');
  });
});
