import { describe, expect, it } from '@jest/globals';
import { UNBOUNDED_OBJECTS } from '@fleetwave/contracts';
import { bundleViolations } from './bundle-bounds.js';

const bundle = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: team-a
---
apiVersion: v1
kind: List
items:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: reader
  - apiVersion: example.com/v1
    kind: Widget
    metadata:
      name: w
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: kube-system
`;

describe('bundleViolations', () => {
  it('names each object outside, Lists expanded; unknown kinds without a namespace count as cluster-scoped', () => {
    const found = bundleViolations(bundle, { namespaces: ['team-*'], kinds: ['*'], clusterKinds: [] }, null);
    expect(found.map((v) => [v.code, v.kind, v.namespace, v.name])).toEqual([
      ['PROJECT_KIND_DENIED', 'rbac.authorization.k8s.io/ClusterRole', null, 'reader'],
      ['PROJECT_KIND_DENIED', 'example.com/Widget', null, 'w'],
      ['PROJECT_NAMESPACE_DENIED', 'apps/Deployment', 'kube-system', 'web'],
    ]);
  });

  it('places objects without a namespace in the default namespace', () => {
    const found = bundleViolations(
      bundle,
      { namespaces: ['team-*', 'kube-system'], kinds: ['*'], clusterKinds: ['rbac.authorization.k8s.io/*'] },
      'team-b',
    );
    expect(found).toEqual([]);
  });

  it('the default project allows everything', () => {
    expect(bundleViolations(bundle, UNBOUNDED_OBJECTS, null)).toEqual([]);
  });
});
