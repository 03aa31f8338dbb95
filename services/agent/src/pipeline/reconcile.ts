import {
  type Assignment,
  type BundleStatus,
  describeHealthCheckProblem,
  type FailingResource,
} from '@fleetwave/contracts';
import {
  aggregateBundleHealth,
  type ChangeSetEntry,
  diffInventory,
  inventoryOf,
  mergeInventory,
  ownerLabels,
  parseManifests,
} from '../domain/index.js';
import { type ClusterPort } from './cluster-port.js';
import { compiledHealthChecks } from './compiled-health-checks.js';

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

  let changes: ChangeSetEntry[] = [];
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
    const objects = scoped.objects;
    const previous = (await port.loadInventory(assignment.application)) ?? { entries: [] };
    if (objects.length === 0 && previous.entries.length > 0 && !assignment.allowEmpty) {
      throw new Stalled(
        'EmptyBundle',
        `the bundle is empty and would prune all ${previous.entries.length} objects; the assignment must allow it explicitly`,
      );
    }
    const next = inventoryOf(objects);
    const meta = { digest: assignment.digest, commit: assignment.commit };
    // Track new objects before creating them: a crash mid-apply must not leave untracked objects.
    await port.saveInventory(assignment.application, mergeInventory(next, previous.entries), meta);

    changes = await port.apply(
      objects,
      ownerLabels({ application: assignment.application, clusterId: input.clusterId }),
    );
    const applyFailures: FailingResource[] = changes
      .filter((c) => c.action === 'skipped')
      .map((c) => ({
        id: c.id,
        reason: 'ApplyFailed',
        message: (c.reason ?? 'apply failed').slice(0, 1024),
      }));

    let survivors = diffInventory(previous, next).stale;
    if (assignment.prune && applyFailures.length === 0) {
      const pruned = await port.prune(survivors, assignment.application);
      changes = [...changes, ...pruned.entries];
      survivors = pruned.survivors;
    }
    await port.saveInventory(assignment.application, mergeInventory(next, survivors), meta);

    const results = await port.readStatuses(objects, rules.checks);
    const deadlinePassed =
      input.now.getTime() - input.since.getTime() > assignment.progressDeadlineSeconds * 1000;
    const health = aggregateBundleHealth(results, { progressDeadlinePassed: deadlinePassed });
    const driftCorrections = input.reapply
      ? changes.filter((c) => c.action === 'created' || c.action === 'configured').length
      : 0;
    if (applyFailures.length > 0) {
      return {
        status: status('Failed', {
          ready: health.ready,
          total: health.total,
          failing: [...applyFailures, ...health.failing].slice(0, 50),
          driftCorrections,
        }),
        changes,
        applyErrors: applyFailures.length,
      };
    }
    return {
      status: status(health.phase, {
        ready: health.ready,
        total: health.total,
        failing: health.failing,
        driftCorrections,
      }),
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
