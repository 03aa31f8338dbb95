import { describe, expect, it } from '@jest/globals';
import { validatePlan } from '../plan.js';
import { parseVerification } from './plan-checks.js';

function parse(raw: unknown): { checks: unknown; errors: string[] } {
  const errors: string[] = [];
  const checks = parseVerification(raw, 'waves[0]', errors);
  return { checks, errors };
}

const http = { name: 'healthz', kind: 'http', url: 'https://${cluster.name}.test/healthz' };
const prom = {
  name: 'errors',
  kind: 'prometheus',
  query: 'sum(rate(x[1m]))',
  threshold: { op: '<', value: 1 },
};

describe('parseVerification', () => {
  it('reads checks with their defaults', () => {
    expect(parse([http, { ...prom, retries: 2, intervalSeconds: 5, timeoutSeconds: 3 }])).toEqual({
      errors: [],
      checks: [
        { ...http, method: 'GET', expectedStatus: 200, retries: 0, timeoutSeconds: 10, intervalSeconds: 10 },
        { ...prom, retries: 2, intervalSeconds: 5, timeoutSeconds: 3 },
      ],
    });
    expect(parse(undefined)).toEqual({ checks: [], errors: [] });
  });

  it('reads a job check, its timeout 120 s unless set', () => {
    const job = {
      name: 'smoke',
      kind: 'job',
      image: 'busybox:1.36',
      command: ['sh', '-c'],
      args: ['curl ${cluster.name}'],
    };
    expect(parse([job, { ...job, name: 'quick', timeoutSeconds: 30 }])).toEqual({
      errors: [],
      checks: [
        { ...job, retries: 0, timeoutSeconds: 120, intervalSeconds: 10 },
        { ...job, name: 'quick', retries: 0, timeoutSeconds: 30, intervalSeconds: 10 },
      ],
    });
    expect(parse([{ name: 'bare', kind: 'job', image: 'busybox' }]).checks).toEqual([
      expect.objectContaining({ command: [], args: [] }),
    ]);
  });

  it('reads a job check from a Job manifest in the repository', () => {
    expect(parse([{ name: 'smoke', kind: 'job', manifest: 'checks/smoke.yaml', retries: 1 }])).toEqual({
      errors: [],
      checks: [
        {
          name: 'smoke',
          kind: 'job',
          manifest: 'checks/smoke.yaml',
          retries: 1,
          timeoutSeconds: 120,
          intervalSeconds: 10,
        },
      ],
    });
  });

  it('reads a comparison', () => {
    const compare = { maxWorseBy: '10%', direction: 'lowerIsBetter' };
    const { checks, errors } = parse([
      { name: 'cmp', kind: 'prometheus', query: 'avg(x{cluster=~"${cohort.clusters}"})', compare },
    ]);
    expect(errors).toEqual([]);
    expect(checks).toEqual([expect.objectContaining({ compare })]);
  });

  it.each<[string, unknown, string[]]>([
    [
      'not a list',
      { name: 'x' },
      [
        'waves[0].verification: must be a list of checks such as [{ name: "healthz", kind: "http", url: "…" }]',
      ],
    ],
    [
      'unknown kind',
      [{ name: 'x', kind: 'shell' }],
      ['waves[0].verification[0].kind: must be one of http, prometheus, job'],
    ],
    [
      'bad name',
      [{ ...http, name: 'Bad Name' }],
      [
        "waves[0].verification[0].name: must be a DNS-1123 label (lowercase letters, digits, '-', at most 63)",
      ],
    ],
    [
      'a job without an image',
      [{ name: 'smoke', kind: 'job' }],
      [
        'waves[0].verification[0].image: must be a container image such as "busybox:1.36" (at most 512 characters), unless manifest names a Job manifest in the repository',
      ],
    ],
    [
      'a job with both a manifest and an image',
      [{ name: 'smoke', kind: 'job', manifest: 'checks/smoke.yaml', image: 'busybox', args: [] }],
      ['waves[0].verification[0]: give either manifest or image (with command, args), not image, args too'],
    ],
    ...(
      [
        [42, ' (at most 512 characters)'],
        ['', ' (at most 512 characters)'],
        ['/etc/smoke.yaml', ", relative to its root with '/'"],
        ['checks\\smoke.yaml', ", relative to its root with '/'"],
        ['../other/smoke.yaml', ', without empty, . or .. segments'],
        ['checks//smoke.yaml', ', without empty, . or .. segments'],
        ['checks/smoke.json', ' (.yaml or .yml)'],
      ] as const
    ).map(([manifest, tail]): [string, unknown, string[]] => [
      `a job manifest path ${JSON.stringify(manifest)}`,
      [{ name: 'smoke', kind: 'job', manifest }],
      [
        `waves[0].verification[0].manifest: must be the path of a YAML file in the repository such as "checks/smoke.yaml"${tail}`,
      ],
    ]),
    [
      'a job with an unknown placeholder and a command that is not a list of strings',
      [{ name: 'smoke', kind: 'job', image: 'x:${cluster.nam}', command: 'sh -c true', args: [1] }],
      [
        'waves[0].verification[0].image: unknown placeholder ${cluster.nam} (use ${cluster.name} or ${cluster.labels.<key>})',
        'waves[0].verification[0].command: must be a list of strings such as ["sh", "-c", "wget -qO- http://web/healthz"]',
        'waves[0].verification[0].args: must be a list of strings such as ["sh", "-c", "wget -qO- http://web/healthz"]',
      ],
    ],
    [
      'a job argument with an unknown placeholder',
      [{ name: 'smoke', kind: 'job', image: 'busybox', args: ['${wave.clusters}'] }],
      [
        'waves[0].verification[0].args[0]: unknown placeholder ${wave.clusters} (use ${cluster.name} or ${cluster.labels.<key>})',
      ],
    ],
    ['duplicate name', [http, http], ['waves[0].verification[1].name: duplicate check name "healthz"']],
    ['unknown field', [{ ...http, header: 'x' }], ['waves[0].verification[0]: unknown field "header"']],
    [
      'bad URL template',
      [{ ...http, url: 'https://${cluster.nam}.test' }],
      [
        'waves[0].verification[0].url: unknown placeholder ${cluster.nam} (use ${cluster.name} or ${cluster.labels.<key>})',
      ],
    ],
    [
      'unterminated URL template',
      [{ ...http, url: 'https://${cluster.name' }],
      ['waves[0].verification[0].url: unterminated placeholder at position 9'],
    ],
    [
      'not http',
      [{ ...http, url: 'file:///etc/passwd' }],
      ['waves[0].verification[0].url: must be an http or https URL'],
    ],
    [
      'missing URL',
      [{ name: 'x', kind: 'http' }],
      [
        'waves[0].verification[0].url: must be an http(s) URL such as "https://${cluster.name}.example.test/healthz"',
      ],
    ],
    [
      'bad method',
      [{ ...http, method: 'DELETE' }],
      ['waves[0].verification[0].method: must be one of GET, HEAD, POST'],
    ],
    [
      'bad status',
      [{ ...http, expectedStatus: 42 }],
      ['waves[0].verification[0].expectedStatus: must be an integer from 100 to 599'],
    ],
    [
      'bad condition',
      [{ ...http, condition: 'body.ready ==' }],
      [expect.stringMatching(/^waves\[0\]\.verification\[0\]\.condition: /) as unknown as string],
    ],
    [
      'non-bool condition',
      [{ ...http, condition: '"a" + "b"' }],
      ['waves[0].verification[0].condition: must evaluate to a bool, not string'],
    ],
    [
      'bad retries',
      [{ ...http, retries: -1 }],
      ['waves[0].verification[0].retries: must be an integer from 0 to 10'],
    ],
    [
      'bad timeout',
      [{ ...http, timeoutSeconds: 0 }],
      ['waves[0].verification[0].timeoutSeconds: must be an integer from 1 to 300'],
    ],
    [
      'empty query',
      [{ ...prom, query: ' ' }],
      ['waves[0].verification[0].query: must be a non-empty PromQL query'],
    ],
    [
      'unknown query placeholder',
      [{ ...prom, query: 'x{c="${cluster.name}"}' }],
      ['waves[0].verification[0].query: unknown placeholder ${cluster.name} (use ${wave.clusters})'],
    ],
    [
      'no threshold nor compare',
      [{ name: 'x', kind: 'prometheus', query: 'up' }],
      ['waves[0].verification[0]: needs a threshold ({ op: "<", value: 0.05 }) or a compare'],
    ],
    [
      'bad op',
      [{ ...prom, threshold: { op: '!=', value: 1 } }],
      ['waves[0].verification[0].threshold.op: must be one of < <= > >= =='],
    ],
    [
      'bad threshold value',
      [{ ...prom, threshold: { op: '<', value: '1' } }],
      ['waves[0].verification[0].threshold.value: must be a number'],
    ],
    [
      'threshold and compare',
      [
        {
          ...prom,
          query: 'x{c=~"${cohort.clusters}"}',
          compare: { maxWorseBy: 1, direction: 'lowerIsBetter' },
        },
      ],
      ['waves[0].verification[0]: threshold and compare are exclusive'],
    ],
    [
      'compare without the cohort placeholder',
      [
        {
          name: 'c',
          kind: 'prometheus',
          query: 'avg(x)',
          compare: { maxWorseBy: 1, direction: 'lowerIsBetter' },
        },
      ],
      [
        'waves[0].verification[0].query: a comparison needs ${cohort.clusters} in the query to select each cohort',
      ],
    ],
    [
      'bad compare',
      [
        {
          name: 'c',
          kind: 'prometheus',
          query: 'x{c=~"${cohort.clusters}"}',
          compare: { maxWorseBy: '-3%', direction: 'up' },
        },
      ],
      [
        'waves[0].verification[0].compare.maxWorseBy: must be a number of at least 0 or a percentage such as "10%"',
        'waves[0].verification[0].compare.direction: must be lowerIsBetter or higherIsBetter',
      ],
    ],
  ])('refuses %s', (_name, raw, errors) => {
    expect(parse(raw).errors).toEqual(errors);
  });
});

describe('validatePlan verification', () => {
  it('takes checks per wave and plan-wide, a wave of its own winning', () => {
    const result = validatePlan({
      verification: [http],
      waves: [
        { name: 'canary', selector: 'tier=canary' },
        { name: 'prod', selector: '', verification: [prom] },
      ],
    });
    if (!('plan' in result)) throw new Error(result.errors.join('\n'));
    expect(result.plan.waves.map((w) => w.verification.map((c) => c.name))).toEqual([
      ['healthz'],
      ['errors'],
    ]);
    expect(result.plan.rest.verification.map((c) => c.name)).toEqual(['healthz']);
  });

  it('names the path of a bad plan-wide check', () => {
    expect(validatePlan({ verification: [{ name: 'x', kind: 'nope' }] })).toEqual({
      errors: ['plan.verification[0].kind: must be one of http, prometheus, job'],
    });
  });
});
