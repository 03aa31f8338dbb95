import { describe, expect, it } from '@jest/globals';
import {
  type BoundedObject,
  groupKindOf,
  isWellKnownClusterScoped,
  kindAllowed,
  matchesAnyPattern,
  type ObjectBounds,
  objectViolations,
  UNBOUNDED_OBJECTS,
} from './project-bounds.js';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): BoundedObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
});

describe('matchesAnyPattern', () => {
  it.each([
    [['*'], 'anything', true],
    [['team-*'], 'team-a', true],
    [['team-*'], 'other', false],
    [['team-?'], 'team-ab', false],
    [['{a,b}'], 'b', true],
    [[], 'a', false],
    [['https://git.example/org/*'], 'https://git.example/org/app', true],
    [['https://git.example/org/*'], 'https://git.example/org/sub/app', false],
    [['https://git.example/org/**'], 'https://git.example/org/sub/app', true],
    [['!a'], 'b', false],
  ])('%j matches %s: %s', (patterns, value, expected) => {
    expect(matchesAnyPattern(patterns, value)).toBe(expected);
  });
});

describe('kinds', () => {
  it.each([
    ['apps/v1', 'Deployment', 'apps/Deployment'],
    ['v1', 'ConfigMap', '/ConfigMap'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'rbac.authorization.k8s.io/ClusterRole'],
  ])('%s %s is %s', (apiVersion, kind, expected) => {
    expect(groupKindOf({ apiVersion, kind })).toBe(expected);
  });

  it.each([
    [['ConfigMap'], '/ConfigMap', true],
    [['/ConfigMap'], '/ConfigMap', true],
    [['ConfigMap'], 'apps/ConfigMap', false],
    [['apps/*'], 'apps/Deployment', true],
    [['apps/*'], '/Service', false],
    [['*/*'], '/Service', true],
    [['*'], '/Service', true],
  ])('%j allows %s: %s', (patterns, groupKind, expected) => {
    expect(kindAllowed(patterns, groupKind)).toBe(expected);
  });

  it('knows built-in cluster-scoped kinds', () => {
    expect(isWellKnownClusterScoped(obj('v1', 'Namespace', 'x'))).toBe(true);
    expect(isWellKnownClusterScoped(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'x'))).toBe(true);
    expect(isWellKnownClusterScoped(obj('rbac.authorization.k8s.io/v1', 'Role', 'x'))).toBe(false);
    expect(isWellKnownClusterScoped(obj('v1', 'ConfigMap', 'x'))).toBe(false);
  });
});

describe('objectViolations', () => {
  const bounds: ObjectBounds = { namespaces: ['team-*'], kinds: ['ConfigMap', 'apps/*'], clusterKinds: [] };
  const scoped = isWellKnownClusterScoped;

  it.each<[string, BoundedObject, string | null, string | null]>([
    ['an allowed object', obj('v1', 'ConfigMap', 'c', 'team-a'), null, null],
    ['a namespace outside', obj('v1', 'ConfigMap', 'c', 'kube-system'), null, 'PROJECT_NAMESPACE_DENIED'],
    ['a kind outside', obj('v1', 'Secret', 's', 'team-a'), null, 'PROJECT_KIND_DENIED'],
    ['a cluster-scoped kind (default deny)', obj('v1', 'Namespace', 'n'), null, 'PROJECT_KIND_DENIED'],
    ['the default namespace inside', obj('apps/v1', 'Deployment', 'd'), 'team-b', null],
    ['the default namespace outside', obj('apps/v1', 'Deployment', 'd'), 'prod', 'PROJECT_NAMESPACE_DENIED'],
    ['no namespace at all', obj('apps/v1', 'Deployment', 'd'), null, 'PROJECT_NAMESPACE_DENIED'],
  ])('%s', (_, object, defaultNamespace, code) => {
    const found = objectViolations(bounds, [object], scoped, defaultNamespace);
    expect(found.map((v) => v.code)).toEqual(code === null ? [] : [code]);
  });

  it('allows a listed cluster-scoped kind and names every offender', () => {
    const listed = { ...bounds, clusterKinds: ['rbac.authorization.k8s.io/ClusterRole'] };
    const found = objectViolations(
      listed,
      [
        obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'),
        obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'bind'),
        obj('v1', 'ConfigMap', 'c', 'default'),
      ],
      scoped,
    );
    expect(found).toEqual([
      expect.objectContaining({
        code: 'PROJECT_KIND_DENIED',
        kind: 'rbac.authorization.k8s.io/ClusterRoleBinding',
        name: 'bind',
        namespace: null,
      }),
      expect.objectContaining({ code: 'PROJECT_NAMESPACE_DENIED', kind: '/ConfigMap', namespace: 'default' }),
    ]);
  });

  it('unbounded allows everything', () => {
    const objects = [obj('v1', 'Namespace', 'n'), obj('v1', 'Secret', 's', 'kube-system')];
    expect(objectViolations(UNBOUNDED_OBJECTS, objects, scoped)).toEqual([]);
  });
});
