import type { KubeObject } from './kube-object.js';
import { groupOf, refOf, type ObjectRef } from './object-id.js';

/**
 * Apply order, after `fluxcd/pkg/ssa/sort.go` (itself from kustomize's legacy order): known kinds
 * first in this order, then every other kind (custom resources), then the admission webhooks.
 */
export const KIND_ORDER_FIRST: readonly string[] = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];

export const KIND_ORDER_LAST: readonly string[] = [
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const KIND_INDEX: ReadonlyMap<string, number> = new Map([
  ...KIND_ORDER_FIRST.map((kind, i): [string, number] => [kind, i - KIND_ORDER_FIRST.length]),
  ...KIND_ORDER_LAST.map((kind, i): [string, number] => [kind, i + 1]),
]);

/** Negative for the known-first kinds, 0 for any other kind, positive for the webhooks. */
export function kindRank(kind: string): number {
  return KIND_INDEX.get(kind) ?? 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Apply order between two objects: kind rank, then group and kind, then namespace, then name. */
export function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return (
    kindRank(a.kind) - kindRank(b.kind) ||
    compareStrings(a.group, b.group) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.name, b.name)
  );
}

/** A sorted copy of `objects` in apply order (the input is not touched). */
export function sortForApply(objects: readonly KubeObject[]): KubeObject[] {
  return objects
    .map((obj) => ({ obj, ref: refOf(obj) }))
    .sort((a, b) => compareRefs(a.ref, b.ref))
    .map(({ obj }) => obj);
}

export const STAGE_NAMES = ['definitions', 'resources', 'webhooks'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/**
 * Always three stages, each possibly empty, each in apply order:
 *
 * 0. `definitions`: CustomResourceDefinitions and Namespaces. The applier waits for them to be
 *    established (kstatus Current) before going on, so the custom resources and namespaced objects
 *    of stage 1 can be applied.
 * 1. `resources`: everything else.
 * 2. `webhooks`: Mutating/ValidatingWebhookConfigurations, last, so a webhook whose backend is in the
 *    same bundle cannot block the apply of that backend.
 */
export interface StagePlan {
  stages: [definitions: KubeObject[], resources: KubeObject[], webhooks: KubeObject[]];
}

const DEFINITION_KINDS: ReadonlySet<string> = new Set([
  'apiextensions.k8s.io/CustomResourceDefinition',
  '/Namespace',
]);
const WEBHOOK_KINDS: ReadonlySet<string> = new Set([
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
]);

export function stageOf(obj: KubeObject): 0 | 1 | 2 {
  const groupKind = `${groupOf(obj.apiVersion)}/${obj.kind}`;
  if (DEFINITION_KINDS.has(groupKind)) return 0;
  if (WEBHOOK_KINDS.has(groupKind)) return 2;
  return 1;
}

export function planStages(objects: readonly KubeObject[]): StagePlan {
  const plan: StagePlan = { stages: [[], [], []] };
  for (const obj of sortForApply(objects)) plan.stages[stageOf(obj)].push(obj);
  return plan;
}
