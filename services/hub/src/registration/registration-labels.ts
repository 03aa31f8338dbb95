/**
 * The labels a cluster starts with: the registration token's labels win on every key they set; the
 * agent's own labels (Helm `cluster.labels`) only fill the keys the token leaves open. Whoever
 * creates the token is an operator of the hub, while anyone holding the agent's configuration (or a
 * leaked token) could otherwise claim labels such as `env=prod` and be targeted by production
 * rollouts — so the token's labels are the trusted ones.
 */
export function registrationLabels(
  tokenLabels: Readonly<Record<string, string>>,
  agentLabels: Readonly<Record<string, string>>,
): Record<string, string> {
  return { ...agentLabels, ...tokenLabels };
}
