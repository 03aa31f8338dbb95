import { describe, expect, it } from '@jest/globals';
import { clustersByDigest } from './clusters-by-digest.js';

describe('clustersByDigest', () => {
  it.each([
    ['no clusters', [], {}],
    [
      'one bundle for all',
      [
        ['b', 'sha256:1'],
        ['a', 'sha256:1'],
      ],
      { 'sha256:1': ['a', 'b'] },
    ],
    [
      'two bundles and a cluster nothing rendered for',
      [
        ['eu-1', 'sha256:eu'],
        ['us-1', 'sha256:us'],
        ['eu-2', 'sha256:eu'],
        ['broken', null],
      ],
      { 'sha256:eu': ['eu-1', 'eu-2'], 'sha256:us': ['us-1'], none: ['broken'] },
    ],
  ] as const)('%s', (_name, pairs, expected) => {
    expect(clustersByDigest(pairs)).toEqual(expected);
  });
});
