import { DomainError } from '../common/domain-error.js';
import { checkTrustedKeys, mergeApplicationUpdate, parseCreateApplication } from './application-input.js';

const valid = {
  name: 'web',
  repoUrl: 'https://git.example.com/platform/web.git',
  ref: 'main',
  plan: { waves: [{ name: 'canary', selector: 'env=staging' }] },
};

const widgetRule = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  current: "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
};

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('parseCreateApplication', () => {
  it('fills safe defaults', () => {
    const { name, spec } = parseCreateApplication(valid);
    expect(name).toBe('web');
    expect(spec).toMatchObject({
      credentialsRef: null,
      path: '',
      targetSelector: '',
      renderer: 'auto',
      values: {},
      valuesFiles: [],
      valuesRules: [],
      helm: { releaseName: null, includeCRDs: true },
      syncPolicy: 'auto',
      pollIntervalSeconds: 60,
      defaultNamespace: null,
      prune: true,
      joinPolicy: 'wave',
      allowEmpty: false,
      healthChecks: [],
      recreate: 'annotated',
    });
    expect(spec.plan.waves[0]).toMatchObject({ name: 'canary', maxConcurrency: 1, failureBudget: 0 });
    expect(spec.plan.autoRollback).toBe(false);
  });

  it('takes structured values: nested maps, lists, nulls, any key names, multi-line strings', () => {
    const values = { image: { repository: 'nginx', tag: '1.27' }, 'a b': [1, { c: null }], script: 'a\nb' };
    const { spec } = parseCreateApplication({
      ...valid,
      values,
      valuesFiles: ['./values/prod.yaml'],
      valuesRules: [{ selector: 'env=prod', values: { image: { tag: '1.28' } } }],
      helm: { releaseName: 'web-prod' },
    });
    expect(spec.values).toEqual(values);
    expect(spec.valuesFiles).toEqual(['values/prod.yaml']);
    expect(spec.valuesRules[0]!.values).toEqual({ image: { tag: '1.28' } });
    expect(spec.helm).toEqual({ releaseName: 'web-prod', includeCRDs: true });
  });

  it('normalises the path', () => {
    expect(parseCreateApplication({ ...valid, path: './deploy/base/' }).spec.path).toBe('deploy/base');
  });

  it.each([
    ['an upper-case name', { name: 'Web' }, /name: must be a lowercase DNS-1123 label/],
    [
      'an ssh URL',
      { repoUrl: 'git@example.com:a/b.git' },
      /repoUrl: must be an http:\/\/ or https:\/\/ git URL/,
    ],
    [
      'credentials in the URL',
      { repoUrl: 'https://bob:s3cret@example.com/a.git' },
      /repoUrl: must not contain credentials/,
    ],
    [
      'a bad target selector',
      { targetSelector: 'env in (a' },
      /targetSelector: invalid selector at position \d+/,
    ],
    [
      'a bad values selector',
      { valuesRules: [{ selector: '!!', values: {} }] },
      /valuesRules\.0\.selector: invalid selector/,
    ],
    ['values that are not an object', { values: [1, 2] }, /values: /],
    [
      'values nested too deep',
      { values: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) as unknown },
      /values: (a: )+nests deeper than 32 levels/,
    ],
    [
      'values too large',
      { valuesRules: [{ selector: '', values: { blob: 'x'.repeat(70_000) } }] },
      /valuesRules\.0\.values: must be at most 65536 bytes as JSON/,
    ],
    ['an unknown renderer', { renderer: 'jsonnet' }, /renderer: /],
    [
      'a values file escaping the repo',
      { valuesFiles: ['../secrets.yaml'] },
      /valuesFiles\.0: must not contain/,
    ],
    [
      'a release name that is not a DNS label',
      { helm: { releaseName: 'Web_App' } },
      /helm\.releaseName: must be a lowercase DNS-1123 label/,
    ],
    ['a path escaping the repo', { path: 'deploy/../../etc' }, /path: must not contain "\.\." segments/],
    ['an unknown field', { colour: 'blue' }, /Unrecognized key/],
    ['a too short poll interval', { pollIntervalSeconds: 1 }, /pollIntervalSeconds/],
    ['an unknown sync policy', { syncPolicy: 'sometimes' }, /syncPolicy/],
    [
      'a health rule with a syntax error, naming its index, field and position',
      { healthChecks: [widgetRule, { ...widgetRule, kind: 'Gadget', failed: "status.phase == 'x' &&" }] },
      /^INVALID_ARGUMENT: invalid application: healthChecks\.1\.failed: line 1, column 23: Unexpected token: EOF$/,
    ],
    [
      'a health rule that can never be a bool',
      { healthChecks: [{ ...widgetRule, inProgress: 'size(status.conditions)' }] },
      /healthChecks\.0\.inProgress: must evaluate to a bool, not int$/,
    ],
    [
      'a type error in a health rule',
      { healthChecks: [{ ...widgetRule, current: "status.ready && 'yes'" }] },
      /healthChecks\.0\.current: line 1, column 1: Logical operator requires bool operands, got 'string'$/,
    ],
    [
      'a health rule without current',
      { healthChecks: [{ apiVersion: 'v1', kind: 'W' }] },
      /healthChecks\.0\.current/,
    ],
    [
      'a misspelt health rule field',
      { healthChecks: [{ ...widgetRule, inprogress: 'true' }] },
      /healthChecks\.0: Unrecognized key: "inprogress"/,
    ],
    [
      'two health rules for one kind',
      { healthChecks: [widgetRule, { ...widgetRule, apiVersion: 'example.com/v2' }] },
      /healthChecks\.1\.kind: healthChecks\[0\] already judges example\.com\/Widget/,
    ],
    [
      'more than 50 health rules',
      { healthChecks: Array.from({ length: 51 }, (_, i) => ({ ...widgetRule, kind: `W${i}` })) },
      /healthChecks: Too big/,
    ],
    [
      'a bad plan',
      { plan: { waves: [{ name: 'a', selector: 'x=', maxConcurrency: 0 }] } },
      /invalid wave plan: /,
    ],
  ])('rejects %s with INVALID_ARGUMENT naming the field', (_, change, expected) => {
    const message = problem(() => parseCreateApplication({ ...valid, ...change }));
    expect(message).toMatch(/^INVALID_ARGUMENT: /);
    expect(message).toMatch(expected);
  });

  it('never echoes the password of a URL it refuses', () => {
    const message = problem(() =>
      parseCreateApplication({ ...valid, repoUrl: 'https://bob:s3cret@example.com/a.git' }),
    );
    expect(message).not.toContain('s3cret');
  });
});

describe('mergeApplicationUpdate', () => {
  const { spec } = parseCreateApplication(valid);

  it('changes only the given fields', () => {
    const next = mergeApplicationUpdate(spec, { ref: 'v1.x', syncPolicy: 'manual' });
    expect(next).toEqual({ ...spec, ref: 'v1.x', syncPolicy: 'manual' });
  });

  it('changes the join policy, and only to a known one', () => {
    expect(mergeApplicationUpdate(spec, { joinPolicy: 'settled' }).joinPolicy).toBe('settled');
    expect(problem(() => mergeApplicationUpdate(spec, { joinPolicy: 'later' }))).toMatch(/joinPolicy/);
  });

  it('switches allowEmpty, and only to a boolean', () => {
    expect(mergeApplicationUpdate(spec, { allowEmpty: true }).allowEmpty).toBe(true);
    expect(problem(() => mergeApplicationUpdate(spec, { allowEmpty: 'yes' }))).toMatch(
      /INVALID_ARGUMENT: .*allowEmpty/,
    );
  });

  it('sets the recreate policy, and only to a known one', () => {
    expect(parseCreateApplication({ ...valid, recreate: 'never' }).spec.recreate).toBe('never');
    expect(mergeApplicationUpdate(spec, { recreate: 'always' }).recreate).toBe('always');
    expect(mergeApplicationUpdate(spec, {}).recreate).toBe('annotated');
    expect(problem(() => mergeApplicationUpdate(spec, { recreate: 'sometimes' }))).toMatch(
      /INVALID_ARGUMENT: .*recreate: Invalid option: expected one of "never"\|"annotated"\|"always"/,
    );
    expect(problem(() => parseCreateApplication({ ...valid, recreate: null }))).toMatch(
      /INVALID_ARGUMENT: .*recreate/,
    );
  });

  it('can clear nullable fields', () => {
    const withRef = mergeApplicationUpdate(spec, { credentialsRef: 'github-bot' });
    expect(mergeApplicationUpdate(withRef, { credentialsRef: null }).credentialsRef).toBeNull();
  });

  describe('planWindows', () => {
    const allow = { kind: 'allow', schedule: '0 8 * * *', duration: '8h', timeZone: 'UTC' };
    const deny = { kind: 'deny', schedule: '0 18 * * 5', duration: '2d14h' };
    const current = mergeApplicationUpdate(spec, {
      plan: { waves: [{ name: 'canary', selector: 'tier=canary' }], autoRollback: false, windows: [allow] },
    });

    const text = (w: { kind: string; schedule: string; duration: string }) =>
      `${w.kind} ${w.schedule} ${w.duration}`;
    it.each<[string, Record<string, unknown>, string[] | undefined]>([
      ['replaces the windows of the plan as it is', { planWindows: [deny] }, [text(deny)]],
      ['removes them with an empty list', { planWindows: [] }, undefined],
      [
        'applies onto a plan given with it',
        {
          plan: {
            autoRollback: false,
            waves: [{ name: 'canary', selector: 'tier=canary' }],
            windows: [allow],
          },
          planWindows: [deny, allow],
        },
        [text(deny), text(allow)],
      ],
    ])('%s, keeping every other setting', (_name, input, windows) => {
      const next = mergeApplicationUpdate(current, input).plan;
      expect(next.windows?.map(text)).toEqual(windows);
      expect(next.waves).toEqual(current.plan.waves);
      expect(next.autoRollback).toBe(false);
    });

    it('refuses a bad window naming it, and null', () => {
      expect(
        problem(() =>
          mergeApplicationUpdate(current, { planWindows: [{ ...deny, timeZone: 'Europe/Atlantis' }] }),
        ),
      ).toMatch(/invalid wave plan: windows\[0\]\.timeZone: unknown-time-zone/);
      expect(problem(() => mergeApplicationUpdate(current, { planWindows: null }))).toMatch(
        /INVALID_ARGUMENT: .*planWindows/,
      );
    });
  });

  it('validates a new plan', () => {
    expect(problem(() => mergeApplicationUpdate(spec, { plan: { waves: 'all' } }))).toMatch(
      /invalid wave plan/,
    );
  });

  it('sets health rules, keeping them as written, and clears them with an empty list', () => {
    const rules = [
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        current: "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
        failed: "status.?phase.orValue('') == 'Broken'",
      },
    ];
    const next = mergeApplicationUpdate(spec, { healthChecks: rules });
    expect(next.healthChecks).toEqual(rules);
    expect(mergeApplicationUpdate(next, { healthChecks: [] }).healthChecks).toEqual([]);
    expect(mergeApplicationUpdate(next, { ref: 'v2' }).healthChecks).toEqual(rules);
  });

  it('refuses a bad health rule on update and leaves the spec as it was', () => {
    const before = structuredClone(spec);
    expect(
      problem(() =>
        mergeApplicationUpdate(spec, {
          healthChecks: [{ apiVersion: 'example.com/v1', kind: 'Widget', current: 'status.ready ==' }],
        }),
      ),
    ).toBe(
      'INVALID_ARGUMENT: invalid application: healthChecks.0.current: line 1, column 16: Unexpected token: EOF',
    );
    expect(spec).toEqual(before);
  });

  it('refuses the name (it is the identity)', () => {
    expect(problem(() => mergeApplicationUpdate(spec, { name: 'other' }))).toMatch(/Unrecognized key/);
  });
});

describe('the chart setting (a chart from a Helm repository or OCI registry)', () => {
  const chart = { repository: 'https://charts.acme.test/stable', name: 'web', version: '^1.0.0' };

  it('is null unless given, and fills its defaults', () => {
    expect(parseCreateApplication(valid).spec.chart).toBeNull();
    expect(
      parseCreateApplication({ ...valid, chart: { repository: 'oci://r.acme.test/charts', name: 'web' } })
        .spec.chart,
    ).toEqual({
      repository: 'oci://r.acme.test/charts',
      name: 'web',
      version: '*',
      credentialsRef: null,
    });
    expect(
      parseCreateApplication({ ...valid, chart: { ...chart, credentialsRef: 'charts-bot' } }).spec.chart,
    ).toEqual({
      ...chart,
      credentialsRef: 'charts-bot',
    });
  });

  it.each([
    [
      'an ssh repository',
      { repository: 'ssh://charts.acme.test/x' },
      /chart\.repository: must be an http:\/\/ or https:\/\/ Helm repository URL or an oci:\/\/ registry reference/,
    ],
    ['a repository without a host', { repository: 'oci:///charts' }, /chart\.repository: must be/],
    [
      'a repository with a query',
      { repository: 'https://charts.acme.test/?token=x' },
      /chart\.repository: must not have a query/,
    ],
    ['a chart name with a slash', { name: 'stable/web' }, /chart\.name: must be a chart name/],
    [
      'a version that is not semver',
      { version: 'latest' },
      /chart\.version: must be a version \(1\.2\.3\) or a semver range/,
    ],
    [
      'a credentials reference with spaces',
      { credentialsRef: 'my bot' },
      /chart\.credentialsRef: must be a reference name/,
    ],
    ['an unknown field', { digest: 'sha256:x' }, /chart: Unrecognized key/],
  ])('refuses %s', (_what, change, expected) => {
    const message = problem(() => parseCreateApplication({ ...valid, chart: { ...chart, ...change } }));
    expect(message).toMatch(/^INVALID_ARGUMENT: /);
    expect(message).toMatch(expected);
  });

  it('never echoes the password of a repository URL it refuses', () => {
    const message = problem(() =>
      parseCreateApplication({
        ...valid,
        chart: { ...chart, repository: 'https://bob:s3cret@charts.acme.test/' },
      }),
    );
    expect(message).toMatch(/chart\.repository: must not contain credentials/);
    expect(message).not.toContain('s3cret');
  });

  it('needs the renderer auto or helm', () => {
    expect(problem(() => parseCreateApplication({ ...valid, renderer: 'template', chart }))).toMatch(
      /chart: needs the renderer auto or helm \(not template\)/,
    );
    expect(parseCreateApplication({ ...valid, renderer: 'helm', chart }).spec.renderer).toBe('helm');
  });

  it('is set, replaced and removed by an update', () => {
    const { spec } = parseCreateApplication(valid);
    const withChart = mergeApplicationUpdate(spec, { chart });
    expect(withChart.chart).toEqual({ ...chart, credentialsRef: null });
    expect(mergeApplicationUpdate(withChart, { chart: { ...chart, version: '~1.2' } }).chart?.version).toBe(
      '~1.2',
    );
    expect(mergeApplicationUpdate(withChart, { chart: null }).chart).toBeNull();
    expect(problem(() => mergeApplicationUpdate(withChart, { renderer: 'template' }))).toMatch(
      /needs the renderer auto or helm/,
    );
  });
});

describe('the verify setting (signed commits)', () => {
  const SSH_KEY =
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqTqn7V7CSOc8NkVsHTUMGV/AOx7j+nCRHeWcZ5bhZq ann@example.com';

  it('is null unless given, and is kept as given (keys trimmed)', () => {
    expect(parseCreateApplication(valid).spec.verify).toBeNull();
    expect(
      parseCreateApplication({ ...valid, verify: { mode: 'ssh', trustedKeys: [`  ${SSH_KEY}\n`] } }).spec
        .verify,
    ).toEqual({ mode: 'ssh', trustedKeys: [SSH_KEY] });
  });

  it.each([
    [{ mode: 'x509', trustedKeys: [SSH_KEY] }, /verify\.mode: /],
    [{ mode: 'ssh', trustedKeys: [] }, /verify\.trustedKeys: must name at least one key/],
    [{ mode: 'ssh', trustedKeys: [' '] }, /verify\.trustedKeys\.0: /],
    [{ mode: 'ssh', trustedKeys: Array.from({ length: 21 }, () => SSH_KEY) }, /verify\.trustedKeys: /],
    [{ mode: 'ssh' }, /verify\.trustedKeys: /],
    [{ mode: 'ssh', trustedKeys: [SSH_KEY], principals: ['ann'] }, /verify: .*principals/],
  ])('refuses %j', (verify, message) => {
    expect(problem(() => parseCreateApplication({ ...valid, verify }))).toMatch(/^INVALID_ARGUMENT: /);
    expect(problem(() => parseCreateApplication({ ...valid, verify }))).toMatch(message);
  });

  it('checks the keys themselves when asked, naming the index', async () => {
    const { spec } = parseCreateApplication({
      ...valid,
      verify: { mode: 'ssh', trustedKeys: [SSH_KEY, 'nope'] },
    });
    const error = await checkTrustedKeys(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toBe(
      'invalid application: verify.trustedKeys.1: is not an OpenSSH public key line ("<type> <base64> [comment]")',
    );
    await expect(
      checkTrustedKeys({ ...spec, verify: { mode: 'ssh', trustedKeys: [SSH_KEY] } }),
    ).resolves.toBeDefined();
  });

  it('is replaced and removed by an update', () => {
    const current = parseCreateApplication(valid).spec;
    const set = mergeApplicationUpdate(current, { verify: { mode: 'gpg', trustedKeys: ['k'] } });
    expect(set.verify).toEqual({ mode: 'gpg', trustedKeys: ['k'] });
    expect(mergeApplicationUpdate(set, { prune: false }).verify).toEqual(set.verify);
    expect(mergeApplicationUpdate(set, { verify: null }).verify).toBeNull();
  });
});
