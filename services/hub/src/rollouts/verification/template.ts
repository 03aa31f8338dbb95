import { MissingLabel, substituteCluster } from '../../git/values.js';

export { MissingLabel };

/** A `${…}` placeholder (or `$${`, a literal `${`). */
const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}?/g;
const CLUSTER_REF = /^\s*cluster\.(name|labels\.[A-Za-z0-9][A-Za-z0-9_./-]*)\s*$/;

/**
 * Problems of a check template, checked at plan input: every `${…}` must be closed and one of
 * `allowed` (regexes over the placeholder's inside). Returns one message per problem.
 */
export function templateProblems(text: string, allowed: readonly RegExp[], spelled: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match[0] === '$${') continue;
    if (!match[0].endsWith('}')) {
      problems.push(`unterminated placeholder at position ${match.index + 1}`);
      continue;
    }
    const inside = match[1] ?? '';
    if (!allowed.some((re) => re.test(inside)))
      problems.push(`unknown placeholder ${match[0]} (use ${spelled})`);
  }
  return problems;
}

/** What an http check's URL may use: the cluster's name and labels. */
export const CLUSTER_PLACEHOLDERS = [CLUSTER_REF];
export const CLUSTER_PLACEHOLDERS_SPELLED = '${cluster.name} or ${cluster.labels.<key>}';

/** `${cluster.name}` / `${cluster.labels.<key>}` for one cluster; throws MissingLabel. */
export function clusterUrl(
  url: string,
  cluster: { name: string; labels: Readonly<Record<string, string>> },
): string {
  return substituteCluster(url, cluster) as string;
}

export const WAVE_CLUSTERS = /^\s*wave\.clusters\s*$/;
export const COHORT_CLUSTERS = /^\s*cohort\.clusters\s*$/;

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
