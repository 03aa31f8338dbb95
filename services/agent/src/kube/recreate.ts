import { objectId, recreatePropagation, type ChangeSetEntry, type KubeObject } from '../domain/index.js';
import { applyObject, type ApplyOptions } from './applier.js';
import type { KubeClients } from './clients.js';
import { delay } from './concurrency.js';
import { describeError, isConflict } from './errors.js';
import type { ObjectKey, PropagationPolicy } from './resources.js';

export interface WaitOptions {
  /** Bound for the wait until the object is gone. */
  timeoutMs: number;
  /** The clock and the pause between reads; real ones unless a test injects its own. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type DeleteAndWaitResult =
  /** Deleted (or already gone, `deleted: false`) and no longer there. */
  | { gone: true; deleted: boolean }
  /** Deleted, but still there when the wait ended (a finalizer, Pods still stopping). */
  | { gone: false; message: string };

/**
 * Deletes the object read as `live` (precondition on its uid: a namesake created since is left
 * alone) and polls (100 ms doubling to 1 s) until it is gone or replaced by a namesake, at most
 * `timeoutMs`. API errors other than a lost race are thrown.
 */
export async function deleteAndWait(
  clients: KubeClients,
  key: ObjectKey,
  live: KubeObject,
  propagationPolicy: PropagationPolicy,
  options: WaitOptions,
): Promise<DeleteAndWaitResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? delay;
  const uid = live.metadata.uid;
  try {
    const deleted = await clients.resources.delete(key, {
      propagationPolicy,
      ...(uid === undefined ? {} : { uid }),
    });
    if (!deleted) return { gone: true, deleted: false };
  } catch (err) {
    // The uid precondition failed: the object read is gone already, a namesake took its place.
    if (isConflict(err)) return { gone: true, deleted: false };
    throw err;
  }
  const started = now();
  let interval = 100;
  for (;;) {
    const current = await clients.resources.get(key);
    if (current === undefined || (uid !== undefined && current.metadata.uid !== uid)) {
      return { gone: true, deleted: true };
    }
    const left = started + options.timeoutMs - now();
    if (left <= 0) {
      const finalizers = current.metadata.finalizers;
      const waitingFor =
        Array.isArray(finalizers) && finalizers.length > 0 ? ` (finalizers: ${finalizers.join(', ')})` : '';
      return {
        gone: false,
        message: `still being deleted after ${(options.timeoutMs / 1000).toFixed(0)}s${waitingFor}`,
      };
    }
    await sleep(Math.min(interval, left));
    interval = Math.min(interval * 2, 1_000);
  }
}

/**
 * Deletes `desired`'s live namesake and creates it again: for a change the API server refuses
 * because `fields` are immutable. Pod owners are deleted in the foreground (domain
 * `recreatePropagation`) and the new object is created only once the old one is gone. `recreated`,
 * or `skipped` with why (the old object is still there when the wait ends: the next pass creates it).
 */
export async function recreateObject(
  clients: KubeClients,
  desired: KubeObject,
  fields: readonly string[],
  options: Omit<ApplyOptions, 'waitTimeoutMs' | 'concurrency'> & WaitOptions,
): Promise<ChangeSetEntry> {
  const id = objectId(desired);
  let live: KubeObject | undefined;
  try {
    live = await clients.resources.get(desired);
    if (live !== undefined) {
      const deletion = await deleteAndWait(clients, desired, live, recreatePropagation(desired), options);
      if (!deletion.gone) {
        return { id, action: 'skipped', reason: `deleted to be re-created, but ${deletion.message}` };
      }
    }
  } catch (err) {
    return { id, action: 'skipped', reason: `cannot delete to re-create: ${describeError(err)}` };
  }
  const applied = await applyObject(clients, desired, options);
  if (applied.action === 'skipped') {
    return { ...applied, reason: `deleted to be re-created, but the create failed: ${applied.reason ?? ''}` };
  }
  const what = fields.length === 0 ? 'an immutable field' : `immutable ${fields.join(', ')}`;
  return { id, action: 'recreated', reason: `${what} changed` };
}
