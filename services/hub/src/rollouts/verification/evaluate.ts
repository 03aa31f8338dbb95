import { type CohortComparison, type ThresholdOp } from '../engine/verification/checks.js';

/** One sample of a PromQL result: its labels (empty for a scalar) and value. */
export interface Sample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

export type Verdict = { result: 'passed' | 'failed' | 'error'; message: string };

export function compare(value: number, op: ThresholdOp, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
  }
}

/** `{job="api", instance="x"}`, or `scalar` for a sample without labels. */
export function describeSample(sample: Sample): string {
  const entries = Object.entries(sample.labels).filter(([key]) => key !== '__name__');
  if (entries.length === 0) return 'scalar';
  return `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

/**
 * A threshold over a query's samples: every sample must pass; an empty result fails (a metric that
 * is not there proves nothing). NaN never passes. Pure.
 */
export function thresholdVerdict(samples: readonly Sample[], op: ThresholdOp, threshold: number): Verdict {
  if (samples.length === 0) return { result: 'failed', message: 'the query returned no samples' };
  const failing = samples.filter((s) => !compare(s.value, op, threshold));
  if (failing.length === 0) {
    return { result: 'passed', message: `${samples.length} sample(s) ${op} ${threshold}` };
  }
  const shown = failing
    .slice(0, 3)
    .map((s) => `${describeSample(s)} = ${s.value}`)
    .join('; ');
  const more = failing.length > 3 ? ` and ${failing.length - 3} more` : '';
  return {
    result: 'failed',
    message: `${failing.length}/${samples.length} sample(s) not ${op} ${threshold}: ${shown}${more}`,
  };
}

/** The margin in the metric's unit: absolute, or a percentage of the baseline's magnitude. */
export function allowedMargin(maxWorseBy: CohortComparison['maxWorseBy'], baseline: number): number {
  if (typeof maxWorseBy === 'number') return maxWorseBy;
  return (Math.abs(baseline) * Number(maxWorseBy.slice(0, -1))) / 100;
}

/**
 * Comparative health: fails when the updated cohort's value is worse than the baseline's by more
 * than the margin (`lowerIsBetter`: higher is worse). Each cohort's query must give one value. Pure.
 */
export function comparisonVerdict(
  updated: readonly Sample[],
  baseline: readonly Sample[],
  compare: CohortComparison,
): Verdict {
  const single = (samples: readonly Sample[], cohort: string): number | string => {
    if (samples.length === 1) return samples[0]!.value;
    return samples.length === 0
      ? `the ${cohort} cohort's query returned no samples`
      : `the ${cohort} cohort's query returned ${samples.length} samples; aggregate it to one (e.g. avg(...))`;
  };
  const u = single(updated, 'updated');
  if (typeof u === 'string') return { result: 'failed', message: u };
  const b = single(baseline, 'baseline');
  if (typeof b === 'string') return { result: 'failed', message: b };
  if (Number.isNaN(u) || Number.isNaN(b)) {
    return { result: 'failed', message: `not comparable: updated ${u}, baseline ${b}` };
  }
  const worseBy = compare.direction === 'lowerIsBetter' ? u - b : b - u;
  const margin = allowedMargin(compare.maxWorseBy, b);
  const text = `updated ${u}, baseline ${b} (${compare.direction}, max worse by ${compare.maxWorseBy})`;
  if (worseBy > margin)
    return { result: 'failed', message: `updated cohort worse by ${round(worseBy)}: ${text}` };
  return { result: 'passed', message: text };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
