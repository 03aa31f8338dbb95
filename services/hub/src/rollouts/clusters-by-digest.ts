/**
 * Cluster names by the bundle digest each is to run (`none` where nothing was rendered), names
 * sorted: how a rollout's audit event says what every cluster got — few bundles, many clusters.
 */
export function clustersByDigest(
  pairs: readonly (readonly [string, string | null])[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, digest] of pairs) (out[digest ?? 'none'] ??= []).push(name);
  for (const names of Object.values(out)) names.sort();
  return out;
}
