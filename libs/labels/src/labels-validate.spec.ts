import { describe, expect, it } from '@jest/globals';
import { assertValidLabels, LabelsError, validateLabels } from './index.js';

const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

describe('validateLabels', () => {
  it.each<[Record<string, string>]>([
    [{}],
    [{ env: 'prod', 'app.kubernetes.io/name': 'web', 'fleetwave.io/paused': '' }],
    [{ ['k'.repeat(63)]: 'v'.repeat(63) }],
  ])('accepts %j', (labels) => {
    expect(validateLabels(labels)).toEqual([]);
    expect(() => assertValidLabels(labels)).not.toThrow();
  });

  it.each<[Record<string, string>, string[]]>([
    [{ 'x y': 'v' }, [`label key "x y": name part ${NAME_RULE}`]],
    [{ env: 'prod!' }, [`label value "prod!" of key "env": value ${NAME_RULE}`]],
    [
      { '/a': '-b' },
      ['label key "/a": prefix part must be non-empty', `label value "-b" of key "/a": value ${NAME_RULE}`],
    ],
    [
      { ok: 'fine', 'Bad.io/x': 'v', long: 'v'.repeat(64) },
      [
        'label key "Bad.io/x": prefix part must be a lowercase DNS-1123 subdomain',
        `label value "${'v'.repeat(64)}" of key "long": value must be no more than 63 characters`,
      ],
    ],
    [{ n: 3 as unknown as string }, ['label value 3 of key "n": value must be a string, not number']],
  ])('reports %j', (labels, problems) => {
    expect(validateLabels(labels)).toEqual(problems);
  });

  it('assertValidLabels throws LabelsError listing every problem', () => {
    let caught: unknown;
    try {
      assertValidLabels({ 'x y': 'v', env: 'prod!' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LabelsError);
    const error = caught as LabelsError;
    expect(error.name).toBe('LabelsError');
    expect(error.problems).toHaveLength(2);
    expect(error.message).toBe(`invalid labels: ${error.problems.join('; ')}`);
  });
});
