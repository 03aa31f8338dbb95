import {
  computeStatus,
  groupOf,
  objectId,
  planStages,
  withOwnerLabels,
  type ChangeSetEntry,
  type KubeObject,
} from '../domain/index.js';
import { getPath } from '../domain/kube-object.js';
import type { KubeClients } from './clients.js';
import { forApply, sameContent } from './compare.js';
import { delay, mapLimit } from './concurrency.js';
import { describeError, immutableFields } from './errors.js';
import type { FieldValidation } from './resources.js';

export interface ApplyOptions {
  /** The server-side apply field manager: `fleetwave`. */
  fieldManager: string;
  /** Set on every applied object (domain `ownerLabels`). */
  ownerLabels: Readonly<Record<string, string>>;
  /**
   * Take ownership of fields another manager set (`kubectl apply --server-side --force-conflicts`).
   * Default true, as Flux: without it, a field changed by `kubectl scale` or `kubectl edit` would be
   * a conflict, and drift could never be reverted.
   */
  force?: boolean;
  /** Bound for the wait between stage 0 (CRDs, Namespaces) and stage 1. */
  waitTimeoutMs: number;
  /** Objects applied at once within a stage; default 4. */
  concurrency?: number;
  /** Default `Strict`: an unknown field in a manifest is an apply error, not silently dropped. */
  fieldValidation?: FieldValidation;
  /** Called for every object applied (or found unchanged), e.g. to give the drift watcher its baseline. */
  onApplied?: (applied: AppliedObject) => void;
}

/** One object the applier wrote or found unchanged. */
export interface AppliedObject {
  id: string;
  action: 'created' | 'configured' | 'unchanged';
  /** What was applied: the manifest with the owner labels. */
  desired: KubeObject;
  /** What the server answered: the object as stored after the apply (or as it was, when unchanged). */
  live: KubeObject;
}

interface Outcome {
  entry: ChangeSetEntry;
  applied?: AppliedObject;
}

/**
 * Staged server-side apply, after `fluxcd/pkg/ssa` `ApplyAllStaged`:
 *
 * - stages from domain `planStages` (CRDs and Namespaces, then everything else, then webhooks);
 *   after stage 0 it waits (bounded by `waitTimeoutMs`) until the CRDs are Established and served by
 *   discovery and the Namespaces are Active;
 * - every object: a server-side-apply dry run first; when its result equals the live object
 *   (ignoring status, managedFields, resourceVersion, generation) the object is `unchanged` and is
 *   not written; otherwise it is applied for real: `created` or `configured`;
 * - an object the API server refuses is `skipped` with the server's reason and message (and, when
 *   the refusal is for immutable fields, those fields: only re-creating the object changes them);
 *   the other objects are still applied (the caller decides the bundle failed or re-creates).
 *
 * Objects must have been through domain `checkNamespaces` (namespaced objects carry a namespace).
 * Entries come back in apply order.
 */
export async function applyBundle(
  clients: KubeClients,
  objects: readonly KubeObject[],
  options: ApplyOptions,
): Promise<ChangeSetEntry[]> {
  const { stages } = planStages(objects);
  const [definitions, resources, webhooks] = stages;
  const concurrency = options.concurrency ?? 4;

  const first = await mapLimit(definitions, concurrency, (obj) => applyOne(clients, obj, options));
  await waitForDefinitions(clients, first, options.waitTimeoutMs);

  const entries = first.map(({ entry }) => entry);
  for (const stage of [resources, webhooks]) {
    const outcomes = await mapLimit(stage, concurrency, (obj) => applyOne(clients, obj, options));
    entries.push(...outcomes.map(({ entry }) => entry));
  }
  return entries;
}

/**
 * One object on its own, as {@link applyBundle} applies each (dry run first, `unchanged` when it
 * would change nothing): for the objects applied outside the bundle's stages (Helm hooks,
 * re-created objects).
 */
export async function applyObject(
  clients: KubeClients,
  obj: KubeObject,
  options: Omit<ApplyOptions, 'waitTimeoutMs' | 'concurrency'>,
): Promise<ChangeSetEntry> {
  return (await applyOne(clients, obj, options)).entry;
}

async function applyOne(
  clients: KubeClients,
  obj: KubeObject,
  options: Omit<ApplyOptions, 'waitTimeoutMs' | 'concurrency'>,
): Promise<Outcome> {
  const desired = forApply(withOwnerLabels(obj, options.ownerLabels));
  const id = objectId(desired);
  const request = {
    fieldManager: options.fieldManager,
    force: options.force ?? true,
    fieldValidation: options.fieldValidation,
  };
  let outcome: Outcome;
  try {
    let live = await clients.resources.get(desired);
    const dryRun = await clients.resources.apply(desired, { ...request, dryRun: true });
    if (
      live !== undefined &&
      !sameContent(dryRun, live) &&
      dryRun.metadata.resourceVersion !== live.metadata.resourceVersion
    ) {
      // Someone else wrote the object between the read and the dry run (a controller adding an
      // annotation right after creation): compare with what the dry run was based on.
      live = await clients.resources.get(desired);
    }
    if (live !== undefined && sameContent(dryRun, live)) {
      outcome = {
        entry: { id, action: 'unchanged' },
        applied: { id, action: 'unchanged', desired, live },
      };
    } else {
      const stored = await clients.resources.apply(desired, request);
      const action = live === undefined ? 'created' : 'configured';
      outcome = { entry: { id, action }, applied: { id, action, desired, live: stored } };
    }
  } catch (err) {
    const fields = immutableFields(err);
    return {
      entry: {
        id,
        action: 'skipped',
        reason: describeError(err),
        ...(fields === undefined ? {} : { immutableFields: fields }),
      },
    };
  }
  if (outcome.applied !== undefined && options.onApplied !== undefined) {
    try {
      options.onApplied(outcome.applied);
    } catch {
      // A listener's failure is not the apply's.
    }
  }
  return outcome;
}

interface Readiness {
  ready: boolean;
  /** Will not get ready by waiting (a CRD whose names were refused). */
  final: boolean;
  message: string;
}

/**
 * Waits until every CRD and Namespace of stage 0 that was applied is ready, polling (100 ms doubling
 * to 1 s) up to `timeoutMs`. Objects that did not get ready keep their action, with the reason noted
 * on their entry; stage 1 is applied regardless (its objects then fail with the server's reason).
 */
async function waitForDefinitions(
  clients: KubeClients,
  outcomes: Outcome[],
  timeoutMs: number,
): Promise<void> {
  let pending = outcomes.filter((outcome) => outcome.applied !== undefined);
  if (pending.length === 0) return;
  const started = Date.now();
  const deadline = started + timeoutMs;
  const last = new Map<Outcome, Readiness>();
  let interval = 100;
  for (;;) {
    const checks = await Promise.all(
      pending.map(async (outcome): Promise<[Outcome, Readiness]> => {
        const applied = outcome.applied as AppliedObject;
        return [outcome, await readiness(clients, applied.desired)];
      }),
    );
    pending = [];
    for (const [outcome, state] of checks) {
      last.set(outcome, state);
      if (state.final && !state.ready) outcome.entry.reason = state.message;
      if (!state.ready && !state.final) pending.push(outcome);
    }
    if (pending.length === 0) return;
    const left = deadline - Date.now();
    if (left <= 0) break;
    await delay(Math.min(interval, left));
    interval = Math.min(interval * 2, 1_000);
  }
  const waited = ((Date.now() - started) / 1000).toFixed(1);
  for (const outcome of pending) {
    outcome.entry.reason = `not ready after ${waited}s: ${last.get(outcome)?.message ?? 'unknown'}`;
  }
}

async function readiness(clients: KubeClients, desired: KubeObject): Promise<Readiness> {
  let live: KubeObject | undefined;
  try {
    live = await clients.resources.get(desired);
  } catch (err) {
    return { ready: false, final: false, message: describeError(err) };
  }
  if (live === undefined) return { ready: false, final: false, message: 'not found' };

  if (desired.kind === 'Namespace' && groupOf(desired.apiVersion) === '') {
    const phase = getPath(live, ['status', 'phase']);
    return phase === 'Active'
      ? { ready: true, final: false, message: 'Namespace is Active' }
      : {
          ready: false,
          final: false,
          message: `Namespace is ${typeof phase === 'string' ? phase : 'not Active'}`,
        };
  }

  const status = computeStatus(live);
  if (status.status === 'Failed') return { ready: false, final: true, message: status.message };
  if (status.status !== 'Current') return { ready: false, final: false, message: status.message };
  if (desired.kind !== 'CustomResourceDefinition')
    return { ready: true, final: false, message: status.message };

  // Established; the custom resources of stage 1 also need discovery to serve their kind.
  const group = getPath(live, ['spec', 'group']);
  const kind = getPath(live, ['spec', 'names', 'kind']);
  const versions = getPath(live, ['spec', 'versions']);
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(versions)) {
    return { ready: true, final: false, message: status.message };
  }
  for (const version of versions as unknown[]) {
    const name = getPath(version, ['name']);
    if (typeof name !== 'string' || getPath(version, ['served']) === false) continue;
    try {
      if ((await clients.discovery.resource(`${group}/${name}`, kind)) === undefined) {
        return {
          ready: false,
          final: false,
          message: `${group}/${name} ${kind} not yet served by discovery`,
        };
      }
    } catch (err) {
      return { ready: false, final: false, message: describeError(err) };
    }
  }
  return { ready: true, final: false, message: status.message };
}
