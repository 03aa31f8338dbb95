import { type Values } from '../../git/renderers/renderer.js';
import { MissingLabel, substituteCluster } from '../../git/values.js';
import { COHORT_CLUSTERS, PLACEHOLDER, WAVE_CLUSTERS } from '../engine/verification/placeholders.js';

export { MissingLabel };

/** `${cluster.name}` / `${cluster.labels.<key>}` for one cluster; throws MissingLabel. */
export function clusterTemplate(
  text: string,
  cluster: { name: string; labels: Readonly<Record<string, string>> },
): string {
  return substituteCluster(text, cluster) as string;
}

/**
 * A job check's manifest for one cluster: `${cluster.name}` / `${cluster.labels.<key>}` filled in
 * every string value (never in keys, and after the YAML was parsed, so a value cannot change the
 * manifest's structure); throws MissingLabel.
 */
export function clusterManifest<T extends object>(
  manifest: T,
  cluster: { name: string; labels: Readonly<Record<string, string>> },
): T {
  return substituteCluster(manifest as unknown as Values, cluster) as unknown as T;
}

/** {@link clusterTemplate} of an http check's URL. */
export const clusterUrl = clusterTemplate;

/** Cluster names as a PromQL regex alternation (`a|b`), each name's metacharacters escaped. */
export function regexAlternation(names: readonly string[]): string {
  // An empty cohort matches nothing rather than everything.
  if (names.length === 0) return '^$';
  // In a PromQL string literal a backslash itself needs escaping.
  return [...names]
    .sort()
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&'))
    .join('|');
}

/** `${wave.clusters}` and `${cohort.clusters}` substituted in a PromQL query. */
export function promQuery(
  query: string,
  names: { wave: readonly string[]; cohort?: readonly string[] },
): string {
  return query.replace(PLACEHOLDER, (match, inside: string | undefined) => {
    if (match === '$${') return '${';
    if (inside !== undefined && WAVE_CLUSTERS.test(inside)) return regexAlternation(names.wave);
    if (inside !== undefined && COHORT_CLUSTERS.test(inside) && names.cohort !== undefined)
      return regexAlternation(names.cohort);
    return match;
  });
}

/** A URL for messages, logs and runs: its userinfo (a password, a token) masked. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = '***';
    parsed.password = '';
  }
  return parsed.toString();
}
