/**
 * Verification checks of a wave (plan setting `verification`): what each check is, and how the plan
 * input is read. The kinds live in kinds/ (one file per kind); this module is pure and shared by the
 * engine's gate (plan validation) and the runner (execution).
 */

/** What every kind shares: how often, how long and how many times to try. */
export interface CheckBase {
  /** Unique in the wave; names the check in runs, messages and events. */
  name: string;
  /** Attempts after the first failed one (a pass on any attempt passes the check). */
  retries: number;
  /** One attempt's limit. */
  timeoutSeconds: number;
  /** Wait between attempts (by the hub clock). */
  intervalSeconds: number;
}

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==';

export interface HttpCheck extends CheckBase {
  kind: 'http';
  method: 'GET' | 'HEAD' | 'POST';
  /** `${cluster.name}` and `${cluster.labels.<key>}` substituted per wave cluster. */
  url: string;
  expectedStatus: number;
  /** CEL over `status` (int) and `body` (the parsed JSON, or the text when it is not JSON). */
  condition?: string;
}

/** Comparative health: the updated clusters against the ones not updated yet. */
export interface CohortComparison {
  /** The updated cohort may be worse than the baseline by at most this (absolute or `'10%'`). */
  maxWorseBy: number | `${number}%`;
  direction: 'lowerIsBetter' | 'higherIsBetter';
}

export interface PrometheusCheck extends CheckBase {
  kind: 'prometheus';
  /**
   * PromQL; `${wave.clusters}` is the wave's cluster names as a regex alternation (`a|b`), and with
   * `compare`, `${cohort.clusters}` the names of the cohort being measured.
   */
  query: string;
  /** Every sample must satisfy `value op threshold` (set unless `compare` is). */
  threshold?: { op: ThresholdOp; value: number };
  compare?: CohortComparison;
}

/**
 * A Kubernetes Job run by each wave cluster's agent; passes when the Job completes. Either one
 * container (`image`, `command`, `args`, with `${cluster.name}` and `${cluster.labels.<key>}`
 * substituted per cluster) or `manifest`: a Job manifest's path in the application's repository,
 * read at the rollout's commit (the agent owns its name, namespace and labels).
 */
export interface JobCheck extends CheckBase {
  kind: 'job';
  /** Set unless `manifest` is. */
  image?: string;
  command?: string[];
  args?: string[];
  /** Relative to the repository's root; set unless `image` is. */
  manifest?: string;
}

export type VerificationCheck = HttpCheck | PrometheusCheck | JobCheck;
export type CheckKind = VerificationCheck['kind'];

/**
 * Kinds run once per wave cluster (a run's target is the cluster's name): a cluster that fails one
 * for good counts as a failed cluster of the wave in its failure budget. The other kinds run once
 * for the whole wave (`wave`, `updated-vs-baseline`): failing one for good fails the whole wave.
 */
export const PER_CLUSTER_KINDS: ReadonlySet<string> = new Set<CheckKind>(['http', 'job']);

export const MAX_CHECKS = 20;
const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const BASE_FIELDS = ['name', 'kind', 'retries', 'timeoutSeconds', 'intervalSeconds'];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How one kind reads its own fields (the base fields are read already); pushes `${path}.<field>: …`. */
export type KindParser<C extends VerificationCheck> = (
  raw: Record<string, unknown>,
  base: CheckBase,
  path: string,
  errors: string[],
) => C | undefined;

export interface KindFields {
  /** Fields the kind accepts besides the base fields. */
  fields: readonly string[];
}

/** An integer field within bounds (absent: the fallback). */
export function intField(
  raw: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
  path: string,
  errors: string[],
): number {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    errors.push(`${path}.${key}: must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

/** Reads the fields every kind shares; the kind's parser reads the rest. */
export function parseBase(raw: Record<string, unknown>, path: string, errors: string[]): CheckBase {
  const name = raw['name'];
  if (typeof name !== 'string' || !NAME_RE.test(name) || name.length > 63) {
    errors.push(`${path}.name: must be a DNS-1123 label (lowercase letters, digits, '-', at most 63)`);
  }
  return {
    name: typeof name === 'string' ? name : '',
    retries: intField(raw, 'retries', 0, 0, 10, path, errors),
    timeoutSeconds: intField(raw, 'timeoutSeconds', 10, 1, 300, path, errors),
    intervalSeconds: intField(raw, 'intervalSeconds', 10, 0, 3600, path, errors),
  };
}

export function unknownFields(
  raw: Record<string, unknown>,
  fields: readonly string[],
  path: string,
  errors: string[],
): void {
  const known = new Set([...BASE_FIELDS, ...fields]);
  for (const key of Object.keys(raw)) if (!known.has(key)) errors.push(`${path}: unknown field "${key}"`);
}
