import { labelKeyError } from '@fleetwave/labels';
import { failedClusters } from './failed-clusters.js';
import { type GateCluster, OPEN, type WaveGate } from './types.js';

/**
 * When a wave's failures look like one failure domain (a region, a zone) rather than bad luck:
 * at least `minFailures` failed clusters share a value of one of `labels`, and they are at least
 * `share` of the wave's failed clusters.
 */
export interface FailureCorrelation {
  /** Label keys looked at, in order: the first that correlates is the one reported. */
  labels: string[];
  /** Failed clusters that must share the value (at least 2: one failure shares everything). */
  minFailures: number;
  /** Fraction of the wave's failed clusters that must share it, above 0 and at most 1. */
  share: number;
}

export interface FailureCorrelationReason {
  kind: 'failureCorrelation';
  label: string;
  value: string;
  /** Failed clusters of the wave with `label=value`. */
  matching: number;
  /** Failed clusters of the wave. */
  failed: number;
}

const FIELDS = new Set(['labels', 'minFailures', 'share']);
const MAX_LABELS = 10;
const DEFAULT_MIN_FAILURES = 2;
const DEFAULT_SHARE = 1;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `failureCorrelation` (absent or null: off); pushes `${path}.failureCorrelation…: …` errors. */
export function parseFailureCorrelation(
  raw: unknown,
  path: string,
  errors: string[],
): FailureCorrelation | null {
  const at = `${path}.failureCorrelation`;
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) {
    errors.push(`${at}: must be an object such as { labels: ["region"] }`);
    return null;
  }
  const before = errors.length;
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) errors.push(`${at}: unknown field "${key}"`);
  const labels = raw['labels'];
  if (!Array.isArray(labels) || labels.length === 0 || labels.length > MAX_LABELS) {
    errors.push(`${at}.labels: must be a list of 1 to ${MAX_LABELS} label keys such as ["region"]`);
  } else {
    labels.forEach((key: unknown, i) => {
      const problem = typeof key === 'string' ? labelKeyError(key) : 'must be a label key such as "region"';
      if (problem !== undefined) errors.push(`${at}.labels[${i}]: ${problem}`);
      else if (labels.indexOf(key) !== i) errors.push(`${at}.labels[${i}]: duplicate label key "${key}"`);
    });
  }
  const minFailures = raw['minFailures'] ?? DEFAULT_MIN_FAILURES;
  if (typeof minFailures !== 'number' || !Number.isSafeInteger(minFailures) || minFailures < 2) {
    errors.push(`${at}.minFailures: must be an integer of at least 2`);
  }
  const share = raw['share'] ?? DEFAULT_SHARE;
  if (typeof share !== 'number' || !Number.isFinite(share) || share <= 0 || share > 1) {
    errors.push(`${at}.share: must be a number above 0 and at most 1 (e.g. 0.8)`);
  }
  if (errors.length > before) return null;
  return { labels: labels as string[], minFailures: minFailures as number, share: share as number };
}

/**
 * The first of `setting.labels` whose most common value among the failed clusters correlates
 * (ties: the smaller value), or undefined. Clusters without the label share no value of it.
 */
export function correlatedFailure(
  setting: FailureCorrelation,
  failed: readonly GateCluster[],
): FailureCorrelationReason | undefined {
  for (const label of setting.labels) {
    const counts = new Map<string, number>();
    for (const c of failed) {
      const value = c.labels[label];
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const [best] = [...counts].sort(([va, a], [vb, b]) => b - a || (va < vb ? -1 : va > vb ? 1 : 0));
    if (best === undefined) continue;
    const [value, matching] = best;
    if (matching >= setting.minFailures && matching >= setting.share * failed.length) {
      return { kind: 'failureCorrelation', label, value, matching, failed: failed.length };
    }
  }
  return undefined;
}

/**
 * Halts the rollout when the wave's failures share a label value, even inside the failure budget:
 * failures in one region say more about the change (or the region) than their number does. Off
 * unless the plan sets it (see docs/rollouts.md). A stored plan from before the setting reads as off.
 */
export const failureCorrelationGate: WaveGate<
  FailureCorrelationReason,
  'failureCorrelation',
  FailureCorrelation | null
> = {
  kind: 'failureCorrelation',
  stage: 'wave',
  setting: { key: 'failureCorrelation', default: null, parse: parseFailureCorrelation },
  evaluate({ setting, clusters, verification, waveName, autoRollback }) {
    if (setting === null || setting === undefined) return OPEN;
    const reason = correlatedFailure(
      setting,
      failedClusters(clusters, verification).map((f) => f.cluster),
    );
    if (reason === undefined) return OPEN;
    return {
      status: 'blocked',
      reason,
      state: 'Failed',
      event:
        `rollout failed: wave ${waveName}: ${failureCorrelationGate.message(reason)}` +
        (autoRollback ? '; rollback requested' : ''),
    };
  },
  message: (r) => `${r.matching}/${r.failed} failed clusters share ${r.label}=${r.value}`,
};
