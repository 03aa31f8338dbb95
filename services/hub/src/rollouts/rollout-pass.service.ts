import { Inject, Injectable } from '@nestjs/common';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { RevisionVetoesRepository } from '../applications/revision-vetoes.repository.js';
import { vetoEvent } from '../applications/revision-vetoes.service.js';
import { AssignmentNotifier } from '../assignments/assignment-notifier.js';
import { type AssignmentWrite, AssignmentsRepository } from '../assignments/assignments.repository.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import {
  blockingMessage,
  catchupVerdict,
  decide,
  type Decision,
  effectiveWaves,
  type FleetState,
  gatesAt,
  INERT_STATES,
  nextWake,
  type RolloutSnapshot,
} from './engine/index.js';
import { FleetGates } from './fleet-gates.js';
import { verificationRequests } from './verification-requests.js';
import { type VerificationRequest } from './verification/verification-runner.service.js';
import { VerificationRepository } from './verification/verification.repository.js';
import { waveVerifications } from './engine/verification/wave-state.js';
import { heldUnsignalled } from './quiet-passes.js';
import { RolloutFactory } from './rollout-factory.js';
import {
  type RolloutClusterRecord,
  type RolloutRecord,
  type RolloutWaveRecord,
  RolloutsRepository,
  type WaveSummary,
} from './rollouts.repository.js';

export interface PassOutcome {
  /** When the rollout should be looked at again even if nothing happens (soak end, a deadline). */
  wakeAt: Date | null;
  /** Rollouts this pass created (an automatic rollback): they need a pass of their own. */
  started: string[];
  /** Waves whose verification checks should start (run outside the pass). */
  verify: VerificationRequest[];
  /**
   * The pass changed nothing and nothing unsignalled holds the rollout: until a signal or `wakeAt`,
   * another pass would decide the same (the scheduler's periodic sweep may leave it).
   */
  quiet: boolean;
  /** The pass wrote a decision (assignments, marks, stamps, state or summary). */
  moved: boolean;
}

/**
 * One level-triggered engine pass over one rollout, in one transaction: lock the rollout row (so
 * passes on one rollout never overlap, on any replica), read its state, `decide` with the hub clock,
 * write the decision, point assigned clusters at their bundles and wake their agents after commit.
 */
@Injectable()
export class RolloutPassService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(AssignmentNotifier) private readonly notifier: AssignmentNotifier,
    @Inject(RolloutFactory) private readonly factory: RolloutFactory,
    @Inject(RevisionVetoesRepository) private readonly vetoes: RevisionVetoesRepository,
    @Inject(FleetGates) private readonly fleet: FleetGates,
    @Inject(VerificationRepository) private readonly verification: VerificationRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
  ) {}

  run(rolloutId: string): Promise<PassOutcome> {
    return this.audited.run<PassOutcome>(async (tx) => {
      const idle = {
        result: { wakeAt: null, started: [], verify: [], quiet: true, moved: false },
        events: [],
      };
      const rollout = await this.rollouts.lock(tx, rolloutId);
      if (rollout === null || rollout.paused || INERT_STATES.has(rollout.state)) return idle;
      // The clock is read after the lock: a pass that waited for another sees that one's writes.
      const now = this.clock.now();
      const waves = await this.rollouts.waves(rollout.id, tx);
      const members = await this.rollouts.clusters(rollout, tx);
      // The freeze is read once per pass; the fleet budget only when the pass would assign, under
      // the budget lock, and then the pass decides again with the count.
      const fleet: FleetState = { ...(await this.fleet.forPass(tx)), freezeOverridden: overridden(rollout) };
      const verification = waveVerifications(await this.verification.runs(rollout.id, tx));
      let decided = decide({ ...snapshotOf(rollout, waves, members), fleet, verification }, now);
      if (this.fleet.budgeted && decided.assign.length > 0) {
        // Per-cluster counts for every cluster the pass may assign, not only the first decision's:
        // one held by its own budget lets the next pending one through.
        const unassigned = members.filter((m) => m.digestAssigned !== m.targetDigest).map((m) => m.clusterId);
        const budget = await this.fleet.lockBudget(tx, unassigned, {
          id: rollout.id,
          wants: decided.assign.length,
          now,
          freeze: fleet.freeze,
        });
        decided = decide(
          { ...snapshotOf(rollout, waves, members), fleet: { ...fleet, ...budget }, verification },
          now,
        );
      }
      const verdict =
        rollout.kind === 'catchup' ? catchupVerdict(decided) : { decision: decided, message: null };
      const decision = verdict.decision;
      const summary = summarize(decision);
      const wakeAt = nextWake(decision);
      const verify = verificationRequests(rollout, members, decision, this.config.rollouts.prometheusUrl);
      const moved =
        decision.assign.length > 0 ||
        decision.markTimedOut.length > 0 ||
        decision.markSkipped.length > 0 ||
        decision.markOfflineFailed.length > 0 ||
        decision.waveStamps.length > 0 ||
        decision.nextState !== rollout.state ||
        decision.currentWave !== rollout.currentWave ||
        JSON.stringify(summary) !== JSON.stringify(rollout.summary);
      if (!moved)
        return {
          result: { wakeAt, started: [], verify, quiet: !heldUnsignalled(decision), moved: false },
          events: [],
        };

      const failure = decision.nextState === 'Failed' ? (verdict.message ?? failureMessage(decision)) : null;
      const writes = assignmentWrites(rollout, members, decision);
      await this.rollouts.writeDecision(tx, {
        rollout,
        now,
        state: decision.nextState,
        currentWave: decision.currentWave,
        summary,
        message: failure,
        assign: writes,
        markTimedOut: decision.markTimedOut,
        markSkipped: decision.markSkipped,
        markOfflineFailed: decision.markOfflineFailed,
        waveStamps: decision.waveStamps,
      });
      if (writes.length > 0) {
        await this.assignments.assign(tx, rollout.applicationId, rollout.id, writes, now);
        await this.notifier.notify(
          tx,
          writes.map((w) => w.clusterId),
        );
      }

      const events: NewEvent[] = [
        {
          actor: 'engine',
          action:
            decision.nextState !== rollout.state
              ? `rollout.${lowerFirst(decision.nextState)}`
              : 'rollout.progressed',
          targetKind: 'rollout',
          targetId: rollout.id,
          before: { state: rollout.state, currentWave: rollout.currentWave },
          after: {
            application: rollout.applicationName,
            commit: rollout.commit,
            state: decision.nextState,
            currentWave: decision.currentWave,
            assigned: decision.assign.length,
            waves: summary,
            notes: decision.events.slice(0, 50),
          },
        },
      ];
      const started: string[] = [];
      if (decision.rollback) {
        const app = await this.applications.findById(rollout.applicationId, tx);
        // The failed commit is vetoed with the rollback, so no sync, webhook redelivery or re-render
        // starts it again (whether or not there is anything to roll back to).
        // A reconfigure's commit is the settled one, good before the label or values change: never vetoed.
        const veto =
          app &&
          rollout.kind !== 'reconfigure' &&
          (await this.vetoes.insertIfAbsent(tx, {
            applicationId: app.id,
            commit: rollout.commit,
            reason: `automatic rollback of rollout ${rollout.id}: ${failure ?? 'the rollout failed'}`,
            actor: 'engine',
          }));
        if (app && veto) events.push(vetoEvent('engine', 'application.revisionVetoed', app, veto));
        const updated = { ...rollout, state: decision.nextState };
        const changed = members.map((m) =>
          decision.assign.includes(m.clusterId) ? { ...m, digestAssigned: m.targetDigest } : m,
        );
        // With nothing to return to (a first deployment) the rollout stays Failed and says why.
        if (app !== null && changed.some((m) => m.digestAssigned !== null)) {
          const rollback = await this.factory.automaticRollback(tx, app, updated, changed);
          if (rollback.id !== null) started.push(rollback.id);
          events.push(...rollback.events);
        }
      }
      if (decision.nextState === 'Succeeded' && rollout.kind === 'rollback' && rollout.rollbackOf !== null) {
        await this.rollouts.setState(tx, rollout.rollbackOf, { state: 'RolledBack' }, now);
        events.push({
          actor: 'engine',
          action: 'rollout.rolledBack',
          targetKind: 'rollout',
          targetId: rollout.rollbackOf,
          after: { application: rollout.applicationName, state: 'RolledBack', by: rollout.id },
        });
      }
      return { result: { wakeAt, started, verify, quiet: false, moved: true }, events };
    });
  }
}

/** An admin let this rollout past a fleet freeze. */
export function overridden(rollout: RolloutRecord): boolean {
  return rollout.freezeOverriddenBy !== null;
}

/** The cluster_assignment rows for the clusters the decision assigns (each with its wave's deadline). */
function assignmentWrites(
  rollout: RolloutRecord,
  members: readonly RolloutClusterRecord[],
  decision: Decision,
): AssignmentWrite[] {
  if (decision.assign.length === 0) return [];
  const waves = effectiveWaves(rollout.plan);
  const deadlines = new Map(waves.map((w) => [w.name, w.progressDeadlineSeconds]));
  const lastDeadline = waves.at(-1)!.progressDeadlineSeconds;
  const byId = new Map(members.map((m) => [m.clusterId, m]));
  return decision.assign.flatMap((clusterId) => {
    const member = byId.get(clusterId);
    if (member?.targetDigest == null || member.targetCommit == null) return [];
    return [
      {
        clusterId,
        digest: member.targetDigest,
        commit: member.targetCommit,
        progressDeadlineSeconds: deadlines.get(member.wave) ?? lastDeadline,
      },
    ];
  });
}

export function snapshotOf(
  rollout: RolloutRecord,
  waves: readonly RolloutWaveRecord[],
  members: readonly RolloutClusterRecord[],
): RolloutSnapshot {
  const digest: Record<string, string> = {};
  for (const m of members) if (m.targetDigest !== null) digest[m.clusterId] = m.targetDigest;
  return {
    id: rollout.id,
    digest,
    plan: rollout.plan,
    currentWave: rollout.currentWave,
    state: rollout.state,
    paused: rollout.paused,
    resumedAt: rollout.resumedAt,
    waves: waves.map((w) => ({ startedAt: w.startedAt, healthyAt: w.healthyAt, approvedAt: w.approvedAt })),
    assignments: members,
  };
}

/** Per-wave counts by phase (zeros left out): what subscribers are told about when it changes. */
export function summarize(decision: Decision): WaveSummary[] {
  return decision.waves.map((w) => ({
    name: w.name,
    counts: Object.fromEntries(Object.entries(w.counts).filter(([, n]) => n > 0)),
  }));
}

/** Why the rollout failed: the wave gate that failed it (failure budget, failure correlation). */
function failureMessage(decision: Decision): string {
  const failing = new Set<string>(gatesAt('wave').map((gate) => gate.kind));
  const breached = decision.waves.find((w) => w.blocking !== undefined && failing.has(w.blocking.kind));
  if (breached?.blocking === undefined) return 'failure budget exceeded';
  return `wave ${breached.name}: ${blockingMessage(breached.blocking)}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
