import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from './kube-object.js';
import { checkNamespaces, crdScopes, type ScopeLookup } from './namespace-check.js';
import { objectId } from './object-id.js';

function obj(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject {
  return { apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace } };
}

function crd(group: string, kind: string, scope: string, versions: string[]): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: {
      group,
      names: { kind, plural: `${kind.toLowerCase()}s` },
      scope,
      versions: versions.map((name) => ({ name, served: true })),
    },
  };
}

/** What API discovery would say for a small cluster. */
const cluster: ScopeLookup = (apiVersion, kind) => {
  const known: Record<string, boolean> = {
    'v1/Namespace': false,
    'v1/ConfigMap': true,
    'v1/Service': true,
    'apps/v1/Deployment': true,
    'rbac.authorization.k8s.io/v1/ClusterRole': false,
    'rbac.authorization.k8s.io/v1/Role': true,
    'apiextensions.k8s.io/v1/CustomResourceDefinition': false,
    'cert-manager.io/v1/Certificate': true,
    'cert-manager.io/v1/ClusterIssuer': false,
  };
  return known[`${apiVersion}/${kind}`];
};

describe('checkNamespaces', () => {
  it.each<[string, KubeObject[], string | undefined, string[], string[]]>([
    [
      'namespaced with namespace',
      [obj('apps/v1', 'Deployment', 'web', 'shop')],
      undefined,
      ['shop_web_apps_Deployment'],
      [],
    ],
    [
      'cluster-scoped without namespace',
      [obj('v1', 'Namespace', 'shop')],
      undefined,
      ['_shop__Namespace'],
      [],
    ],
    ['default namespace filled in', [obj('v1', 'ConfigMap', 'c')], 'team-a', ['team-a_c__ConfigMap'], []],
    [
      'default namespace does not override',
      [obj('v1', 'ConfigMap', 'c', 'other')],
      'team-a',
      ['other_c__ConfigMap'],
      [],
    ],
    [
      'default namespace not set on cluster-scoped',
      [obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r')],
      'team-a',
      ['_r_rbac.authorization.k8s.io_ClusterRole'],
      [],
    ],
    [
      'namespaced without namespace and no default',
      [obj('v1', 'ConfigMap', 'c')],
      undefined,
      [],
      ['v1 ConfigMap c is namespaced but has no metadata.namespace and the assignment sets no default'],
    ],
    [
      'an empty default is no default',
      [obj('v1', 'ConfigMap', 'c')],
      '',
      [],
      ['v1 ConfigMap c is namespaced but has no metadata.namespace and the assignment sets no default'],
    ],
    [
      'cluster-scoped with a namespace',
      [obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r', 'shop')],
      undefined,
      [],
      ['rbac.authorization.k8s.io/v1 ClusterRole r is cluster-scoped but has metadata.namespace "shop"'],
    ],
    [
      'custom resource the cluster knows',
      [obj('cert-manager.io/v1', 'Certificate', 'tls', 'shop')],
      undefined,
      ['shop_tls_cert-manager.io_Certificate'],
      [],
    ],
    [
      'unknown kind',
      [obj('example.com/v1', 'Widget', 'w', 'shop')],
      undefined,
      [],
      ['unknown kind example.com/v1 Widget (no CRD in the bundle or cluster)'],
    ],
    [
      'kind defined by a namespaced CRD in the bundle',
      [crd('example.com', 'Widget', 'Namespaced', ['v1']), obj('example.com/v1', 'Widget', 'w')],
      'team-a',
      ['_widgets.example.com_apiextensions.k8s.io_CustomResourceDefinition', 'team-a_w_example.com_Widget'],
      [],
    ],
    [
      'kind defined by a cluster-scoped CRD in the bundle',
      [obj('example.com/v1', 'Gizmo', 'g'), crd('example.com', 'Gizmo', 'Cluster', ['v1alpha1', 'v1'])],
      'team-a',
      ['_g_example.com_Gizmo', '_gizmos.example.com_apiextensions.k8s.io_CustomResourceDefinition'],
      [],
    ],
    [
      'cluster-scoped CRD kind with a namespace',
      [crd('example.com', 'Gizmo', 'Cluster', ['v1']), obj('example.com/v1', 'Gizmo', 'g', 'shop')],
      undefined,
      ['_gizmos.example.com_apiextensions.k8s.io_CustomResourceDefinition'],
      ['example.com/v1 Gizmo g is cluster-scoped but has metadata.namespace "shop"'],
    ],
    [
      'bundle CRD does not serve the version',
      [crd('example.com', 'Widget', 'Namespaced', ['v1']), obj('example.com/v2', 'Widget', 'w', 'shop')],
      undefined,
      ['_widgets.example.com_apiextensions.k8s.io_CustomResourceDefinition'],
      ["unknown kind example.com/v2 Widget (the bundle's CRD serves v1)"],
    ],
    [
      'bundle CRD for another group does not count',
      [crd('other.io', 'Widget', 'Namespaced', ['v1']), obj('example.com/v1', 'Widget', 'w', 'shop')],
      undefined,
      ['_widgets.other.io_apiextensions.k8s.io_CustomResourceDefinition'],
      ['unknown kind example.com/v1 Widget (no CRD in the bundle or cluster)'],
    ],
    [
      'a new version in the bundle CRD for a kind the cluster already knows',
      [
        crd('cert-manager.io', 'Certificate', 'Namespaced', ['v1', 'v2']),
        obj('cert-manager.io/v2', 'Certificate', 'tls', 'shop'),
      ],
      undefined,
      [
        '_certificates.cert-manager.io_apiextensions.k8s.io_CustomResourceDefinition',
        'shop_tls_cert-manager.io_Certificate',
      ],
      [],
    ],
    [
      'duplicate once the default namespace is filled in',
      [obj('v1', 'ConfigMap', 'c', 'team-a'), obj('v1', 'ConfigMap', 'c')],
      'team-a',
      ['team-a_c__ConfigMap'],
      ['duplicate object ConfigMap team-a/c once the default namespace is filled in'],
    ],
    [
      'every problem is reported',
      [
        obj('v1', 'ConfigMap', 'a'),
        obj('example.com/v1', 'Widget', 'w', 'x'),
        obj('v1', 'Namespace', 'n', 'x'),
      ],
      undefined,
      [],
      [
        'v1 ConfigMap a is namespaced but has no metadata.namespace and the assignment sets no default',
        'unknown kind example.com/v1 Widget (no CRD in the bundle or cluster)',
        'v1 Namespace n is cluster-scoped but has metadata.namespace "x"',
      ],
    ],
  ])('%s', (_name, objects, defaultNamespace, ids, messages) => {
    const options =
      defaultNamespace === undefined
        ? { isNamespaced: cluster }
        : { isNamespaced: cluster, defaultNamespace };
    const result = checkNamespaces(objects, options);
    expect(result.objects.map(objectId)).toEqual(ids);
    expect(result.errors.map((e) => e.message)).toEqual(messages);
  });

  it('errors carry the id as written in the bundle', () => {
    const result = checkNamespaces([obj('example.com/v1', 'Widget', 'w')], { isNamespaced: cluster });
    expect(result.errors).toEqual([
      {
        id: '_w_example.com_Widget',
        message: 'unknown kind example.com/v1 Widget (no CRD in the bundle or cluster)',
      },
    ]);
  });

  it('copies objects it changes and leaves the input alone', () => {
    const input = obj('v1', 'ConfigMap', 'c');
    const untouched = obj('v1', 'ConfigMap', 'd', 'x');
    const result = checkNamespaces([input, untouched], { isNamespaced: cluster, defaultNamespace: 'team-a' });
    expect(input.metadata.namespace).toBeUndefined();
    expect(result.objects[0]).not.toBe(input);
    expect(result.objects[1]).toBe(untouched);
  });
});

describe('crdScopes', () => {
  it.each<[string, KubeObject, [string, boolean, string[]] | undefined]>([
    [
      'v1 namespaced',
      crd('example.com', 'Widget', 'Namespaced', ['v1', 'v2']),
      ['example.com/Widget', true, ['v1', 'v2']],
    ],
    ['v1 cluster', crd('example.com', 'Gizmo', 'Cluster', ['v1']), ['example.com/Gizmo', false, ['v1']]],
    [
      'v1beta1 single version',
      {
        apiVersion: 'apiextensions.k8s.io/v1beta1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'olds.example.com' },
        spec: { group: 'example.com', version: 'v1beta1', names: { kind: 'Old' }, scope: 'Namespaced' },
      },
      ['example.com/Old', true, ['v1beta1']],
    ],
    ['bad scope', crd('example.com', 'Widget', 'Everywhere', ['v1']), undefined],
    [
      'no spec',
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x' } },
      undefined,
    ],
    ['not a CRD', obj('v1', 'ConfigMap', 'c', 'x'), undefined],
  ])('%s', (_name, object, expected) => {
    const scopes = crdScopes([object]);
    if (expected === undefined) {
      expect(scopes.size).toBe(0);
      return;
    }
    const [key, namespaced, versions] = expected;
    expect(scopes.get(key)?.namespaced).toBe(namespaced);
    expect([...(scopes.get(key)?.versions ?? [])]).toEqual(versions);
  });
});
