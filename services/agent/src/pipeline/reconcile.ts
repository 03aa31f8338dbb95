import {
  type Assignment,
  type BundleStatus,
  describeHealthCheckProblem,
  describeViolation,
  type FailingResource,
  objectViolations,
} from '@fleetwave/contracts';
import {
  aggregateBundleHealth,
  type ChangeSetEntry,
  countDriftCorrections,
  diffInventory,
  type HookFailure,
  type HookRunState,
  immutableFieldMessage,
  inventoryOf,
  type KubeObject,
  mergeInventory,
  newHookRunState,
  objectId,
  ownerLabels,
  parseManifests,
  PROGRESS_DEADLINE_EXCEEDED,
  planHooks,
  planStages,
  recreateDecision,
  releaseMode,
} from '../domain/index.js';
import { type ClusterPort, type InventoryMeta } from './cluster-port.js';
import { compiledHealthChecks } from './compiled-health-checks.js';
import { type HookPhaseResult, runHookPhase } from './hook-steps.js';

export interface ReconcileInput {
  assignment: Assignment;
  clusterId: string;
  /** The bundle's manifests, or why they could not be had (fetch failed, digest mismatch). */
  manifests: { ok: true; text: string } | { ok: false; reason: string; message: string };
  /** When this agent first started applying this digest: the progress deadline counts from here. */
  since: Date;
  now: Date;
  /** True for a re-apply of the revision already applied: creations/changes are drift corrections. */
  reapply: boolean;
}

export interface ReconcileResult {
  status: BundleStatus;
  changes: ChangeSetEntry[];
  /**
   * Objects the API server refused to apply, plus one when a Kubernetes API error cut the reconcile
   * short (bad input that never reached the cluster is not counted: that is `Stalled`, not an error).
   */
  applyErrors: number;
}

/** A reconcile that cannot proceed: the bundle is Stalled, and the cluster is left as it was. */
class Stalled extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One application's reconcile, Flux kustomize-controller style: bundle → validate → record the
 * inventory → staged apply → prune → health. Whatever happens, a BundleStatus comes back, and bad
 * input never touches objects already in the cluster.
 *
 * Helm hooks in the bundle (domain `planHooks`) run around it, as `helm install` / `helm upgrade`
 * would: the pre-hooks first, each to completion, before anything else is applied (while one runs
 * the bundle is Progressing and the next pass goes on); the post-hooks once the rest is healthy.
 * Which hooks ran is kept with the inventory, per digest, so the passes that re-apply the bundle
 * (drift correction, resync) never run them again. Hook objects are never inventoried, so never
 * pruned: only their delete policy deletes them.
 *
 * An object whose apply is refused because a field is immutable is deleted and re-created when the
 * assignment's `recreate` policy allows it (`recreated` in the change set); otherwise the bundle
 * fails, naming the object and the field.
 */
export async function reconcileBundle(port: ClusterPort, input: ReconcileInput): Promise<ReconcileResult> {
  const { assignment } = input;
  const status = (phase: BundleStatus['phase'], fields: Partial<BundleStatus> = {}): BundleStatus => ({
    application: assignment.application,
    digest: assignment.digest,
    commit: assignment.commit,
    phase,
    ready: 0,
    total: 0,
    failing: [],
    driftCorrections: 0,
    observedAt: input.now.toISOString(),
    ...fields,
  });
  const stalledStatus = (reason: string, message: string, total = 0) =>
    status('Stalled', {
      total,
      failing: [{ id: assignment.application, reason, message: message.slice(0, 1024) }],
    });
  const deadlinePassed =
    input.now.getTime() - input.since.getTime() > assignment.progressDeadlineSeconds * 1000;

  const changes: ChangeSetEntry[] = [];
  /** The bundle's status while a hook phase is not done: Progressing (Failed past the deadline), or Failed. */
  const hookStatus = (
    result: Exclude<HookPhaseResult, { outcome: 'done' }>,
    fields: Partial<BundleStatus>,
  ) => {
    if (result.outcome === 'failed') {
      return status('Failed', {
        ...fields,
        failing: [hookFailing(result.failure), ...(fields.failing ?? [])],
      });
    }
    const failing = {
      id: result.id,
      reason: deadlinePassed ? PROGRESS_DEADLINE_EXCEEDED : 'HookRunning',
      message: result.message.slice(0, 1024),
    };
    return status(deadlinePassed ? 'Failed' : 'Progressing', {
      ...fields,
      failing: [failing, ...(fields.failing ?? [])],
    });
  };
  try {
    if (!input.manifests.ok) throw new Stalled(input.manifests.reason, input.manifests.message);
    // The hub refuses rules it cannot compile; a rule this agent's library refuses stalls the
    // application before anything is applied, like any other bad input.
    const rules = compiledHealthChecks.get(assignment.healthChecks);
    if (!rules.ok)
      throw new Stalled('InvalidHealthChecks', rules.problems.map(describeHealthCheckProblem).join('; '));
    const parsed = parseManifests(input.manifests.text);
    if (parsed.errors.length > 0) {
      throw new Stalled('InvalidManifests', parsed.errors.map((e) => e.message).join('; '));
    }
    const scoped = await port.checkScopes(parsed.objects, assignment.defaultNamespace);
    if (scoped.errors.length > 0)
      throw new Stalled('InvalidObjects', scoped.errors.map((e) => e.message).join('; '));
    // The project's bounds, again (the hub checked the bundle before rolling it out): defence in
    // depth, with the cluster's own answer on scope. After the scope check a namespaced object has
    // its namespace and a cluster-scoped one has none.
    if (assignment.bounds !== undefined) {
      const outside = objectViolations(assignment.bounds, scoped.objects, (o) => !o.metadata?.namespace);
      if (outside.length > 0) {
        throw new Stalled('OutsideProjectBounds', outside.slice(0, 20).map(describeViolation).join('; '));
      }
    }
    const record = await port.readInventory(assignment.application);
    const previous = record?.inventory ?? { entries: [] };
    const recorded = record?.hooks?.digest === assignment.digest ? record.hooks : undefined;
    const plan = planHooks(
      scoped.objects,
      recorded?.mode ?? releaseMode(previous.entries.length, record?.hooks),
    );
    const objects = plan.main;
    if (objects.length === 0 && previous.entries.length > 0 && !assignment.allowEmpty) {
      throw new Stalled(
        'EmptyBundle',
        `the bundle is empty and would prune all ${previous.entries.length} objects; the assignment must allow it explicitly`,
      );
    }
    const hooks: HookRunState | undefined =
      recorded ??
      (plan.pre.length + plan.post.length > 0 ? newHookRunState(assignment.digest, plan.mode) : undefined);
    const labels = ownerLabels({ application: assignment.application, clusterId: input.clusterId });
    const meta = (state: HookRunState | undefined): InventoryMeta => ({
      digest: assignment.digest,
      commit: assignment.commit,
      ...(state === undefined ? {} : { hooks: state }),
    });
    const hookPhase = (
      phase: 'pre' | 'post',
      state: HookRunState,
      save: (meta: InventoryMeta) => Promise<void>,
    ) =>
      runHookPhase(port, {
        phase,
        hooks: plan[phase],
        state,
        application: assignment.application,
        ownerLabels: labels,
        save: (hookState) => save(meta(hookState)),
        changes,
      });

    // 1. Pre-hooks: nothing else is applied until each has completed.
    if (hooks?.failed?.phase === 'pre') {
      return {
        status: hookStatus({ outcome: 'failed', failure: hooks.failed }, { total: objects.length }),
        changes,
        applyErrors: 0,
      };
    }
    if (hooks !== undefined && plan.pre.length > 0 && !hooks.done.includes('pre')) {
      // Until the pre-hooks are done the inventory keeps the revision it recorded, with the hooks.
      const recordedMeta =
        record?.digest && record.commit ? { digest: record.digest, commit: record.commit } : {};
      let inventory = previous;
      // The Namespaces and CRDs first, as Helm creates the release namespace and the chart's CRDs
      // before any hook: a hook in the bundle's own namespace needs it.
      const definitions = planStages(objects).stages[0];
      if (definitions.length > 0) {
        inventory = mergeInventory(inventoryOf(definitions), previous.entries);
        await port.saveInventory(assignment.application, inventory, { ...meta(hooks), ...recordedMeta });
        const applied = (await port.apply(definitions, labels)).entries;
        changes.push(...applied);
        const refused = applyFailuresOf(applied);
        if (refused.length > 0) {
          return {
            status: status('Failed', { total: objects.length, failing: refused }),
            changes,
            applyErrors: refused.length,
          };
        }
      }
      const pre = await hookPhase('pre', hooks, (hookMeta) =>
        port.saveInventory(assignment.application, inventory, { ...hookMeta, ...recordedMeta }),
      );
      if (pre.outcome !== 'done') {
        return {
          status: hookStatus(pre, { total: objects.length }),
          changes,
          applyErrors: hookApplyErrors(pre),
        };
      }
    }

    // 2. The release's own objects.
    const next = inventoryOf(objects);
    // Track new objects before creating them: a crash mid-apply must not leave untracked objects.
    await port.saveInventory(assignment.application, mergeInventory(next, previous.entries), meta(hooks));

    const { entries: appliedEntries, observed } = await port.apply(objects, labels);
    const applied = await recreateRefused(port, objects, appliedEntries, assignment.recreate, labels);
    changes.push(...applied);
    const applyFailures = applyFailuresOf(applied);

    // A hook object is never pruned, even one that was a release object in the previous revision.
    let survivors = diffInventory(previous, next).stale.filter((entry) => !plan.hookIds.has(entry.id));
    if (assignment.prune && applyFailures.length === 0) {
      const pruned = await port.prune(survivors, assignment.application);
      changes.push(...pruned.entries);
      survivors = pruned.survivors;
    }
    const kept = mergeInventory(next, survivors);
    await port.saveInventory(assignment.application, kept, meta(hooks));

    // The apply's answers first: only what is not yet Current there is read again.
    const results = await port.readStatuses(objects, rules.checks, observed);
    const health = aggregateBundleHealth(results, { progressDeadlinePassed: deadlinePassed });
    const driftCorrections = input.reapply ? countDriftCorrections(applied) : 0;
    const fields = { ready: health.ready, total: health.total, driftCorrections };
    if (applyFailures.length > 0) {
      return {
        status: status('Failed', { ...fields, failing: [...applyFailures, ...health.failing].slice(0, 50) }),
        changes,
        applyErrors: applyFailures.length,
      };
    }

    // 3. Post-hooks, once the rest is healthy.
    if (hooks?.failed?.phase === 'post') {
      return {
        status: hookStatus(
          { outcome: 'failed', failure: hooks.failed },
          { ...fields, failing: health.failing },
        ),
        changes,
        applyErrors: 0,
      };
    }
    if (hooks !== undefined && plan.post.length > 0 && health.phase === 'Healthy') {
      const post = await hookPhase('post', hooks, (hookMeta) =>
        port.saveInventory(assignment.application, kept, hookMeta),
      );
      if (post.outcome !== 'done') {
        return { status: hookStatus(post, fields), changes, applyErrors: hookApplyErrors(post) };
      }
    }
    return {
      status: status(health.phase, { ...fields, failing: health.failing }),
      changes,
      applyErrors: 0,
    };
  } catch (error) {
    if (error instanceof Stalled) {
      return { status: stalledStatus(error.reason, error.message), changes, applyErrors: 0 };
    }
    // A Kubernetes API or other unexpected error: report it precisely, keep running.
    const message = error instanceof Error ? error.message : String(error);
    const refused = changes.filter((c) => c.action === 'skipped').length;
    return { status: stalledStatus('ReconcileError', message), changes, applyErrors: refused + 1 };
  }
}

/** The objects the API server refused, as failing entries. */
function applyFailuresOf(entries: readonly ChangeSetEntry[]): FailingResource[] {
  return entries
    .filter((c) => c.action === 'skipped')
    .map((c) => ({
      id: c.id,
      reason: c.immutableFields === undefined ? 'ApplyFailed' : 'ImmutableField',
      message: (c.reason ?? 'apply failed').slice(0, 1024),
    }));
}

/** A hook the API server refused to create counts as an apply error. */
function hookApplyErrors(result: HookPhaseResult): number {
  return result.outcome === 'failed' && result.failure.reason === 'HookApplyFailed' ? 1 : 0;
}

function hookFailing(failure: HookFailure): FailingResource {
  return { id: failure.id, reason: failure.reason.slice(0, 128), message: failure.message.slice(0, 1024) };
}

/**
 * The apply's entries, with each object refused for an immutable field re-created when `policy`
 * allows it, or else refused with a message that names the object and the fields.
 */
async function recreateRefused(
  port: ClusterPort,
  objects: readonly KubeObject[],
  entries: ChangeSetEntry[],
  policy: Assignment['recreate'],
  labels: Record<string, string>,
): Promise<ChangeSetEntry[]> {
  const byId = new Map(objects.map((obj) => [objectId(obj), obj]));
  const result: ChangeSetEntry[] = [];
  for (const entry of entries) {
    const desired = byId.get(entry.id);
    if (entry.action !== 'skipped' || entry.immutableFields === undefined || desired === undefined) {
      result.push(entry);
      continue;
    }
    const decision = recreateDecision(policy, desired);
    result.push(
      decision.recreate
        ? await port.recreate(desired, labels, entry.immutableFields)
        : { ...entry, reason: immutableFieldMessage(desired, entry.immutableFields, decision.why) },
    );
  }
  return result;
}
