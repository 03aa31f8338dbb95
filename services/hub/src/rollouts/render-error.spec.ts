import { describe, expect, it } from '@jest/globals';
import { renderErrorOf } from './rollout-factory.js';

describe('renderErrorOf: what a revision records of a rollout render', () => {
  it.each([
    ['every cluster renders', new Map<string, string>(), new Set<string>(), null],
    [
      'one cluster fails',
      new Map([['a', 'east: helm template: Error: boom']]),
      new Set<string>(),
      'render-failed: east: helm template: Error: boom',
    ],
    [
      'several fail, one of them empty',
      new Map([
        ['a', 'east: helm template: Error: boom'],
        ['b', 'west: renders no object'],
      ]),
      new Set(['b']),
      'render-failed: east: helm template: Error: boom (and 1 more cluster(s))',
    ],
    [
      'only empty bundles',
      new Map([['b', 'west: renders no object']]),
      new Set(['b']),
      'empty-bundle: west: renders no object',
    ],
  ])('%s', (_case, failed, empty, expected) => {
    expect(renderErrorOf({ failed, empty, denied: new Map() })).toBe(expected);
  });

  it('records bundles outside the project bounds as project-denied, naming the objects', () => {
    const violation = {
      code: 'PROJECT_KIND_DENIED' as const,
      kind: 'rbac.authorization.k8s.io/ClusterRole',
      namespace: null,
      name: 'reader',
      reason: 'cluster-scoped',
    };
    const failed = new Map([
      ['a', "east: outside the project's bounds: rbac.authorization.k8s.io/ClusterRole reader"],
    ]);
    expect(renderErrorOf({ failed, empty: new Set(), denied: new Map([['a', [violation]]]) })).toBe(
      "project-denied: east: outside the project's bounds: rbac.authorization.k8s.io/ClusterRole reader",
    );
  });
});
