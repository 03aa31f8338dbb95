import { createTwoFilesPatch } from 'diff';
import { parseAllDocuments, stringify } from 'yaml';
import { maskSecretPair } from './secret-mask.js';

/** What happens to one object when a cluster moves from one bundle to another. */
export interface ObjectChange {
  /** `Kind namespace/name` (no namespace for cluster-scoped objects). */
  object: string;
  change: 'added' | 'removed' | 'changed';
  /** A unified diff of the object's YAML, as `kubectl diff` prints it. */
  diff: string;
}

/** Clusters whose move has exactly the same object changes. */
export interface DiffGroup {
  clusters: string[];
  changes: ObjectChange[];
}

/** One cluster's move: the bundle it has now (null: none yet) and the one it would get. */
export interface ClusterMove {
  cluster: string;
  before: string | null;
  after: string;
}

/**
 * The pre-flight diff of a rollout, grouped: clusters making the same move are diffed once, and
 * moves with identical changes are one group (1,000 clusters typically collapse to a handful).
 * Groups come largest first, then by their first cluster's name; clusters in name order. Pure:
 * `manifests` gives each digest's bundle (a digest it lacks counts as an empty bundle).
 */
export function groupedDiff(
  moves: readonly ClusterMove[],
  manifests: ReadonlyMap<string, string>,
): DiffGroup[] {
  const byMove = new Map<string, ObjectChange[]>();
  const groups = new Map<string, DiffGroup>();
  for (const move of moves) {
    const moveKey = `${move.before ?? ''}>${move.after}`;
    let changes = byMove.get(moveKey);
    if (changes === undefined) {
      changes =
        move.before === move.after
          ? []
          : diffBundles(
              move.before === null ? null : (manifests.get(move.before) ?? ''),
              manifests.get(move.after) ?? '',
            );
      byMove.set(moveKey, changes);
    }
    const changesKey = JSON.stringify(changes);
    const group = groups.get(changesKey) ?? { clusters: [], changes };
    group.clusters.push(move.cluster);
    groups.set(changesKey, group);
  }
  const list = [...groups.values()];
  for (const group of list) group.clusters.sort();
  return list.sort(
    (a, b) => b.clusters.length - a.clusters.length || a.clusters[0]!.localeCompare(b.clusters[0]!),
  );
}

/**
 * Object by object, what changes from `before` (null: nothing applied yet) to `after`; Secret values
 * masked (secret-mask.ts). Pure.
 */
export function diffBundles(before: string | null, after: string): ObjectChange[] {
  const old = objectsOf(before ?? '');
  const next = objectsOf(after);
  const ids = [...new Set([...old.keys(), ...next.keys()])].sort();
  const changes: ObjectChange[] = [];
  for (const id of ids) {
    const [beforeObject, afterObject] = maskSecretPair(old.get(id), next.get(id));
    const a = beforeObject === undefined ? undefined : stringify(beforeObject, { lineWidth: 0 });
    const b = afterObject === undefined ? undefined : stringify(afterObject, { lineWidth: 0 });
    if (a === b) continue;
    changes.push({
      object: id,
      change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
      diff: createTwoFilesPatch(`a/${id}`, `b/${id}`, a ?? '', b ?? '', undefined, undefined, { context: 3 }),
    });
  }
  return changes;
}

/** Each object of a bundle, by `Kind namespace/name`; Lists expanded as the agent does. */
function objectsOf(manifests: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const item of bundleObjects(manifests)) {
    const { namespace, name } = item.metadata as Record<string, unknown>;
    const id = `${String(item.kind)} ${typeof namespace === 'string' && namespace !== '' ? `${namespace}/` : ''}${String(name)}`;
    out.set(id, item);
  }
  return out;
}

/** The objects of a bundle (those with metadata), Lists expanded as the agent does. */
export function bundleObjects(manifests: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const document of parseAllDocuments(manifests)) {
    const value: unknown = document.toJS();
    const items =
      isRecord(value) && Array.isArray(value.items) && String(value.kind).endsWith('List')
        ? value.items
        : [value];
    for (const item of items) {
      if (isRecord(item) && isRecord(item.metadata)) out.push(item);
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How many objects a bundle holds (Lists counted by their items). */
export function objectCount(manifests: string): number {
  return objectsOf(manifests).size;
}
