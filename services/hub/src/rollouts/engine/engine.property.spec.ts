// Property-style simulation of the engine: random plans, fleets and agents; duplicated, reordered and
// stale reports; a fake hub clock. Every pass checks the invariants against an oracle that only
// trusts reports for the rollout's digest.
import {
  applyDecision,
  decide,
  INERT_STATES,
  type AssignmentRecord,
  type Decision,
  type ReportedPhase,
  type RolloutSnapshot,
} from './engine.js';
import { assignWaves, type FleetCluster } from './membership.js';
import { effectiveWaves, resolveCount, validatePlan, type Wave, type WavePlan } from './plan.js';
import { prng } from './engine-fixtures.js';

const NEW = 'sha256:new';
const OLD = 'sha256:old';

class Rand {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from empty list');
    return item;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = items[i]!;
      items[i] = items[j]!;
      items[j] = a;
    }
    return items;
  }
}

type Behaviour = 'good' | 'bad' | 'stuck' | 'slow';
type Mode = 'allGood' | 'chaos';
type Persistence = 'latest' | 'raw';

interface Message {
  clusterId: string;
  digest: string;
  phase: ReportedPhase;
  at: number;
}

const SELECTORS = [
  'canary=true',
  'env=staging',
  'env=prod',
  'region=eu',
  'env=prod,region=us',
  'env in (dev,staging)',
  '',
];

function randomPlan(rand: Rand, mode: Mode): WavePlan {
  const settings = (): Record<string, unknown> => ({
    maxConcurrency: rand.pick([1, 2, 3, 5, '25%', '50%', '100%']),
    failureBudget: rand.pick([0, 0, 1, 2, '10%', '50%']),
    soakSeconds: rand.pick([0, 0, 30, 120, 600]),
    requireApproval: rand.chance(0.25),
    progressDeadlineSeconds: mode === 'allGood' ? rand.pick([600, 1200]) : rand.pick([60, 300, 600]),
    offlinePolicy: rand.pick(['wait', 'skip', 'fail']),
  });
  const count = rand.int(0, 4);
  const waves = Array.from({ length: count }, (_, i) => ({
    name: `w${i}`,
    selector: rand.pick(SELECTORS),
    ...settings(),
  }));
  const result = validatePlan({ waves, rest: settings(), autoRollback: rand.chance(0.5) });
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.plan;
}

function randomFleet(rand: Rand, mode: Mode): FleetCluster[] {
  const n = rand.int(0, 60);
  return Array.from({ length: n }, (_, i) => {
    const labels: Record<string, string> = {
      env: rand.pick(['staging', 'prod', 'prod', 'dev']),
      region: rand.pick(['eu', 'us']),
    };
    if (rand.chance(0.1)) labels['canary'] = 'true';
    return {
      id: `id-${String(i).padStart(2, '0')}`,
      name: `cluster-${rand.int(0, 999)}-${i}`,
      labels,
      cordoned: mode === 'chaos' && rand.chance(0.05),
      status: mode === 'chaos' && rand.chance(0.05) ? 'Offline' : 'Ready',
    };
  });
}

interface Oracle {
  terminal: (r: AssignmentRecord) => boolean;
  failure: (r: AssignmentRecord) => boolean;
}

const oracle: Oracle = {
  failure: (r) =>
    !r.skipped &&
    (r.offlineFailed === true ||
      (r.digestAssigned === NEW &&
        (r.timedOut ||
          (r.reported?.digest === NEW && ['Failed', 'Degraded', 'Stalled'].includes(r.reported.phase))))),
  terminal: (r) =>
    r.skipped ||
    (r.cordoned && r.digestAssigned !== NEW) ||
    oracle.failure(r) ||
    (r.digestAssigned === NEW && r.reported?.digest === NEW && r.reported.phase === 'Healthy'),
};

interface RunResult {
  finalState: string;
  decisions: number;
  assigned: number;
  sawStale: number;
}

function simulate(seed: number, mode: Mode, persistence: Persistence): RunResult {
  const rand = new Rand(seed);
  const plan = randomPlan(rand, mode);
  const fleet = randomFleet(rand, mode);
  const membership = assignWaves(plan, fleet, rand.chance(0.2) ? '!canary' : '');
  const waves: Wave[] = effectiveWaves(plan);
  const waveOf = new Map<string, number>();
  const records: AssignmentRecord[] = [];
  for (const wave of membership.waves) {
    for (const [k, clusterId] of wave.clusterIds.entries()) {
      const cluster = fleet.find((c) => c.id === clusterId)!;
      waveOf.set(clusterId, wave.index);
      records.push({
        clusterId,
        name: wave.clusterNames[k]!,
        wave: wave.name,
        digestAssigned: null,
        assignedAt: null,
        reported: { digest: OLD, phase: 'Healthy', at: new Date(0) },
        clusterStatus: cluster.status,
        clusterStatusSince: cluster.status === 'Offline' ? new Date(0) : null,
        cordoned: false,
        skipped: false,
        timedOut: false,
      });
    }
  }
  const behaviour = new Map<string, Behaviour>();
  for (const r of records) {
    behaviour.set(
      r.clusterId,
      mode === 'allGood'
        ? 'good'
        : rand.pick<Behaviour>(['good', 'good', 'good', 'good', 'good', 'bad', 'stuck', 'slow']),
    );
  }
  const offlineUntil = new Map<string, number>();
  for (const r of records)
    if (r.clusterStatus === 'Offline') offlineUntil.set(r.clusterId, rand.int(100, 900) * 1000);
  let snapshot: RolloutSnapshot = {
    id: `seed-${seed}`,
    digest: NEW,
    plan,
    currentWave: 0,
    state: 'Pending',
    paused: false,
    waves: [],
    assignments: records,
  };
  let now = 1_000_000;
  let queue: Message[] = [];
  const everAssigned = new Set<string>();
  let decisions = 0;
  let sawStale = 0;
  const ctx = `seed=${seed} mode=${mode} persistence=${persistence}`;

  const update = (clusterId: string, fn: (r: AssignmentRecord) => AssignmentRecord): void => {
    snapshot = {
      ...snapshot,
      assignments: snapshot.assignments.map((r) => (r.clusterId === clusterId ? fn(r) : r)),
    };
  };

  for (let step = 0; step < 4000; step++) {
    now += rand.int(1, 90) * 1000;
    // World: offline toggles, cordons, approvals.
    for (const [clusterId, until] of [...offlineUntil]) {
      if (now >= until) {
        offlineUntil.delete(clusterId);
        update(clusterId, (r) => ({ ...r, clusterStatus: 'Ready', clusterStatusSince: new Date(now) }));
      }
    }
    if (mode === 'chaos' && snapshot.assignments.length > 0 && rand.chance(0.03)) {
      const victim = rand.pick(snapshot.assignments);
      if (!offlineUntil.has(victim.clusterId)) {
        offlineUntil.set(victim.clusterId, now + rand.int(30, 900) * 1000);
        update(victim.clusterId, (r) => ({
          ...r,
          clusterStatus: rand.pick(['Offline', 'Unknown'] as const),
          clusterStatusSince: new Date(now),
        }));
      }
    }
    if (mode === 'chaos' && snapshot.assignments.length > 0 && rand.chance(0.01)) {
      update(rand.pick(snapshot.assignments).clusterId, (r) => ({ ...r, cordoned: true }));
    }
    if (snapshot.state === 'AwaitingApproval' && rand.chance(mode === 'allGood' ? 1 : 0.3)) {
      const index = snapshot.currentWave;
      const ws = [...snapshot.waves];
      while (ws.length <= index) ws.push({ startedAt: null, healthyAt: null, approvedAt: null });
      ws[index] = { ...ws[index]!, approvedAt: new Date(now) };
      snapshot = { ...snapshot, waves: ws };
    }
    // Deliver due reports: a random subset, shuffled, some duplicated, none for offline clusters.
    const due = queue.filter((m) => m.at <= now && !offlineUntil.has(m.clusterId));
    const deliver = mode === 'allGood' ? due : due.filter(() => rand.chance(0.7));
    const delivered = new Set(deliver);
    queue = queue.filter((m) => !delivered.has(m));
    for (const m of deliver) if (mode === 'chaos' && rand.chance(0.2)) queue.push({ ...m });
    if (deliver.length > 0) {
      const latest = new Map(snapshot.assignments.map((r) => [r.clusterId, r]));
      for (const m of rand.shuffle([...deliver])) {
        if (m.digest === OLD) sawStale++;
        const r = latest.get(m.clusterId)!;
        if (persistence === 'latest' && r.reported !== null && r.reported.at.getTime() > m.at) continue;
        latest.set(m.clusterId, { ...r, reported: { digest: m.digest, phase: m.phase, at: new Date(m.at) } });
      }
      snapshot = { ...snapshot, assignments: snapshot.assignments.map((r) => latest.get(r.clusterId)!) };
    }
    if (mode === 'chaos') {
      // Stuck agents keep reporting Healthy for the old revision, with fresh timestamps.
      for (const r of snapshot.assignments) {
        if (behaviour.get(r.clusterId) === 'stuck' && rand.chance(0.2))
          queue.push({ clusterId: r.clusterId, digest: OLD, phase: 'Healthy', at: now });
      }
    }

    const before = snapshot;
    const clock = new Date(now);
    const decision = decide(before, clock);
    decisions++;
    const after = applyDecision(before, decision, clock);
    checkInvariants(before, decision, after, now, waves, waveOf, everAssigned, ctx);

    // Idempotency: the same pass over the applied state does nothing more.
    const again = decide(after, clock);
    const extra = [...again.assign, ...again.markTimedOut, ...again.markSkipped, ...again.markOfflineFailed];
    if (extra.length > 0 || again.waveStamps.length > 0)
      throw new Error(`${ctx}: second pass not idle: ${extra.join(',')}`);
    if (again.nextState !== decision.nextState || again.currentWave !== decision.currentWave) {
      throw new Error(
        `${ctx}: second pass moved ${decision.nextState}/${decision.currentWave} → ${again.nextState}/${again.currentWave}`,
      );
    }

    snapshot = after;
    // Agents react to their assignments.
    for (const clusterId of decision.assign) {
      everAssigned.add(clusterId);
      const kind = behaviour.get(clusterId)!;
      const deadline = waves[waveOf.get(clusterId)!]!.progressDeadlineSeconds;
      // A stale Healthy for the old digest, observed before the assignment, arriving late.
      queue.push({ clusterId, digest: OLD, phase: 'Healthy', at: now - rand.int(1, 30) * 1000 });
      const t1 = now + rand.int(1, 20) * 1000;
      queue.push({ clusterId, digest: NEW, phase: 'Applying', at: t1 });
      const t2 = t1 + rand.int(1, 20) * 1000;
      queue.push({ clusterId, digest: NEW, phase: 'Progressing', at: t2 });
      if (kind === 'good')
        queue.push({ clusterId, digest: NEW, phase: 'Healthy', at: t2 + rand.int(1, 60) * 1000 });
      if (kind === 'bad')
        queue.push({
          clusterId,
          digest: NEW,
          phase: rand.pick(['Failed', 'Degraded', 'Stalled'] as const),
          at: t2 + 1000,
        });
      if (kind === 'slow')
        queue.push({ clusterId, digest: NEW, phase: 'Healthy', at: now + (deadline + 100) * 1000 });
    }
    if (INERT_STATES.has(snapshot.state)) break;
  }

  // Terminal states stay put.
  const final = decide(snapshot, new Date(now + 10_000_000));
  if (final.assign.length > 0 || final.nextState !== snapshot.state)
    throw new Error(`${ctx}: terminal state moved`);
  // (With raw persistence a reordered report may regress a cluster after its wave was done.)
  if (snapshot.state === 'Succeeded' && persistence === 'latest') {
    for (const r of snapshot.assignments) {
      if (!oracle.terminal(r)) throw new Error(`${ctx}: Succeeded with ${r.clusterId} not done`);
    }
    waves.forEach((wave, index) => {
      const size = snapshot.assignments.filter((r) => waveOf.get(r.clusterId) === index).length;
      if (size > 0 && wave.requireApproval && (snapshot.waves[index]?.approvedAt ?? null) === null) {
        throw new Error(`${ctx}: Succeeded without approving wave ${index}`);
      }
    });
  }
  return { finalState: snapshot.state, decisions, assigned: everAssigned.size, sawStale };
}

function checkInvariants(
  before: RolloutSnapshot,
  decision: Decision,
  after: RolloutSnapshot,
  now: number,
  waves: readonly Wave[],
  waveOf: ReadonlyMap<string, number>,
  everAssigned: ReadonlySet<string>,
  ctx: string,
): void {
  const byId = new Map(before.assignments.map((r) => [r.clusterId, r]));
  const afterById = new Map(after.assignments.map((r) => [r.clusterId, r]));
  const byWave = new Map<number, AssignmentRecord[]>();
  for (const r of after.assignments) {
    const index = waveOf.get(r.clusterId)!;
    byWave.set(index, [...(byWave.get(index) ?? []), r]);
  }
  const members = (index: number): AssignmentRecord[] => byWave.get(index) ?? [];
  const fail = (message: string): never => {
    throw new Error(`${ctx}: ${message}`);
  };

  // No double assignment; never a cordoned or offline cluster.
  for (const clusterId of decision.assign) {
    const r = byId.get(clusterId)!;
    if (r.digestAssigned === NEW || everAssigned.has(clusterId)) fail(`${clusterId} assigned twice`);
    if (r.cordoned) fail(`cordoned ${clusterId} assigned`);
    if (r.clusterStatus === 'Offline' || r.clusterStatus === 'Unknown') fail(`offline ${clusterId} assigned`);
  }
  if (new Set(decision.assign).size !== decision.assign.length) fail('duplicate in assign list');

  // A wave is stamped healthy only when every member is really done (Healthy for OUR digest or failed/skipped).
  for (const s of decision.waveStamps) {
    if (s.healthyAt === undefined) continue;
    for (const r of members(s.wave))
      if (!oracle.terminal(r))
        fail(`wave ${s.wave} done while ${r.clusterId} is not (${JSON.stringify(r.reported)})`);
  }

  // Wave order: a cluster of wave j is assigned only after every earlier wave is done, soaked, and j approved.
  const assignedWaves = new Set(decision.assign.map((id) => waveOf.get(id)!));
  for (const j of assignedWaves) {
    for (let k = 0; k < j; k++) {
      if (members(k).length === 0) continue;
      const healthyAt = after.waves[k]?.healthyAt ?? null;
      if (healthyAt === null) fail(`wave ${j} assigned before wave ${k} was done`);
      else if (now < healthyAt.getTime() + waves[k]!.soakSeconds * 1000)
        fail(`wave ${j} assigned during the soak of wave ${k}`);
    }
    if (waves[j]!.requireApproval && (after.waves[j]?.approvedAt ?? null) === null)
      fail(`wave ${j} assigned without approval`);
    if (j > decision.currentWave) fail(`wave ${j} assigned beyond the current wave ${decision.currentWave}`);
  }

  // Concurrency per wave.
  for (const j of assignedWaves) {
    const list = members(j);
    const limit = resolveCount(waves[j]!.maxConcurrency, list.length);
    const newly = decision.assign.filter((id) => waveOf.get(id) === j).length;
    const inFlightBefore = list.filter(
      (r) => byId.get(r.clusterId)!.digestAssigned === NEW && !oracle.terminal(r),
    ).length;
    if (inFlightBefore + newly > limit)
      fail(`wave ${j}: ${inFlightBefore} in flight + ${newly} new > limit ${limit}`);
  }

  // Budgets: Failed exactly when some opened wave has more failures than its budget.
  let breached = false;
  for (let k = 0; k <= Math.min(before.currentWave, waves.length - 1); k++) {
    const list = members(k);
    const failed = list.filter((r) => oracle.failure(r)).length;
    if (failed > resolveCount(waves[k]!.failureBudget, list.length)) breached = true;
  }
  if (breached !== (decision.nextState === 'Failed'))
    fail(`breached=${breached} but state ${decision.nextState}`);
  if (decision.rollback !== (decision.nextState === 'Failed' && before.plan.autoRollback))
    fail('rollback flag wrong');

  // Offline policy: only offline clusters are skipped or failed, and only under that policy.
  for (const [ids, policy] of [
    [decision.markSkipped, 'skip'],
    [decision.markOfflineFailed, 'fail'],
  ] as const) {
    for (const clusterId of ids) {
      const r = byId.get(clusterId)!;
      if (r.clusterStatus !== 'Offline' && r.clusterStatus !== 'Unknown')
        fail(`online ${clusterId} marked ${policy}`);
      if (waves[waveOf.get(clusterId)!]!.offlinePolicy !== policy)
        fail(`${clusterId} marked ${policy} under another policy`);
      if (oracle.terminal(r)) fail(`${clusterId} marked ${policy} while done`);
    }
  }

  // Deadlines: timed out only after the deadline, never when the cluster is done.
  for (const clusterId of decision.markTimedOut) {
    const r = byId.get(clusterId)!;
    const deadline = waves[waveOf.get(clusterId)!]!.progressDeadlineSeconds;
    if (r.assignedAt === null || now < r.assignedAt.getTime() + deadline * 1000)
      fail(`${clusterId} timed out early`);
    if (oracle.terminal(r)) fail(`${clusterId} timed out while done`);
  }
  const settled = (r: AssignmentRecord): boolean => {
    const healthyAt = after.waves[waveOf.get(r.clusterId)!]?.healthyAt ?? null;
    return healthyAt !== null && r.assignedAt !== null && r.assignedAt <= healthyAt;
  };
  for (const r of after.assignments) {
    const w = waves[waveOf.get(r.clusterId)!]!;
    if (decision.nextState === 'Failed' || !afterById.has(r.clusterId)) continue;
    if (
      r.digestAssigned === NEW &&
      r.assignedAt !== null &&
      !oracle.terminal(r) &&
      r.clusterStatus === 'Ready' &&
      !settled(r)
    ) {
      if (now >= r.assignedAt.getTime() + w.progressDeadlineSeconds * 1000)
        fail(`${r.clusterId} overdue but not timed out`);
    }
  }
}

const RUNS_PER_CONFIG = 100;

describe('engine simulation', () => {
  it.each<[Mode, Persistence]>([
    ['chaos', 'latest'],
    ['chaos', 'raw'],
    ['allGood', 'latest'],
  ])('%s agents, %s report persistence: invariants hold over 100 seeded runs', (mode, persistence) => {
    const outcomes: Record<string, number> = {};
    let stale = 0;
    for (let seed = 1; seed <= RUNS_PER_CONFIG; seed++) {
      const result = simulate(seed * 7919 + persistence.length, mode, persistence);
      outcomes[result.finalState] = (outcomes[result.finalState] ?? 0) + 1;
      stale += result.sawStale;
      // Every run terminates: offline clusters come back, approvals come, stuck clusters time out.
      expect([seed, result.finalState]).toEqual([seed, expect.stringMatching(/^(Succeeded|Failed)$/)]);
      if (mode === 'allGood') expect([seed, result.finalState]).toEqual([seed, 'Succeeded']);
    }
    expect(stale).toBeGreaterThan(0);
    if (mode === 'chaos') {
      expect(outcomes['Failed'] ?? 0).toBeGreaterThan(5);
      expect(outcomes['Succeeded'] ?? 0).toBeGreaterThan(5);
    }
  });

  it('a budget breach ends Failed and requests rollback exactly when the plan says so', () => {
    let withRollback = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rand = new Rand(seed);
      const autoRollback = rand.chance(0.5);
      const size = rand.int(1, 20);
      const budget = rand.int(0, 2);
      const result = validatePlan({
        waves: [{ name: 'w', maxConcurrency: '100%', failureBudget: budget }],
        autoRollback,
      });
      if ('errors' in result) throw new Error('bad plan');
      const failures = rand.int(0, size);
      const assignments: AssignmentRecord[] = Array.from({ length: size }, (_, i) => ({
        clusterId: `c${i}`,
        name: `c${i}`,
        wave: 'w',
        digestAssigned: NEW,
        assignedAt: new Date(0),
        reported: { digest: NEW, phase: i < failures ? 'Failed' : 'Healthy', at: new Date(1) },
        clusterStatus: 'Ready',
        cordoned: false,
        skipped: false,
        timedOut: false,
      }));
      const d = decide(
        {
          id: 'r',
          digest: NEW,
          plan: result.plan,
          currentWave: 0,
          state: 'Progressing',
          paused: false,
          waves: [],
          assignments,
        },
        new Date(2),
      );
      expect([seed, d.nextState]).toEqual([seed, failures > budget ? 'Failed' : 'Succeeded']);
      expect([seed, d.rollback]).toEqual([seed, failures > budget && autoRollback]);
      if (d.rollback) withRollback++;
    }
    expect(withRollback).toBeGreaterThan(0);
  });
});
