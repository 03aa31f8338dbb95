import { describe, expect, it } from '@jest/globals';
import { compareRefs, kindRank, KIND_ORDER_FIRST, planStages, sortForApply, stageOf } from './apply-order.js';
import type { KubeObject } from './kube-object.js';
import { objectId } from './object-id.js';

function obj(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject {
  return { apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace } };
}

const ns = obj('v1', 'Namespace', 'shop');
const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com');
const widget = obj('example.com/v1', 'Widget', 'w', 'shop');
const gadget = obj('acme.io/v1', 'Gadget', 'g', 'shop');
const sa = obj('v1', 'ServiceAccount', 'web', 'shop');
const role = obj('rbac.authorization.k8s.io/v1', 'Role', 'web', 'shop');
const clusterRole = obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'web');
const binding = obj('rbac.authorization.k8s.io/v1', 'RoleBinding', 'web', 'shop');
const cm = obj('v1', 'ConfigMap', 'settings', 'shop');
const secret = obj('v1', 'Secret', 'creds', 'shop');
const svc = obj('v1', 'Service', 'web', 'shop');
const pvc = obj('v1', 'PersistentVolumeClaim', 'data', 'shop');
const deploy = obj('apps/v1', 'Deployment', 'web', 'shop');
const sts = obj('apps/v1', 'StatefulSet', 'db', 'shop');
const job = obj('batch/v1', 'Job', 'migrate', 'shop');
const ingress = obj('networking.k8s.io/v1', 'Ingress', 'web', 'shop');
const pdb = obj('policy/v1', 'PodDisruptionBudget', 'web', 'shop');
const mutating = obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'inject');
const validating = obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'policy');

describe('kindRank', () => {
  it.each<[string, string]>([
    ['Namespace', 'ResourceQuota'],
    ['StorageClass', 'CustomResourceDefinition'],
    ['CustomResourceDefinition', 'ServiceAccount'],
    ['ServiceAccount', 'Role'],
    ['ClusterRoleBinding', 'ConfigMap'],
    ['Secret', 'Endpoints'],
    ['Service', 'Deployment'],
    ['PersistentVolumeClaim', 'Deployment'],
    ['PodDisruptionBudget', 'Widget'],
    ['Widget', 'MutatingWebhookConfiguration'],
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  ])('%s before %s', (first, second) => {
    expect(kindRank(first)).toBeLessThan(kindRank(second));
  });

  it('unknown kinds share one rank between the known kinds and the webhooks', () => {
    expect(kindRank('Widget')).toBe(0);
    expect(kindRank('Ingress')).toBe(0);
    expect(kindRank('Job')).toBe(0);
    expect(KIND_ORDER_FIRST.every((kind) => kindRank(kind) < 0)).toBe(true);
  });
});

describe('compareRefs', () => {
  const ref = (kind: string, name: string, namespace = '', group = '') => ({ kind, name, namespace, group });
  it.each<[string, ReturnType<typeof ref>, ReturnType<typeof ref>]>([
    ['kind rank first', ref('Namespace', 'z'), ref('ConfigMap', 'a', 'a')],
    ['unknown kinds by group', ref('Widget', 'z', 'z', 'a.io'), ref('Gadget', 'a', 'a', 'b.io')],
    ['then by kind', ref('Gadget', 'z', 'z', 'a.io'), ref('Widget', 'a', 'a', 'a.io')],
    ['then by namespace', ref('ConfigMap', 'z', 'a'), ref('ConfigMap', 'a', 'b')],
    ['then by name', ref('ConfigMap', 'a', 'x'), ref('ConfigMap', 'b', 'x')],
    [
      'cluster-scoped before namespaced of the same kind',
      ref('Widget', 'b', '', 'x.io'),
      ref('Widget', 'a', 'n', 'x.io'),
    ],
  ])('%s', (_name, a, b) => {
    expect(compareRefs(a, b)).toBeLessThan(0);
    expect(compareRefs(b, a)).toBeGreaterThan(0);
    expect(compareRefs(a, a)).toBe(0);
  });
});

describe('sortForApply', () => {
  it('orders a typical bundle', () => {
    const input = [
      validating,
      deploy,
      widget,
      svc,
      cm,
      ns,
      crd,
      secret,
      role,
      sa,
      binding,
      clusterRole,
      pvc,
      sts,
      job,
      ingress,
      pdb,
      mutating,
      gadget,
    ];
    expect(sortForApply(input).map(objectId)).toEqual(
      [
        ns,
        crd,
        sa,
        role,
        clusterRole,
        binding,
        cm,
        secret,
        svc,
        pvc,
        deploy,
        sts,
        pdb,
        gadget,
        job,
        widget,
        ingress,
        mutating,
        validating,
      ].map(objectId),
    );
  });

  it('is deterministic whatever the input order', () => {
    const input = [cm, obj('v1', 'ConfigMap', 'a', 'shop'), obj('v1', 'ConfigMap', 'a', 'abc'), secret];
    const expected = sortForApply(input).map(objectId);
    expect(sortForApply([...input].reverse()).map(objectId)).toEqual(expected);
    expect(expected).toEqual([
      'abc_a__ConfigMap',
      'shop_a__ConfigMap',
      'shop_settings__ConfigMap',
      'shop_creds__Secret',
    ]);
  });

  it('does not modify its input', () => {
    const input = [deploy, ns];
    sortForApply(input);
    expect(input).toEqual([deploy, ns]);
  });
});

describe('stageOf', () => {
  it.each<[KubeObject, 0 | 1 | 2]>([
    [ns, 0],
    [crd, 0],
    [obj('apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'old.example.com'), 0],
    [clusterRole, 1],
    [deploy, 1],
    [widget, 1],
    [mutating, 2],
    [validating, 2],
    // Same kind names in another group are ordinary resources.
    [obj('hnc.x-k8s.io/v1', 'Namespace', 'x'), 1],
    [obj('example.com/v1', 'CustomResourceDefinition', 'x'), 1],
    [obj('example.com/v1', 'ValidatingWebhookConfiguration', 'x'), 1],
  ])('%j → stage %d', (object, stage) => {
    expect(stageOf(object)).toBe(stage);
  });
});

describe('planStages', () => {
  it.each<[string, KubeObject[], string[][]]>([
    ['empty bundle', [], [[], [], []]],
    ['only workloads', [svc, deploy], [[], [svc, deploy].map(objectId), []]],
    [
      'definitions, resources, webhooks',
      [validating, widget, deploy, crd, ns, mutating, cm],
      [[ns, crd].map(objectId), [cm, deploy, widget].map(objectId), [mutating, validating].map(objectId)],
    ],
    ['only a namespace', [ns], [[objectId(ns)], [], []]],
  ])('%s', (_name, objects, expected) => {
    expect(planStages(objects).stages.map((stage) => stage.map(objectId))).toEqual(expected);
  });
});
