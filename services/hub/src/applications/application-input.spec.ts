import { DomainError } from '../common/domain-error.js';
import { mergeApplicationUpdate, parseCreateApplication } from './application-input.js';

const valid = {
  name: 'web',
  repoUrl: 'https://git.example.com/platform/web.git',
  ref: 'main',
  plan: { waves: [{ name: 'canary', selector: 'env=staging' }] },
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
      valuesRules: [],
      syncPolicy: 'auto',
      pollIntervalSeconds: 60,
      defaultNamespace: null,
      prune: true,
      joinPolicy: 'wave',
      allowEmpty: false,
      recreate: 'annotated',
    });
    expect(spec.plan.waves[0]).toMatchObject({ name: 'canary', maxConcurrency: 1, failureBudget: 0 });
    expect(spec.plan.autoRollback).toBe(false);
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
    [
      'a nested value',
      { valuesRules: [{ selector: '', values: { a: { b: 1 } } }] },
      /valuesRules\.0\.values\.a/,
    ],
    [
      'a bad value name',
      { valuesRules: [{ selector: '', values: { 'a b': 1 } }] },
      /valuesRules\.0\.values\.a b: Invalid key/,
    ],
    [
      'a multi-line value',
      { valuesRules: [{ selector: '', values: { a: 'x\ny: 1' } }] },
      /must be a single line/,
    ],
    ['a path escaping the repo', { path: 'deploy/../../etc' }, /path: must not contain "\.\." segments/],
    ['an unknown field', { colour: 'blue' }, /Unrecognized key/],
    ['a too short poll interval', { pollIntervalSeconds: 1 }, /pollIntervalSeconds/],
    ['an unknown sync policy', { syncPolicy: 'sometimes' }, /syncPolicy/],
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

  it('validates a new plan', () => {
    expect(problem(() => mergeApplicationUpdate(spec, { plan: { waves: 'all' } }))).toMatch(
      /invalid wave plan/,
    );
  });

  it('refuses the name (it is the identity)', () => {
    expect(problem(() => mergeApplicationUpdate(spec, { name: 'other' }))).toMatch(/Unrecognized key/);
  });
});
