import {
  describeObjectId,
  hookKey,
  hookOutcome,
  type ChangeSetEntry,
  type HookFailure,
  type HookPhase,
  type HookRunState,
  type PlannedHook,
} from '../domain/index.js';
import { type ClusterPort } from './cluster-port.js';

export interface HookPhaseInput {
  phase: HookPhase;
  /** The phase's hooks in run order (domain `planHooks`). */
  hooks: readonly PlannedHook[];
  /** Changed in place as hooks start, finish and fail; saved with `save` at each step. */
  state: HookRunState;
  application: string;
  ownerLabels: Record<string, string>;
  /** Records `state` in the inventory: a hook that started is never started twice for a digest. */
  save: (state: HookRunState) => Promise<void>;
  /** Every hook object created, deleted or refused is added here. */
  changes: ChangeSetEntry[];
}

export type HookPhaseResult =
  | { outcome: 'done' }
  /** A hook is still running (or its earlier run still being deleted): the next pass goes on. */
  | { outcome: 'waiting'; id: string; message: string }
  | { outcome: 'failed'; failure: HookFailure };

/**
 * One phase of Helm hooks, run the way `helm upgrade` runs an event's hooks (helm
 * `pkg/action/hooks.go` `execHook`), but spread over reconcile passes instead of blocking: each
 * pass takes the hooks in order, skips the ones that succeeded for this digest, and for the next:
 *
 * 1. not started yet: with `before-hook-creation` (the default) the earlier run's object is deleted
 *    and waited for; then it is created and recorded as started (so it never starts twice);
 * 2. started: it is read; a hook still running ends the pass (`waiting`); a failed one ends the
 *    phase (`failed`, deleted first with `hook-failed`); a succeeded one is recorded, and the next
 *    hook goes;
 * 3. once all succeeded, the ones with `hook-succeeded` are deleted, last first, as Helm does (a
 *    ServiceAccount hook must outlive the Job hook that runs with it), and the phase is done.
 *
 * A started hook found gone (deleted by someone, or the agent stopped before creating it) is created
 * again. API errors are thrown: what was recorded stays, and the next pass continues from there.
 */
export async function runHookPhase(port: ClusterPort, input: HookPhaseInput): Promise<HookPhaseResult> {
  const { state, hooks, application, changes } = input;
  if (state.done.includes(input.phase)) return { outcome: 'done' };

  const fail = async (hook: PlannedHook, reason: string, message: string): Promise<HookPhaseResult> => {
    state.started = state.started.filter((key) => key !== hookKey(hook));
    state.failed = {
      phase: input.phase,
      id: hook.id,
      reason,
      message: `${hook.event} hook ${describeObjectId(hook.id)}: ${message}`,
    };
    await input.save(state);
    return { outcome: 'failed', failure: state.failed };
  };
  const create = async (hook: PlannedHook): Promise<ChangeSetEntry> => {
    const entry = await port.applyHook(hook.object, input.ownerLabels);
    changes.push({ ...entry, reason: entry.reason ?? `${hook.event} hook` });
    return entry;
  };

  for (const hook of hooks) {
    const key = hookKey(hook);
    if (state.succeeded.includes(key)) continue;
    if (!state.started.includes(key)) {
      if (hook.deletePolicies.includes('before-hook-creation')) {
        const deletion = await port.deleteHook(hook.object, application, 'before-hook-creation', true);
        if (deletion.result === 'waiting') {
          return {
            outcome: 'waiting',
            id: hook.id,
            message: `${hook.event} hook: its earlier run is ${deletion.message}`,
          };
        }
        if (deletion.entry !== undefined) changes.push(deletion.entry);
        if (deletion.result === 'refused') {
          return fail(
            hook,
            'HookNotRun',
            `the object there is not deleted before the hook runs again (${deletion.entry.reason ?? 'refused'})`,
          );
        }
      }
      state.started.push(key);
      await input.save(state);
      const created = await create(hook);
      if (created.action === 'skipped')
        return fail(hook, 'HookApplyFailed', created.reason ?? 'apply failed');
    }
    let live = await port.readObject(hook.object);
    if (live === undefined) {
      const created = await create(hook);
      if (created.action === 'skipped')
        return fail(hook, 'HookApplyFailed', created.reason ?? 'apply failed');
      live = await port.readObject(hook.object);
    }
    const outcome = hookOutcome(live);
    if (outcome.state === 'missing' || outcome.state === 'running') {
      const message = outcome.state === 'running' ? outcome.message : 'not found after it was created';
      return { outcome: 'waiting', id: hook.id, message: `${hook.event} hook: ${message}` };
    }
    if (outcome.state === 'failed') {
      if (hook.deletePolicies.includes('hook-failed')) await deleteAfterRun(port, hook, 'hook-failed', input);
      return fail(hook, outcome.reason, outcome.message);
    }
    state.started = state.started.filter((k) => k !== key);
    state.succeeded.push(key);
    await input.save(state);
  }
  for (const hook of [...hooks].reverse()) {
    if (hook.deletePolicies.includes('hook-succeeded'))
      await deleteAfterRun(port, hook, 'hook-succeeded', input);
  }
  state.done.push(input.phase);
  await input.save(state);
  return { outcome: 'done' };
}

/** A delete after the run: a refusal (not ours) is noted in the change set and changes nothing else. */
async function deleteAfterRun(
  port: ClusterPort,
  hook: PlannedHook,
  why: 'hook-succeeded' | 'hook-failed',
  input: Pick<HookPhaseInput, 'application' | 'changes'>,
): Promise<void> {
  const deletion = await port.deleteHook(hook.object, input.application, why, false);
  if (deletion.result !== 'waiting' && deletion.entry !== undefined) input.changes.push(deletion.entry);
}
