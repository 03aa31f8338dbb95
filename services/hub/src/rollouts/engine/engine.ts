import { type WaveVerification } from './verification/wave-state.js';
import { spreadOrder } from './spread.js';
import { type ClusterStatus } from './vocabulary.js';
import { effectiveWaves, resolveCount, type Wave, type WavePlan } from './plan.js';
import { failedClusters } from './gates/failed-clusters.js';
import { type BlockingReason, gatesAt, recheckAt, settingOf } from './gates/index.js';
import {
  type FleetState,
  type GateCluster,
  type GateContext,
  OPEN_FLEET,
  type GateReason,
  type GateResult,
  type GateStage,
  type SettleMark,
} from './gates/types.js';
import {
  ASSIGNMENT_PHASES,
  type AssignmentPhase,
  IN_FLIGHT_PHASES,
  INERT_STATES,
  isFinished,
  type ReportedPhase,
  type RolloutState,
  TERMINAL_PHASES,
} from './vocabulary.js';

export {
  ASSIGNMENT_PHASES,
  type AssignmentPhase,
  type BlockingReason,
  INERT_STATES,
  type ReportedPhase,
  type RolloutState,
};

export interface WaveTimestamps {
  startedAt: Date | null;
  healthyAt: Date | null;
  approvedAt: Date | null;
}

export interface AssignmentRecord {
  clusterId: string;
  /** Cluster name, for a deterministic assignment order. */
  name: string;
  /** Wave name from the membership computed at start (unknown names fall into the last wave). */
  wave: string;
  /** Digest this rollout assigned to the cluster, or null when not assigned (yet, or reset by retry). */
  digestAssigned: string | null;
  assignedAt: Date | null;
  /** The latest report for this application from the cluster, whatever digest it is about. */
  reported: { digest: string; phase: ReportedPhase; at: Date } | null;
  clusterStatus: ClusterStatus;
  /** When the cluster entered its current status (for "offline since"); null if unknown. */
  clusterStatusSince?: Date | null;
  cordoned: boolean;
  /** Skipped by an operator or by the offline policy `skip`: done, not a failure. */
  skipped: boolean;
  /** Marked TimedOut by the engine (deadline passed); cleared by a retry. */
  timedOut: boolean;
  /** Marked failed by the offline policy `fail`; cleared by a retry. */
  offlineFailed?: boolean;
  /** Set by retryCluster: reports observed at or before it are ignored. */
  retriedAt?: Date | null;
  /** The cluster's maintenance as its agent last reported it; absent or null: none. */
  maintenance?: { reason: string; since: Date } | null;
  /** The cluster's labels now (a wave's `spreadBy` orders its clusters by one of them). */
  labels?: Readonly<Record<string, string>>;
}

export interface RolloutSnapshot {
  id: string;
  /** Bundle digest the rollout moves to: one for all clusters, or one per cluster id. */
  digest: string | Readonly<Record<string, string>>;
  plan: WavePlan;
  currentWave: number;
  state: RolloutState;
  paused: boolean;
  /** Last resume after a pause: deadlines run from max(assignedAt, resumedAt), so a pause never times out. */
  resumedAt?: Date | null;
  /** Indexed by wave index (effective waves: the plan's, then `rest`); missing entries are all null. */
  waves: readonly WaveTimestamps[];
  assignments: readonly AssignmentRecord[];
  /** Fleet-wide state read once for this pass (freeze, change budget); absent: none of them. */
  fleet?: FleetState;
  /** Recorded verification checks by wave name; a wave without runs is absent. */
  verification?: Readonly<Record<string, WaveVerification>>;
}

export interface WaveView {
  index: number;
  name: string;
  size: number;
  counts: Record<AssignmentPhase, number>;
  failed: number;
  failureLimit: number;
  concurrencyLimit: number;
  blocking?: BlockingReason;
}

export interface ClusterView {
  clusterId: string;
  wave: string;
  phase: AssignmentPhase;
  blocking?: BlockingReason;
}

export interface Decision {
  nextState: RolloutState;
  currentWave: number;
  /** Set digestAssigned = target, assignedAt = now for these (never already assigned). */
  assign: string[];
  markTimedOut: string[];
  markSkipped: string[];
  /** Offline policy `fail`: set offlineFailed. */
  markOfflineFailed: string[];
  /** Hub-clock stamps to persist on wave rows (set only when still null). */
  waveStamps: { wave: number; startedAt?: Date; healthyAt?: Date }[];
  /** Budget breached and the plan asks for an automatic rollback. */
  rollback: boolean;
  waves: WaveView[];
  clusters: ClusterView[];
  events: string[];
}

interface Member {
  record: AssignmentRecord;
  wave: number;
  target: string | undefined;
  phase: AssignmentPhase;
  blocking?: BlockingReason;
}

/** Target digest of one cluster, or undefined when the rollout has no bundle for it. */
export function targetDigest(
  snapshot: Pick<RolloutSnapshot, 'digest'>,
  clusterId: string,
): string | undefined {
  if (typeof snapshot.digest === 'string') return snapshot.digest;
  return Object.hasOwn(snapshot.digest, clusterId) ? snapshot.digest[clusterId] : undefined;
}

/**
 * Phase of one assignment, from the record alone. A report counts only when it is about this
 * rollout's digest, the digest is assigned, and it is newer than the last retry: a Healthy left over
 * from another revision never completes a cluster.
 */
export function classify(record: AssignmentRecord, target: string | undefined): AssignmentPhase {
  if (record.skipped) return 'Skipped';
  if (target === undefined) return 'Skipped';
  if (record.offlineFailed === true) return 'Failed';
  if (record.digestAssigned !== target) return record.cordoned ? 'Skipped' : 'Pending';
  if (record.timedOut) return 'TimedOut';
  const report = record.reported;
  const retriedAt = record.retriedAt ?? null;
  if (report === null || report.digest !== target || (retriedAt !== null && report.at <= retriedAt)) {
    return 'Assigned';
  }
  switch (report.phase) {
    case 'Healthy':
      return 'Healthy';
    case 'Degraded':
      return 'Degraded';
    case 'Failed':
    case 'Stalled':
      return 'Failed';
    case 'Applying':
      return 'Applying';
    case 'Progressing':
      return 'Progressing';
    case 'Pending':
      return 'Assigned';
  }
}

function isTerminal(phase: AssignmentPhase): boolean {
  return TERMINAL_PHASES.has(phase);
}

function isInFlight(phase: AssignmentPhase): boolean {
  return IN_FLIGHT_PHASES.has(phase);
}

function gateCluster(member: Member): GateCluster {
  const { record } = member;
  return {
    clusterId: record.clusterId,
    name: record.name,
    phase: member.phase,
    clusterStatus: record.clusterStatus,
    clusterStatusSince: record.clusterStatusSince ?? null,
    assignedAt: record.assignedAt,
    maintenance: record.maintenance ?? null,
    labels: record.labels ?? {},
  };
}

/** Where the engine records a cluster a gate settled, and the phase it shows from then on. */
const SETTLE_LISTS = {
  skipped: 'markSkipped',
  offlineFailed: 'markOfflineFailed',
  timedOut: 'markTimedOut',
} as const satisfies Record<SettleMark, keyof Decision>;
const SETTLED_PHASES: Record<SettleMark, AssignmentPhase> = {
  skipped: 'Skipped',
  offlineFailed: 'Failed',
  timedOut: 'TimedOut',
};

/** What the gates of one stage see of a wave; `setting` is filled per gate. */
type StageContext = Omit<GateContext<unknown>, 'setting'>;

/** Walks the registry's gates of one stage in order; the first that does not answer open decides. */
function firstClosed(
  stage: GateStage,
  wave: Wave,
  context: StageContext,
): Exclude<GateResult<GateReason>, { status: 'open' }> | undefined {
  for (const gate of gatesAt(stage)) {
    const result = gate.evaluate({ ...context, setting: settingOf(gate, wave) });
    if (result.status !== 'open') return result;
  }
  return undefined;
}

function emptyCounts(): Record<AssignmentPhase, number> {
  const counts = {} as Record<AssignmentPhase, number>;
  for (const phase of ASSIGNMENT_PHASES) counts[phase] = 0;
  return counts;
}

function compareMembers(a: Member, b: Member): number {
  return (
    a.wave - b.wave ||
    (a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0) ||
    (a.record.clusterId < b.record.clusterId ? -1 : a.record.clusterId > b.record.clusterId ? 1 : 0)
  );
}

/**
 * One level-triggered pass: from the rollout, its assignment records and the hub clock, decides what
 * to do next. Pure. Applying the decision (see applyDecision) and calling decide again with the same
 * clock yields no further assignments or marks, so concurrent passes over the same state converge.
 */
export function decide(snapshot: RolloutSnapshot, now: Date): Decision {
  const planWaves = effectiveWaves(snapshot.plan);
  const lastIndex = planWaves.length - 1;
  const waveIndex = new Map(planWaves.map((wave, index) => [wave.name, index]));
  const members: Member[] = snapshot.assignments.map((record) => {
    const target = targetDigest(snapshot, record.clusterId);
    return { record, wave: waveIndex.get(record.wave) ?? lastIndex, target, phase: classify(record, target) };
  });
  members.sort(compareMembers);
  const byWave: Member[][] = planWaves.map(() => []);
  for (const member of members) byWave[member.wave]?.push(member);
  // A wave that spreads by a label assigns in round-robin order over its values (see spreadOrder).
  planWaves.forEach((wave, w) => {
    const key = wave.spreadBy;
    if (key !== undefined) byWave[w] = spreadOrder(byWave[w] ?? [], (m) => m.record.labels?.[key]);
  });
  const stamps = new Map<number, { startedAt?: Date; healthyAt?: Date }>();
  const stamp = (wave: number, key: 'startedAt' | 'healthyAt'): void => {
    const entry = stamps.get(wave) ?? {};
    entry[key] = now;
    stamps.set(wave, entry);
  };
  const timestamps = (wave: number): WaveTimestamps => {
    const stored = snapshot.waves[wave] ?? { startedAt: null, healthyAt: null, approvedAt: null };
    const fresh = stamps.get(wave);
    return {
      startedAt: stored.startedAt ?? fresh?.startedAt ?? null,
      healthyAt: stored.healthyAt ?? fresh?.healthyAt ?? null,
      approvedAt: stored.approvedAt,
    };
  };

  const decision: Decision = {
    nextState: snapshot.state,
    currentWave: Math.min(Math.max(snapshot.currentWave, 0), lastIndex),
    assign: [],
    markTimedOut: [],
    markSkipped: [],
    markOfflineFailed: [],
    waveStamps: [],
    rollback: false,
    waves: [],
    clusters: [],
    events: [],
  };
  const inert = snapshot.paused || INERT_STATES.has(snapshot.state);
  const fleet = snapshot.fleet ?? OPEN_FLEET;
  /** The fleet-wide counts (clusters changing, this rollout's fair share held), with this pass's assignments. */
  let counted: FleetState = fleet;
  const waveBlocking = new Map<number, BlockingReason>();
  let current = decision.currentWave;

  if (!inert) {
    /** What the gates see of wave `w` now (phases as of this moment, stamps made in this pass). */
    const context = (w: number): StageContext => {
      const times = timestamps(w);
      return {
        now,
        waveName: planWaves[w]?.name ?? '',
        clusters: (byWave[w] ?? []).map(gateCluster),
        startedAt: times.startedAt,
        healthyAt: times.healthyAt,
        approvedAt: times.approvedAt,
        resumedAt: snapshot.resumedAt ?? null,
        autoRollback: snapshot.plan.autoRollback,
        inFlight: 0,
        windows: snapshot.plan.windows ?? [],
        fleet: counted,
        verification: snapshot.verification?.[planWaves[w]?.name ?? ''] ?? null,
      };
    };
    const settle = (member: Member, mark: SettleMark, event: string): void => {
      decision[SETTLE_LISTS[mark]].push(member.record.clusterId);
      decision.events.push(event);
      member.phase = SETTLED_PHASES[mark];
    };
    // Cluster gates of one opened wave (offline policy, deadlines), then its wave gates (the failure
    // budget); true when a wave gate failed the rollout.
    const open = (w: number): boolean => {
      const wave = planWaves[w];
      const list = byWave[w] ?? [];
      if (wave === undefined) return false;
      const base = context(w);
      for (const member of list) {
        if (isTerminal(member.phase)) continue;
        const closed = firstClosed('cluster', wave, { ...base, cluster: gateCluster(member) });
        if (closed?.status === 'blocked') member.blocking = closed.reason as BlockingReason;
        else if (closed?.status === 'settled') settle(member, closed.mark, closed.event);
      }
      const failed = firstClosed('wave', wave, context(w));
      if (failed?.status !== 'blocked') return false;
      decision.nextState = failed.state ?? 'Failed';
      decision.rollback = snapshot.plan.autoRollback;
      waveBlocking.set(w, failed.reason as BlockingReason);
      if (failed.event !== undefined) decision.events.push(failed.event);
      return true;
    };

    let breached = false;
    for (let w = 0; w <= current && !breached; w++) breached = open(w);
    if (!breached) {
      const assigned = (): FleetState => {
        const fair = counted.fairShare;
        counted = {
          ...counted,
          changing: counted.changing + 1,
          fairShare: fair && { ...fair, held: fair.held + 1 },
        };
        return counted;
      };
      advance(snapshot, planWaves, byWave, decision, waveBlocking, stamp, context, open, current, assigned);
      current = decision.currentWave;
    }
    for (const [wave, entry] of [...stamps.entries()].sort((a, b) => a[0] - b[0])) {
      const stored = snapshot.waves[wave];
      const out: { wave: number; startedAt?: Date; healthyAt?: Date } = { wave };
      if (entry.startedAt !== undefined && (stored?.startedAt ?? null) === null)
        out.startedAt = entry.startedAt;
      if (entry.healthyAt !== undefined && (stored?.healthyAt ?? null) === null)
        out.healthyAt = entry.healthyAt;
      if (out.startedAt !== undefined || out.healthyAt !== undefined) decision.waveStamps.push(out);
    }
  }

  // Views.
  const assigned = new Set(decision.assign);
  for (const member of members) {
    if (assigned.has(member.record.clusterId)) {
      member.phase = 'Assigned';
      const wave = planWaves[member.wave];
      if (wave !== undefined) {
        member.blocking = {
          kind: 'deadline',
          at: new Date(now.getTime() + wave.progressDeadlineSeconds * 1000),
        };
      }
    }
  }
  planWaves.forEach((wave, index) => {
    const list = byWave[index] ?? [];
    const counts = emptyCounts();
    for (const member of list) counts[member.phase]++;
    // As the failure budget counts them: failure phases and clusters that failed a check for good.
    const failed = failedClusters(list.map(gateCluster), snapshot.verification?.[wave.name]).length;
    const view: WaveView = {
      index,
      name: wave.name,
      size: list.length,
      counts,
      failed,
      failureLimit: resolveCount(wave.failureBudget, list.length),
      concurrencyLimit: resolveCount(wave.maxConcurrency, list.length),
    };
    const blocking = waveBlocking.get(index);
    if (blocking !== undefined) view.blocking = blocking;
    else if (index > current && list.length > 0 && !isFinished(decision.nextState)) {
      view.blocking = { kind: 'previousWave' };
    }
    decision.waves.push(view);
  });
  for (const member of members) {
    const view: ClusterView = {
      clusterId: member.record.clusterId,
      wave: planWaves[member.wave]?.name ?? '',
      phase: member.phase,
    };
    if (member.target === undefined) view.blocking = { kind: 'noBundle' };
    else if (member.phase === 'Pending' || member.phase === 'Skipped') {
      if (member.record.cordoned && member.phase !== 'Pending') view.blocking = { kind: 'cordoned' };
      else if (member.blocking !== undefined) view.blocking = member.blocking;
      else if (member.phase === 'Pending' && !isFinished(decision.nextState)) {
        const waveBlock = waveBlocking.get(member.wave);
        view.blocking =
          member.wave > current ? { kind: 'previousWave' } : (waveBlock ?? { kind: 'previousWave' });
      }
    } else if (member.blocking !== undefined && !isTerminal(member.phase)) view.blocking = member.blocking;
    decision.clusters.push(view);
  }
  return decision;
}

function advance(
  snapshot: RolloutSnapshot,
  planWaves: readonly Wave[],
  byWave: readonly Member[][],
  decision: Decision,
  waveBlocking: Map<number, BlockingReason>,
  stamp: (wave: number, key: 'startedAt' | 'healthyAt') => void,
  context: (wave: number) => StageContext,
  open: (wave: number) => boolean,
  start: number,
  /** Counts one more cluster changing fleet-wide (and held of the fair share); returns the new counts. */
  assigned: () => FleetState,
): void {
  const lastIndex = planWaves.length - 1;
  let current = start;
  /** Assigns the wave's pending clusters the assign gates let through; undefined for an unknown wave. */
  const assignPending = (w: number): number | undefined => {
    const waveList = byWave[w] ?? [];
    const settings = planWaves[w];
    if (settings === undefined) return undefined;
    let inFlight = waveList.filter((m) => isInFlight(m.phase)).length;
    let count = 0;
    const base = context(w);
    let fleet = base.fleet;
    for (const member of waveList) {
      if (member.phase !== 'Pending' || member.blocking !== undefined || member.record.cordoned) continue;
      if (member.target === undefined) continue;
      const closed = firstClosed('assign', settings, {
        ...base,
        inFlight,
        fleet,
        cluster: gateCluster(member),
      });
      if (closed?.status === 'blocked') {
        member.blocking = closed.reason as BlockingReason;
        continue;
      }
      decision.assign.push(member.record.clusterId);
      member.phase = 'Assigned';
      inFlight++;
      count++;
      fleet = assigned();
    }
    return count;
  };
  for (;;) {
    const wave = planWaves[current];
    const list = byWave[current] ?? [];
    if (wave === undefined) break;

    // Gates before the wave (approval). Earlier waves still catch up meanwhile: a cluster retried
    // there is assigned again without waiting for the approval.
    const held = firstClosed('beforeStart', wave, context(current));
    if (held?.status === 'blocked') {
      const state = held.state ?? 'Progressing';
      if (decision.nextState !== state && held.event !== undefined) decision.events.push(held.event);
      decision.nextState = state;
      const reason = held.reason as BlockingReason;
      waveBlocking.set(current, reason);
      for (const member of list) if (member.phase === 'Pending') member.blocking = reason;
      for (let w = 0; w < current; w++) assignPending(w);
      break;
    }
    const times = context(current);
    if (times.startedAt === null) {
      stamp(current, 'startedAt');
      decision.events.push(`wave ${wave.name} started`);
    }
    if (decision.nextState !== 'Progressing' && times.healthyAt === null) decision.nextState = 'Progressing';

    // Assign pending clusters of the opened waves (catch-up of earlier waves first).
    let assignedNow = 0;
    for (let w = 0; w <= current; w++) {
      const assigned = assignPending(w);
      if (assigned === undefined) continue;
      assignedNow += assigned;
      if (w === current) {
        const reason = waveReason(byWave[w] ?? []);
        if (reason !== undefined) waveBlocking.set(w, reason);
      }
    }
    // Done is sticky once stamped: a later regression does not reopen the wave (failures still count).
    const done = times.healthyAt !== null || (assignedNow === 0 && list.every((m) => isTerminal(m.phase)));
    if (!done) {
      decision.nextState = 'Progressing';
      break;
    }
    waveBlocking.delete(current);
    if (times.healthyAt === null) {
      stamp(current, 'healthyAt');
      decision.events.push(`wave ${wave.name} done`);
    }
    // Gates after the wave (soak).
    const after = firstClosed('afterDone', wave, context(current));
    if (after?.status === 'blocked') {
      decision.nextState = after.state ?? 'Progressing';
      waveBlocking.set(current, after.reason as BlockingReason);
      if (after.event !== undefined) decision.events.push(after.event);
      break;
    }
    if (current >= lastIndex) {
      decision.nextState = 'Succeeded';
      decision.events.push(`rollout ${snapshot.id} succeeded`);
      break;
    }
    current++;
    decision.currentWave = current;
    if (open(current)) return;
  }
  decision.currentWave = current;
}

/**
 * The wave's reason from its blocked clusters: the first cluster/assign gate in registry order that
 * holds any of them, summarised by the gate (e.g. the earliest deadline).
 */
function waveReason(list: readonly Member[]): BlockingReason | undefined {
  for (const gate of gatesAt('cluster', 'assign')) {
    const reasons = list.flatMap((m) => (m.blocking?.kind === gate.kind ? [m.blocking] : []));
    const first = reasons[0];
    if (first === undefined) continue;
    return (gate.waveReason?.(reasons) ?? first) as BlockingReason;
  }
  return undefined;
}

/**
 * When the pass should look at the rollout again without any report arriving: the earliest time any
 * gate asked for over the decision's waves and clusters (soak end, a deadline), or null.
 */
export function nextWake(decision: Decision): Date | null {
  let at: number | null = null;
  for (const view of [...decision.waves, ...decision.clusters]) {
    const time = view.blocking === undefined ? null : recheckAt(view.blocking);
    if (time !== null && (at === null || time.getTime() < at)) at = time.getTime();
  }
  return at === null ? null : new Date(at);
}

/**
 * Reference semantics of applying a decision to the stored state (what the persistence layer does in
 * one transaction). Pure; used by the tests and as documentation.
 */
export function applyDecision(snapshot: RolloutSnapshot, decision: Decision, now: Date): RolloutSnapshot {
  const assign = new Set(decision.assign);
  const timedOut = new Set(decision.markTimedOut);
  const skipped = new Set(decision.markSkipped);
  const offlineFailed = new Set(decision.markOfflineFailed);
  const waveCount = Math.max(snapshot.waves.length, effectiveWaves(snapshot.plan).length);
  const waves: WaveTimestamps[] = [];
  for (let i = 0; i < waveCount; i++) {
    const stored = snapshot.waves[i] ?? { startedAt: null, healthyAt: null, approvedAt: null };
    const entry = decision.waveStamps.find((s) => s.wave === i);
    waves.push({
      startedAt: stored.startedAt ?? entry?.startedAt ?? null,
      healthyAt: stored.healthyAt ?? entry?.healthyAt ?? null,
      approvedAt: stored.approvedAt,
    });
  }
  return {
    ...snapshot,
    state: decision.nextState,
    currentWave: decision.currentWave,
    waves,
    assignments: snapshot.assignments.map((record) => {
      const next = { ...record };
      if (assign.has(record.clusterId)) {
        next.digestAssigned = targetDigest(snapshot, record.clusterId) ?? null;
        next.assignedAt = now;
      }
      if (timedOut.has(record.clusterId)) next.timedOut = true;
      if (skipped.has(record.clusterId)) next.skipped = true;
      if (offlineFailed.has(record.clusterId)) next.offlineFailed = true;
      return next;
    }),
  };
}
