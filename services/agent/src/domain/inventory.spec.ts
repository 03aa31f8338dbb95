import { describe, expect, it } from '@jest/globals';
import {
  diffInventory,
  inventoryOf,
  mergeInventory,
  type Inventory,
  type InventoryEntry,
} from './inventory.js';
import type { KubeObject } from './kube-object.js';

function obj(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject {
  return { apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace } };
}

const entry = (id: string, version = 'v1'): InventoryEntry => ({ id, version });
const inv = (...entries: InventoryEntry[]): Inventory => ({ entries });

const NS = entry('_shop__Namespace');
const CRD = entry('_widgets.example.com_apiextensions.k8s.io_CustomResourceDefinition');
const CM = entry('shop_settings__ConfigMap');
const SVC = entry('shop_web__Service');
const DEPLOY = entry('shop_web_apps_Deployment');
const WIDGET = entry('shop_w_example.com_Widget');
const HOOK = entry('_policy_admissionregistration.k8s.io_ValidatingWebhookConfiguration');

describe('inventoryOf', () => {
  it('lists ids and versions in apply order', () => {
    const objects = [
      obj('apps/v1', 'Deployment', 'web', 'shop'),
      obj('v1', 'Namespace', 'shop'),
      obj('example.com/v1beta1', 'Widget', 'w', 'shop'),
    ];
    expect(inventoryOf(objects)).toEqual(inv(NS, DEPLOY, entry('shop_w_example.com_Widget', 'v1beta1')));
  });

  it('keeps a repeated id once', () => {
    const objects = [
      obj('apps/v1', 'Deployment', 'web', 'shop'),
      obj('apps/v1beta2', 'Deployment', 'web', 'shop'),
    ];
    expect(inventoryOf(objects).entries).toHaveLength(1);
  });

  it('is empty for no objects', () => {
    expect(inventoryOf([])).toEqual(inv());
  });
});

describe('diffInventory', () => {
  it.each<[string, Inventory, Inventory, InventoryEntry[]]>([
    ['nothing before', inv(), inv(NS, DEPLOY), []],
    ['nothing removed', inv(NS, DEPLOY), inv(NS, DEPLOY), []],
    ['one removed', inv(NS, CM, DEPLOY), inv(NS, DEPLOY), [CM]],
    [
      'everything removed, reverse apply order',
      inv(NS, CRD, CM, SVC, DEPLOY, WIDGET, HOOK),
      inv(),
      [HOOK, WIDGET, DEPLOY, SVC, CM, CRD, NS],
    ],
    ['reverse order whatever the stored order', inv(DEPLOY, NS, SVC), inv(), [DEPLOY, SVC, NS]],
    ['a version change is not a removal', inv(entry('shop_web_apps_Deployment', 'v1beta2')), inv(DEPLOY), []],
    [
      'stale entries keep their previous version',
      inv(entry('shop_w_example.com_Widget', 'v1alpha1')),
      inv(),
      [entry('shop_w_example.com_Widget', 'v1alpha1')],
    ],
    ['duplicates in the stored inventory count once', inv(CM, CM), inv(), [CM]],
    ['unparsable ids are pruned last', inv(entry('garbage'), CM), inv(), [CM, entry('garbage')]],
    ['additions are ignored', inv(NS), inv(NS, CM, DEPLOY), []],
  ])('%s', (_name, previous, next, stale) => {
    expect(diffInventory(previous, next)).toEqual({ stale });
  });

  it('does not share entries with its inputs', () => {
    const previous = inv(entry('shop_settings__ConfigMap'));
    const { stale } = diffInventory(previous, inv());
    stale[0]!.version = 'changed';
    expect(previous.entries[0]!.version).toBe('v1');
  });
});

describe('mergeInventory', () => {
  it.each<[string, Inventory, InventoryEntry[], Inventory]>([
    ['no survivors', inv(NS, DEPLOY), [], inv(NS, DEPLOY)],
    ['survivors stay tracked, in apply order', inv(NS, DEPLOY), [CM, WIDGET], inv(NS, CM, DEPLOY, WIDGET)],
    [
      'a survivor already in next keeps next’s version',
      inv(DEPLOY),
      [entry('shop_web_apps_Deployment', 'v1beta1')],
      inv(DEPLOY),
    ],
    ['only survivors', inv(), [HOOK, CRD], inv(CRD, HOOK)],
    ['repeated survivors once', inv(), [CM, CM], inv(CM)],
  ])('%s', (_name, next, survivors, expected) => {
    expect(mergeInventory(next, survivors)).toEqual(expected);
  });

  it('a failed prune is retried by the next diff', () => {
    const previous = inv(NS, CM, DEPLOY);
    const next = inv(NS, DEPLOY);
    const { stale } = diffInventory(previous, next);
    const stored = mergeInventory(next, stale); // every deletion was refused
    expect(diffInventory(stored, next).stale).toEqual([CM]);
  });
});
