import type { ChangeSetEntry } from './change-set.js';
import type { KubeObject } from './kube-object.js';
import { getPath, isRecord } from './kube-object.js';
import { objectId } from './object-id.js';
import { computeStatus } from './status/index.js';

/**
 * Helm chart hooks in a rendered bundle (`helm template` keeps them, annotated), run the way
 * `helm install` / `helm upgrade` would (helm `pkg/releaseutil/manifest_sorter.go`,
 * `pkg/action/hooks.go`), but planned here as pure data so the agent can run them across passes.
 */
export const HOOK_ANNOTATION = 'helm.sh/hook';
export const HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
export const HOOK_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';

/** Helm's hook events; `test-success` is Helm 2's name for `test`. */
const HOOK_EVENTS = [
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export const HOOK_DELETE_POLICIES = ['before-hook-creation', 'hook-succeeded', 'hook-failed'] as const;
export type HookDeletePolicy = (typeof HOOK_DELETE_POLICIES)[number];

/** The first apply of an application on a cluster (no inventory yet) installs; any later one upgrades. */
export const RELEASE_MODES = ['install', 'upgrade'] as const;
export type ReleaseMode = (typeof RELEASE_MODES)[number];
export const HOOK_PHASES = ['pre', 'post'] as const;
export type HookPhase = (typeof HOOK_PHASES)[number];

/** Which event each phase runs, by mode. */
export const PHASE_EVENTS: Readonly<Record<ReleaseMode, Record<HookPhase, HookEvent>>> = {
  install: { pre: 'pre-install', post: 'post-install' },
  upgrade: { pre: 'pre-upgrade', post: 'post-upgrade' },
};

export interface PlannedHook {
  /** `namespace_name_group_kind`. */
  id: string;
  object: KubeObject;
  /** The event it runs for in this plan. */
  event: HookEvent;
  weight: number;
  /** As annotated; `before-hook-creation` when none is (Helm's default). */
  deletePolicies: HookDeletePolicy[];
}

export interface LeftOut {
  id: string;
  reason: string;
}

export interface HookPlan {
  mode: ReleaseMode;
  /** Run first, one after the other, each to completion, before anything of `main` is applied. */
  pre: PlannedHook[];
  /** The release's resources: applied, inventoried, pruned, judged. */
  main: KubeObject[];
  /** Run after `main` is healthy, one after the other. */
  post: PlannedHook[];
  /** Hooks not run in this mode (`test`, delete and rollback events, unknown events). */
  leftOut: LeftOut[];
  /**
   * Every object annotated as a hook, whatever its events: never part of the inventory, so never
   * pruned; only its delete policy ever deletes one.
   */
  hookIds: Set<string>;
}

/**
 * Splits a bundle into pre-hooks, the release's own objects and post-hooks for `mode`. An object
 * with a `helm.sh/hook` annotation is a hook, never a release resource. Like Helm:
 *
 * - events are comma-separated, case-insensitive; a value naming an event Helm does not know
 *   leaves the whole object out (Helm 3 skips it: `crd-install`);
 * - `helm.sh/hook-weight` is an integer, anything else counts as 0;
 * - hooks of one event run by weight, then kind (Helm's install order; unknown kinds last, by
 *   kind), then name;
 * - an object annotated for two events of a plan (`pre-upgrade,post-upgrade`) runs in both.
 *
 * `test` hooks never run: Fleetwave has no `helm test`. Delete and rollback hooks never run either.
 */
export function planHooks(objects: readonly KubeObject[], mode: ReleaseMode): HookPlan {
  const plan: HookPlan = { mode, pre: [], main: [], post: [], leftOut: [], hookIds: new Set() };
  const events = PHASE_EVENTS[mode];
  for (const object of objects) {
    const annotation = object.metadata.annotations?.[HOOK_ANNOTATION];
    if (annotation === undefined) {
      plan.main.push(object);
      continue;
    }
    const id = objectId(object);
    plan.hookIds.add(id);
    const parsed = parseHookEvents(annotation);
    if ('unknown' in parsed) {
      plan.leftOut.push({ id, reason: `unknown hook event "${parsed.unknown}"` });
      continue;
    }
    const hook = { id, object, weight: hookWeight(object), deletePolicies: deletePoliciesOf(object) };
    const runs = { pre: parsed.events.includes(events.pre), post: parsed.events.includes(events.post) };
    if (runs.pre) plan.pre.push({ ...hook, event: events.pre });
    if (runs.post) plan.post.push({ ...hook, event: events.post });
    if (!runs.pre && !runs.post) {
      plan.leftOut.push({
        id,
        reason: parsed.events.includes('test')
          ? 'test hook: never run'
          : `${parsed.events.join(',')} hook: not run on ${mode}`,
      });
    }
  }
  plan.pre.sort(compareHooks);
  plan.post.sort(compareHooks);
  return plan;
}

function parseHookEvents(annotation: string): { events: HookEvent[] } | { unknown: string } {
  const events: HookEvent[] = [];
  for (const raw of annotation.split(',')) {
    const name = raw.trim().toLowerCase();
    const event = name === 'test-success' ? 'test' : name;
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) return { unknown: name };
    if (!events.includes(event as HookEvent)) events.push(event as HookEvent);
  }
  return { events };
}

function hookWeight(object: KubeObject): number {
  const text = object.metadata.annotations?.[HOOK_WEIGHT_ANNOTATION]?.trim() ?? '';
  // Go's strconv.Atoi: an optional sign and decimal digits, nothing else.
  return /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : 0;
}

function deletePoliciesOf(object: KubeObject): HookDeletePolicy[] {
  const annotation = object.metadata.annotations?.[HOOK_DELETE_POLICY_ANNOTATION];
  const policies = (annotation ?? '')
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p): p is HookDeletePolicy => (HOOK_DELETE_POLICIES as readonly string[]).includes(p));
  return policies.length > 0 ? [...new Set(policies)] : ['before-hook-creation'];
}

/** Helm's `InstallOrder`: the kind tie-breaker between hooks of one weight. */
const HELM_INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];
const INSTALL_RANK = new Map(HELM_INSTALL_ORDER.map((kind, i) => [kind, i]));

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareHooks(a: PlannedHook, b: PlannedHook): number {
  if (a.weight !== b.weight) return a.weight - b.weight;
  const rankA = INSTALL_RANK.get(a.object.kind);
  const rankB = INSTALL_RANK.get(b.object.kind);
  if (rankA !== rankB) {
    if (rankA === undefined) return 1;
    if (rankB === undefined) return -1;
    return rankA - rankB;
  }
  return (
    compareStrings(a.object.kind, b.object.kind) ||
    compareStrings(a.object.metadata.name, b.object.metadata.name) ||
    compareStrings(a.id, b.id)
  );
}

export type HookOutcome =
  | { state: 'missing' }
  | { state: 'running'; message: string }
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string; message: string };

/**
 * Where a hook object is, as Helm's `WatchUntilReady` judges it: a Job until its `Complete` (or
 * `Failed`) condition, a Pod until it `Succeeded` (or `Failed`); any other kind once kstatus says
 * Current (Helm takes those as ready at once; waiting for them is safer).
 */
export function hookOutcome(live: KubeObject | undefined): HookOutcome {
  if (live === undefined) return { state: 'missing' };
  if (live.metadata.deletionTimestamp !== undefined) {
    return { state: 'running', message: 'still being deleted' };
  }
  if (live.kind === 'Job' && live.apiVersion.startsWith('batch/')) return jobOutcome(live);
  if (live.kind === 'Pod' && live.apiVersion === 'v1') return podOutcome(live);
  const status = computeStatus(live);
  if (status.status === 'Current') return { state: 'succeeded' };
  if (status.status === 'Failed') {
    return { state: 'failed', reason: status.reason ?? 'Failed', message: status.message };
  }
  return { state: 'running', message: status.message };
}

function jobOutcome(job: KubeObject): HookOutcome {
  const conditions = getPath(job, ['status', 'conditions']);
  for (const c of Array.isArray(conditions) ? (conditions as unknown[]) : []) {
    if (!isRecord(c) || c.status !== 'True') continue;
    if (c.type === 'Complete') return { state: 'succeeded' };
    if (c.type === 'Failed') {
      const reason = typeof c.reason === 'string' && c.reason !== '' ? c.reason : 'JobFailed';
      const message = typeof c.message === 'string' && c.message !== '' ? c.message : 'Job failed';
      return { state: 'failed', reason, message: `Job failed: ${message} (${reason})` };
    }
  }
  const count = (field: string) => {
    const value = getPath(job, ['status', field]);
    return typeof value === 'number' ? value : 0;
  };
  return {
    state: 'running',
    message: `Job not complete: ${count('active')} active, ${count('succeeded')} succeeded, ${count('failed')} failed`,
  };
}

function podOutcome(pod: KubeObject): HookOutcome {
  const phase = getPath(pod, ['status', 'phase']);
  if (phase === 'Succeeded') return { state: 'succeeded' };
  if (phase === 'Failed') {
    const reason = getPath(pod, ['status', 'reason']);
    const message = getPath(pod, ['status', 'message']);
    return {
      state: 'failed',
      reason: typeof reason === 'string' && reason !== '' ? reason : 'PodFailed',
      message: `Pod failed${typeof message === 'string' && message !== '' ? `: ${message}` : ''}`,
    };
  }
  return { state: 'running', message: `Pod is ${typeof phase === 'string' ? phase : 'Pending'}` };
}

/**
 * What the agent remembers of the hooks of one application, for one bundle digest, in its
 * inventory record: so a hook runs once per digest, not on every pass (a pass re-applies the whole
 * bundle to correct drift), across agent restarts. A new digest starts afresh.
 */
export interface HookRunState {
  digest: string;
  /** Fixed when the digest's first hook starts: the inventory is no longer empty afterwards. */
  mode: ReleaseMode;
  /** `event/id` of the hooks created and not finished yet. */
  started: string[];
  /** `event/id` of the hooks that succeeded. */
  succeeded: string[];
  /** The phases done: every hook succeeded and the ones to delete on success were deleted. */
  done: HookPhase[];
  /** The hook that failed: nothing more runs for this digest. */
  failed?: HookFailure;
}

export interface HookFailure {
  phase: HookPhase;
  id: string;
  reason: string;
  message: string;
}

/**
 * Install or upgrade, for a digest whose hooks have not started: an upgrade once a revision of the
 * application was applied here, an install before. The inventory says (its Namespaces and CRDs are
 * recorded before an install's pre-hooks run, so an install whose pre-hooks never completed is
 * still not installed: the next revision installs again, as `helm upgrade --install` does).
 */
export function releaseMode(inventoried: number, previousHooks: HookRunState | undefined): ReleaseMode {
  const installPending = previousHooks?.mode === 'install' && !previousHooks.done.includes('pre');
  return inventoried > 0 && !installPending ? 'upgrade' : 'install';
}

export function hookKey(hook: Pick<PlannedHook, 'event' | 'id'>): string {
  return `${hook.event}/${hook.id}`;
}

export function newHookRunState(digest: string, mode: ReleaseMode): HookRunState {
  return { digest, mode, started: [], succeeded: [], done: [] };
}

/** What deleting a hook object by its delete policy came to. */
export type HookDeletion =
  /** Deleted (with its entry) or not there at all (no entry). */
  | { result: 'gone'; entry?: ChangeSetEntry }
  /** Deleted, still there when the bounded wait ended: try again on the next pass. */
  | { result: 'waiting'; message: string }
  /** Not deleted, and waiting will not change that: not ours, or a CRD. */
  | { result: 'refused'; entry: ChangeSetEntry };
