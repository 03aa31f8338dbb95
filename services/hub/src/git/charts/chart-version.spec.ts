import { describe, expect, it } from '@jest/globals';
import { isVersionSpec, pickVersion } from './chart-version.js';

const AVAILABLE = ['1.0.0', '1.2.0', '1.3.0-rc.1', '1.2.5', '2.0.0', '2.1.0-beta.1', 'latest', '0.9.0'];

describe('pickVersion', () => {
  it.each([
    ['an exact version', '1.2.0', '1.2.0'],
    ['an exact version with a v', 'v1.2.5', '1.2.5'],
    ['an exact prerelease', '1.3.0-rc.1', '1.3.0-rc.1'],
    ['a caret range: newest of the major', '^1.0.0', '1.2.5'],
    ['a tilde range: newest of the minor', '~1.2.0', '1.2.5'],
    ['an x-range', '1.x', '1.2.5'],
    ['any version: the newest stable', '*', '2.0.0'],
    ['a bounded range', '>=1.0.0 <2.0.0', '1.2.5'],
    ['a prerelease range takes prereleases of its version', '^2.1.0-beta.0', '2.1.0-beta.1'],
    ['a range excludes prereleases of other versions', '>=1.2.5 <2.0.0', '1.2.5'],
    ['an exact version not published', '1.1.0', null],
    ['a range with no match', '^3.0.0', null],
  ])('%s (%s → %s)', (_what, spec, expected) => {
    expect(pickVersion(AVAILABLE, spec)).toBe(expected);
  });

  it('finds nothing in an empty list', () => {
    expect(pickVersion([], '*')).toBeNull();
  });
});

describe('isVersionSpec', () => {
  it.each([
    ['1.2.3', true],
    ['^1.2.0', true],
    ['>=1 <3', true],
    ['*', true],
    ['latest', false],
    ['1.2.3.4', false],
    ['^', false],
  ])('%s → %s', (spec, expected) => {
    expect(isVersionSpec(spec)).toBe(expected);
  });
});
