/** Node labels that name the node's region: the GA key first, then the legacy beta key. */
export const REGION_LABELS = [
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/region',
] as const;

/** providerID schemes whose provider is better known by another name. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = { gce: 'gcp' };

/** A URI scheme (RFC 3986), lowercased before the check. */
const SCHEME = /^[a-z][a-z0-9+.-]*$/;

/**
 * The provider a node's `spec.providerID` names: its scheme (`aws:///eu-west-1a/i-0abc` → `aws`),
 * with `gce` spelled `gcp`. Undefined without a `scheme://` prefix.
 */
export function providerOf(providerID: string | undefined): string | undefined {
  const separator = providerID?.indexOf('://') ?? -1;
  if (!providerID || separator <= 0) return undefined;
  const scheme = providerID.slice(0, separator).toLowerCase();
  if (!SCHEME.test(scheme)) return undefined;
  return PROVIDER_ALIASES[scheme] ?? scheme;
}

/** The region a node's labels name, or undefined. */
export function regionOf(labels: Readonly<Record<string, string>> | undefined): string | undefined {
  for (const key of REGION_LABELS) {
    const value = labels?.[key];
    if (value) return value;
  }
  return undefined;
}

export interface NodeFacts {
  nodeCount: number;
  provider?: string;
  region?: string;
}

/**
 * What a cluster's nodes say about it. `nodeLabels` holds every node's labels (so its length is the
 * node count); `providerIDs` the `spec.providerID` of the nodes read in full (one is enough: a
 * cluster's nodes share a provider, and reading specs of every node is costly on big clusters).
 * Nodes can disagree (a stretched cluster, a node joining from elsewhere): the most common value
 * wins, ties to the lexically first, so the fact does not flap between reads.
 */
export function nodeFacts(
  nodeLabels: readonly (Readonly<Record<string, string>> | undefined)[],
  providerIDs: readonly (string | undefined)[],
): NodeFacts {
  const provider = mostCommon(providerIDs.map(providerOf));
  const region = mostCommon(nodeLabels.map(regionOf));
  return {
    nodeCount: nodeLabels.length,
    ...(provider !== undefined ? { provider } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: [string, number] | undefined;
  for (const [value, count] of counts) {
    if (!best || count > best[1] || (count === best[1] && value < best[0])) best = [value, count];
  }
  return best?.[0];
}
