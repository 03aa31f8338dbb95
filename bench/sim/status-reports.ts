import { type BundleStatus } from '@fleetwave/contracts';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * The `bundles` statuses of a cluster running that many applications, as its status report in
 * `round` carries them: round 0 has every one Healthy (what the hub is told first); from round 1
 * on, the first `changed` of them move every round (Progressing, then Healthy again, observed anew)
 * and the rest are the same statuses again, as an agent resends every bundle in every report.
 */
export function roundOfBundles(bundles: number, changed: number, round: number): BundleStatus[] {
  const observed = (r: number) => new Date(Date.UTC(2026, 0, 1) + r * 1000).toISOString();
  return Array.from({ length: bundles }, (_, i) => {
    const moves = round > 0 && i < changed;
    const phase = moves && round % 2 === 1 ? 'Progressing' : 'Healthy';
    return {
      application: `app-${String(i).padStart(4, '0')}`,
      digest: `sha256:${hex(i, 64)}`,
      commit: hex(i, 40),
      phase,
      ready: phase === 'Healthy' ? 1 : 0,
      total: 1,
      failing: [],
      driftCorrections: 0,
      observedAt: observed(moves ? round : 0),
    };
  });
}
