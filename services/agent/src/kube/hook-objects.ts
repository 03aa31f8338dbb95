import {
  canPrune,
  objectId,
  recreatePropagation,
  type HookDeletion,
  type KubeObject,
} from '../domain/index.js';
import type { KubeClients } from './clients.js';
import { deleteAndWait, type WaitOptions } from './recreate.js';

/**
 * Deletes a Helm hook object by its delete policy (`why`). Only one that carries `application`'s
 * owner labels and is not annotated `fleetwave.io/prune: disabled`, and never a
 * CustomResourceDefinition (Helm never deletes those either: it would take every custom resource
 * with it). With `wait` (before the hook is created again) until it is gone, Pod owners in the
 * foreground; without, in the background. API errors are thrown: the next pass tries again.
 */
export async function deleteHookObject(
  clients: KubeClients,
  hook: KubeObject,
  application: string,
  why: string,
  options: WaitOptions & { wait: boolean },
): Promise<HookDeletion> {
  const id = objectId(hook);
  if (hook.kind === 'CustomResourceDefinition') {
    return { result: 'refused', entry: { id, action: 'skipped', reason: `${why}: a CRD is never deleted` } };
  }
  const live = await clients.resources.get(hook);
  if (live === undefined) return { result: 'gone' };
  const decision = canPrune(live, application);
  if (!decision.prune) {
    return { result: 'refused', entry: { id, action: 'skipped', reason: `${why}: ${decision.reason}` } };
  }
  if (!options.wait && live.metadata.deletionTimestamp !== undefined) {
    return { result: 'gone', entry: { id, action: 'deleted', reason: `${why}: already being deleted` } };
  }
  const deletion = await deleteAndWait(
    clients,
    hook,
    live,
    options.wait ? recreatePropagation(hook) : 'Background',
    options.wait ? options : { ...options, timeoutMs: 0 },
  );
  if (!options.wait || deletion.gone) {
    return { result: 'gone', entry: { id, action: 'deleted', reason: why } };
  }
  return { result: 'waiting', message: deletion.message };
}
