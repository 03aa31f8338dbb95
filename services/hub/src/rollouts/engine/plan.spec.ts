import {
  defaultPlan,
  effectiveWaves,
  resolveCount,
  validatePlan,
  type CountOrPercent,
  type WavePlan,
} from './plan.js';

function ok(input: unknown): WavePlan {
  const result = validatePlan(input);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.plan;
}

function errors(input: unknown): string[] {
  const result = validatePlan(input);
  return 'errors' in result ? result.errors : [];
}

describe('validatePlan', () => {
  it('fills safe defaults', () => {
    const plan = ok({ waves: [{ name: 'canary', selector: 'env=staging' }] });
    expect(plan.waves[0]).toEqual({
      name: 'canary',
      selector: 'env=staging',
      maxConcurrency: 1,
      failureBudget: 0,
      failureCorrelation: null,
      soakSeconds: 0,
      requireApproval: false,
      progressDeadlineSeconds: 600,
      offlinePolicy: 'wait',
      verification: [],
    });
    expect(plan.autoRollback).toBe(false);
    expect(plan.rest.maxConcurrency).toBe(1);
  });

  it('reads failure correlation per wave and for rest, naming the field of a bad one', () => {
    const plan = ok({
      waves: [{ name: 'canary', selector: 'env=staging', failureCorrelation: { labels: ['region'] } }],
      rest: { failureCorrelation: { labels: ['zone'], minFailures: 3, share: 0.8 } },
    });
    expect(plan.waves[0]?.failureCorrelation).toEqual({ labels: ['region'], minFailures: 2, share: 1 });
    expect(plan.rest.failureCorrelation).toEqual({ labels: ['zone'], minFailures: 3, share: 0.8 });
    expect(validatePlan({ rest: { failureCorrelation: { labels: ['region'], share: 2 } } })).toEqual({
      errors: ['rest.failureCorrelation.share: must be a number above 0 and at most 1 (e.g. 0.8)'],
    });
  });

  it('keeps time windows, normalised, and leaves them out when there are none', () => {
    const plan = ok({
      windows: [{ kind: 'allow', schedule: '0 8 * * 1-5', duration: '600m', timeZone: 'Europe/Berlin' }],
    });
    expect(plan.windows).toEqual([
      { kind: 'allow', schedule: '0 8 * * 1-5', duration: '10h', timeZone: 'Europe/Berlin' },
    ]);
    expect(ok({ windows: [] })).toEqual(defaultPlan());
  });

  it('accepts null/undefined as the default plan', () => {
    expect(ok(undefined)).toEqual(defaultPlan());
    expect(ok(null)).toEqual(defaultPlan());
    expect(ok({})).toEqual(defaultPlan());
  });

  it('keeps explicit settings and normalises percentages', () => {
    const plan = ok({
      waves: [
        {
          name: 'prod',
          selector: 'env in (prod)',
          maxConcurrency: ' 25%',
          failureBudget: '10%',
          soakSeconds: 300,
          requireApproval: true,
          progressDeadlineSeconds: 120,
          offlinePolicy: 'skip',
        },
      ],
      rest: { maxConcurrency: '100%' },
      autoRollback: true,
    });
    expect(plan.waves[0]).toMatchObject({
      maxConcurrency: '25%',
      failureBudget: '10%',
      offlinePolicy: 'skip',
    });
    expect(plan.rest.maxConcurrency).toBe('100%');
    expect(plan.autoRollback).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 42, 'plan: must be an object'],
    ['waves not a list', { waves: {} }, 'waves: must be a list'],
    ['wave not an object', { waves: [1] }, 'waves[0]: must be an object'],
    ['missing name', { waves: [{ selector: '' }] }, 'waves[0].name'],
    ['bad name', { waves: [{ name: 'Canary' }] }, 'waves[0].name: must be a DNS-1123 label'],
    ['reserved name', { waves: [{ name: 'rest' }] }, 'reserved'],
    ['duplicate name', { waves: [{ name: 'a' }, { name: 'a' }] }, 'waves[1].name: duplicate wave name "a"'],
    ['bad selector', { waves: [{ name: 'a', selector: 'env in (' }] }, 'waves[0].selector: at position'],
    ['selector not string', { waves: [{ name: 'a', selector: 3 }] }, 'waves[0].selector: must be a string'],
    ['0%', { waves: [{ name: 'a', maxConcurrency: '0%' }] }, 'percentage must be from 1% to 100%'],
    ['101%', { waves: [{ name: 'a', failureBudget: '101%' }] }, 'percentage must be from 1% to 100%'],
    [
      'percent garbage',
      { waves: [{ name: 'a', failureBudget: 'ten%' }] },
      'percentage must be from 1% to 100%',
    ],
    [
      'concurrency 0',
      { waves: [{ name: 'a', maxConcurrency: 0 }] },
      'maxConcurrency: must be an integer of at least 1',
    ],
    [
      'negative budget',
      { waves: [{ name: 'a', failureBudget: -1 }] },
      'failureBudget: must be an integer of at least 0',
    ],
    ['fractional budget', { waves: [{ name: 'a', failureBudget: 1.5 }] }, 'failureBudget'],
    ['boolean budget', { waves: [{ name: 'a', failureBudget: true }] }, 'must be a count or a percentage'],
    ['negative soak', { waves: [{ name: 'a', soakSeconds: -5 }] }, 'soakSeconds: must be an integer from 0'],
    ['zero deadline', { waves: [{ name: 'a', progressDeadlineSeconds: 0 }] }, 'progressDeadlineSeconds'],
    [
      'window with an unknown time zone',
      { windows: [{ kind: 'deny', schedule: '0 0 * * *', duration: '1h', timeZone: 'Europe/Atlantis' }] },
      'windows[0].timeZone: unknown-time-zone',
    ],
    [
      'window with a negative duration',
      { windows: [{ kind: 'allow', schedule: '0 8 * * 1-5', duration: '-8h' }] },
      'windows[0].duration: invalid-duration',
    ],
    [
      'approval not bool',
      { waves: [{ name: 'a', requireApproval: 'yes' }] },
      'requireApproval: must be a boolean',
    ],
    [
      'bad offline policy',
      { waves: [{ name: 'a', offlinePolicy: 'ignore' }] },
      'offlinePolicy: must be one of',
    ],
    ['unknown wave field', { waves: [{ name: 'a', soak: 3 }] }, 'waves[0]: unknown field "soak"'],
    ['unknown plan field', { wave: [] }, 'plan: unknown field "wave"'],
    ['bad rest', { rest: { soakSeconds: -1 } }, 'rest.soakSeconds'],
    ['rest with selector', { rest: { selector: 'a=b' } }, 'rest: unknown field "selector"'],
    ['autoRollback not bool', { autoRollback: 'true' }, 'autoRollback: must be a boolean'],
  ])('rejects %s', (_label, input, message) => {
    expect(errors(input).join('\n')).toContain(message);
  });

  it('collects every error', () => {
    expect(errors({ waves: [{ name: 'A', maxConcurrency: 0, soakSeconds: -1 }] })).toHaveLength(3);
  });

  it('reports the selector error text', () => {
    expect(errors({ waves: [{ name: 'a', selector: 'env=prod,' }] })[0]).toMatch(
      /^waves\[0\]\.selector: at position \d+: /,
    );
  });
});

describe('resolveCount', () => {
  it.each<[CountOrPercent, number, number]>([
    [1, 10, 1],
    [5, 3, 5],
    [0, 10, 0],
    ['10%', 10, 1],
    ['10%', 11, 2],
    ['50%', 5, 3],
    ['1%', 1, 1],
    ['1%', 250, 3],
    ['100%', 7, 7],
    ['33%', 3, 1],
    ['34%', 3, 2],
    ['50%', 0, 0],
  ])('resolveCount(%p, %p) = %p', (value, size, expected) => {
    expect(resolveCount(value, size)).toBe(expected);
  });
});

describe('effectiveWaves', () => {
  it('appends the implicit rest wave with the rest settings', () => {
    const plan = ok({ waves: [{ name: 'a' }], rest: { soakSeconds: 9 } });
    expect(effectiveWaves(plan).map((w) => [w.name, w.soakSeconds])).toEqual([
      ['a', 0],
      ['rest', 9],
    ]);
  });
});
