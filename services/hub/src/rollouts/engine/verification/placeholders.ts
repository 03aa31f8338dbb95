/** The `${…}` placeholders a check may use, checked when the plan is saved. Pure. */

/** A `${…}` placeholder (or `$${`, a literal `${`). */
export const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}?/g;
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

export const WAVE_CLUSTERS = /^\s*wave\.clusters\s*$/;
export const COHORT_CLUSTERS = /^\s*cohort\.clusters\s*$/;
