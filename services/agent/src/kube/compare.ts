import { isRecord, type KubeObject } from '../domain/index.js';

/**
 * Metadata the API server owns and rewrites on every write, never part of "what the object is"
 * (`fluxcd/pkg/ssa` ignores the same when it compares a dry-run result with the live object).
 */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation'] as const;

/** Metadata a manifest must not carry into an apply (they come from an export of a live object). */
const SERVER_ONLY_METADATA = [
  ...SERVER_METADATA,
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
] as const;

/** `obj` without `status` and the server-owned metadata, for comparisons. */
export function comparable(obj: KubeObject): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...obj };
  delete rest.status;
  const metadata: Record<string, unknown> = { ...obj.metadata };
  for (const key of SERVER_METADATA) delete metadata[key];
  rest.metadata = metadata;
  return rest;
}

/**
 * True when a dry-run apply result is what is already live: everything but status and the
 * server-owned metadata is equal. Then applying would change nothing but managedFields timestamps,
 * so the agent does not write (no new resourceVersion, no watch event, no drift noise).
 */
export function sameContent(dryRun: KubeObject, live: KubeObject): boolean {
  return deepEqual(comparable(dryRun), comparable(live));
}

/** A copy of a manifest fit for server-side apply: no status, no server-only metadata. */
export function forApply(obj: KubeObject): KubeObject {
  const copy: KubeObject = { ...obj, metadata: { ...obj.metadata } };
  delete copy.status;
  for (const key of SERVER_ONLY_METADATA) delete copy.metadata[key];
  return copy;
}

/** Structural equality of JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((value, i) => deepEqual(value, b[i]));
  }
  if (isRecord(a)) {
    if (!isRecord(b) || Array.isArray(b)) return false;
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
    if (keysA.length !== keysB.length) return false;
    return keysA.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * The part of `value` that `shape` (a manifest) speaks about: for objects, only the keys of `shape`;
 * for arrays of the same length, element by element; anything else whole. Defaults the server
 * added, fields other controllers own and status fall away, so two projections of one object differ
 * only when a field the manifest sets has changed. Keys of `shape` missing in `value` are left out.
 */
export function project(value: unknown, shape: unknown): unknown {
  if (isRecord(shape) && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      if (Object.hasOwn(value, key)) out[key] = project(value[key], shape[key]);
    }
    return out;
  }
  if (Array.isArray(shape) && Array.isArray(value) && shape.length === value.length) {
    return value.map((item, i) => project(item, shape[i]));
  }
  return value;
}
