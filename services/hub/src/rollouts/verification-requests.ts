import { type Decision, effectiveWaves, type WavePlan } from './engine/index.js';
import { type RolloutClusterRecord, type RolloutRecord } from './rollouts.repository.js';
import { type VerificationRequest } from './verification/verification-runner.service.js';

/**
 * The waves a decision holds for verification checks (not started yet, or running: the runner
 * starts the first, takes over orphaned attempts of the others), with what their runs need:
 * the wave's clusters this rollout changed (name, labels), and the cohorts, updated (changed by
 * this rollout so far) and baseline (members of later waves, not changed yet). Pure.
 */
export function verificationRequests(
  rollout: Pick<RolloutRecord, 'id' | 'applicationId' | 'applicationName' | 'commit' | 'plan'>,
  members: readonly RolloutClusterRecord[],
  decision: Pick<Decision, 'waves'>,
  prometheusUrl: string | null,
): VerificationRequest[] {
  const waves = effectiveWaves(rollout.plan);
  const order = new Map(waves.map((wave, index) => [wave.name, index]));
  const changed = (m: RolloutClusterRecord) => m.targetDigest !== null && m.digestAssigned === m.targetDigest;
  return decision.waves.flatMap((view) => {
    const blocking = view.blocking;
    // Running waves too: the runner takes over attempts whose replica went away (their leases).
    if (blocking?.kind !== 'verification') return [];
    const checks = waves[view.index]?.verification ?? [];
    if (checks.length === 0) return [];
    const inWave = members.filter(
      (m) => (order.get(m.wave) ?? waves.length - 1) === view.index && changed(m),
    );
    return [
      {
        rolloutId: rollout.id,
        applicationId: rollout.applicationId,
        application: rollout.applicationName,
        commit: rollout.commit,
        wave: view.name,
        checks,
        context: {
          waveClusters: inWave.map((m) => ({ name: m.name, labels: m.labels ?? {} })),
          updated: members.filter(changed).map((m) => m.name),
          baseline: members
            .filter((m) => !changed(m) && (order.get(m.wave) ?? waves.length - 1) > view.index && !m.skipped)
            .map((m) => m.name),
          prometheusUrl,
        },
      },
    ];
  });
}

/** Whether any wave of a stored plan has checks (a plan from before checks has none). */
export function hasVerification(plan: Pick<WavePlan, 'waves' | 'rest'>): boolean {
  return [...plan.waves, plan.rest].some((wave) => (wave.verification?.length ?? 0) > 0);
}
