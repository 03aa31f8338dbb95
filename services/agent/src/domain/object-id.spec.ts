import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from './kube-object.js';
import {
  describeObjectId,
  describeRef,
  formatObjectId,
  groupOf,
  objectId,
  parseObjectId,
  versionOf,
  type ObjectRef,
} from './object-id.js';

function obj(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject {
  return { apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace } };
}

describe('groupOf / versionOf', () => {
  it.each<[string, string, string]>([
    ['v1', '', 'v1'],
    ['apps/v1', 'apps', 'v1'],
    ['rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io', 'v1'],
    ['apiextensions.k8s.io/v1beta1', 'apiextensions.k8s.io', 'v1beta1'],
    ['example.com/v1alpha2', 'example.com', 'v1alpha2'],
  ])('%s → group %j, version %j', (apiVersion, group, version) => {
    expect(groupOf(apiVersion)).toBe(group);
    expect(versionOf(apiVersion)).toBe(version);
  });
});

describe('objectId', () => {
  it.each<[string, KubeObject, string]>([
    ['namespaced apps object', obj('apps/v1', 'Deployment', 'web', 'shop'), 'shop_web_apps_Deployment'],
    ['namespaced core object', obj('v1', 'ConfigMap', 'settings', 'shop'), 'shop_settings__ConfigMap'],
    ['cluster-scoped core object', obj('v1', 'Namespace', 'shop'), '_shop__Namespace'],
    [
      'cluster-scoped grouped object',
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'view'),
      '_view_rbac.authorization.k8s.io_ClusterRole',
    ],
    [
      'colons in RBAC names become __',
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:controller:x'),
      '_system__controller__x_rbac.authorization.k8s.io_ClusterRole',
    ],
    ['custom resource', obj('example.com/v1', 'Widget', 'w1', 'team-a'), 'team-a_w1_example.com_Widget'],
    [
      'version is not part of the id',
      obj('apps/v1beta2', 'Deployment', 'web', 'shop'),
      'shop_web_apps_Deployment',
    ],
  ])('%s', (_name, object, id) => {
    expect(objectId(object)).toBe(id);
  });
});

describe('parseObjectId', () => {
  it.each<[string, string, ObjectRef | undefined]>([
    [
      'namespaced',
      'shop_web_apps_Deployment',
      { namespace: 'shop', name: 'web', group: 'apps', kind: 'Deployment' },
    ],
    [
      'core group',
      'shop_settings__ConfigMap',
      { namespace: 'shop', name: 'settings', group: '', kind: 'ConfigMap' },
    ],
    ['cluster-scoped', '_shop__Namespace', { namespace: '', name: 'shop', group: '', kind: 'Namespace' }],
    [
      'decodes colons',
      '_system__controller__x_rbac.authorization.k8s.io_ClusterRole',
      { namespace: '', name: 'system:controller:x', group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    ],
    [
      'keeps a single underscore in the name',
      '_my_role_rbac.authorization.k8s.io_Role',
      { namespace: '', name: 'my_role', group: 'rbac.authorization.k8s.io', kind: 'Role' },
    ],
    ['no separator', 'garbage', undefined],
    ['two fields', 'ns_name', undefined],
    ['three fields', 'ns_name_group', undefined],
    ['empty kind', 'ns_name_apps_', undefined],
    ['empty name', 'ns__apps_Deployment', undefined],
    ['empty string', '', undefined],
  ])('%s: %s', (_name, id, expected) => {
    expect(parseObjectId(id)).toEqual(expected);
  });

  it.each<[KubeObject]>([
    [obj('apps/v1', 'Deployment', 'web', 'shop')],
    [obj('v1', 'Namespace', 'shop')],
    [obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'system:basic-user')],
    [obj('example.com/v1', 'Widget', 'a.b.c', 'x')],
  ])('round-trips %j', (object) => {
    const ref = parseObjectId(objectId(object));
    expect(ref).toBeDefined();
    expect(formatObjectId(ref!)).toBe(objectId(object));
    expect(ref!.name).toBe(object.metadata.name);
  });
});

describe('describeRef / describeObjectId', () => {
  it.each<[string, string]>([
    ['shop_web_apps_Deployment', 'Deployment.apps shop/web'],
    ['_shop__Namespace', 'Namespace shop'],
    ['shop_settings__ConfigMap', 'ConfigMap shop/settings'],
    ['_view_rbac.authorization.k8s.io_ClusterRole', 'ClusterRole.rbac.authorization.k8s.io view'],
    ['not-an-id', 'not-an-id'],
  ])('%s → %s', (id, text) => {
    expect(describeObjectId(id)).toBe(text);
  });

  it('describes a ref directly', () => {
    expect(describeRef({ namespace: 'a', name: 'b', group: 'example.com', kind: 'Widget' })).toBe(
      'Widget.example.com a/b',
    );
  });
});
