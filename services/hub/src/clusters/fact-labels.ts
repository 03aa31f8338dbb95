import { labelValueError } from '@fleetwave/labels';
import { invalidArgument } from '../common/domain-error.js';
import { type ClusterFacts } from './cluster.entity.js';

/**
 * Facts the agent reports become read-only labels under this prefix, stored in the cluster's
 * `labels` next to the operators' labels. Design choice: one `labels` column rather than a separate
 * fact column merged wherever selectors are evaluated, so every selector path — SQL over
 * `cluster.labels` and in-memory `matchesSelector(…, cluster.labels)`, today's and those written
 * later — sees the same labels with no path to forget. The price is that only report ingestion and
 * registration may write keys under the prefix, and operators may write none (below).
 */
export const FACT_LABEL_PREFIX = 'fleetwave.io/';

export const FACT_LABELS = {
  provider: `${FACT_LABEL_PREFIX}provider`,
  region: `${FACT_LABEL_PREFIX}region`,
  /** The minor version, `1.34`, so `fleetwave.io/kubernetes-version in (1.33,1.34)` reads naturally. */
  kubernetesVersion: `${FACT_LABEL_PREFIX}kubernetes-version`,
  /** An integer, so `fleetwave.io/node-count>3` works. */
  nodeCount: `${FACT_LABEL_PREFIX}node-count`,
} as const;

const MAJOR_MINOR = /^v?(\d+)\.(\d+)(?:\D|$)/;

export function isFactLabelKey(key: string): boolean {
  return key.startsWith(FACT_LABEL_PREFIX);
}

/**
 * The labels a cluster's facts give. A fact that would not be a valid label value (a provider or
 * region the agent reported in another spelling, an unparseable version) gives no label rather
 * than fail the report it came with.
 */
export function factLabels(facts: ClusterFacts): Record<string, string> {
  const labels: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '' && labelValueError(value) === undefined) labels[key] = value;
  };
  put(FACT_LABELS.provider, facts.provider);
  put(FACT_LABELS.region, facts.region);
  const version = facts.kubernetesVersion?.match(MAJOR_MINOR);
  if (version) put(FACT_LABELS.kubernetesVersion, `${Number(version[1])}.${Number(version[2])}`);
  if (Number.isSafeInteger(facts.nodeCount) && (facts.nodeCount ?? -1) >= 0) {
    put(FACT_LABELS.nodeCount, String(facts.nodeCount));
  }
  return labels;
}

/** The cluster's labels with its fact labels replaced by those of `facts` (operators' labels stay). */
export function withFactLabels(
  labels: Readonly<Record<string, string>>,
  facts: ClusterFacts,
): Record<string, string> {
  const operators = Object.entries(labels).filter(([key]) => !isFactLabelKey(key));
  return { ...Object.fromEntries(operators), ...factLabels(facts) };
}

/** The keys among `keys` that operators (and agents' own labels) may not set or remove. */
export function reservedLabelKeys(keys: Iterable<string>): string[] {
  return [...keys].filter(isFactLabelKey);
}

/** Refuses labels under the fact prefix from anyone but the facts the agent reports (INVALID_ARGUMENT). */
export function assertNoFactLabelKeys(keys: Iterable<string>, what = 'labels'): void {
  const reserved = reservedLabelKeys(keys);
  if (reserved.length === 0) return;
  throw invalidArgument(
    `${what}: ${reserved.map((key) => `"${key}"`).join(', ')}: the "${FACT_LABEL_PREFIX}" prefix is reserved for facts the agent reports (read-only labels)`,
  );
}
