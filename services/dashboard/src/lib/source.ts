/** Renderer kinds an application may name (the hub's `Application.renderer`). */
const EXPLICIT: Readonly<Record<string, string>> = {
  template: 'plain YAML with ${cluster…} placeholders',
  helm: 'a Helm chart, rendered with helm template',
  kustomize: 'a Kustomize overlay, built with kustomize',
};

/** What the hub's `auto` does, in its own order (git/renderers: helm, kustomize, then template). */
const AUTO_RULE = 'the source decides: Chart.yaml → helm, kustomization.yaml → kustomize, else template';

/**
 * How an application's manifests are made, for the source card: its `renderer` setting and, for
 * `auto`, what the newest revision says. GraphQL does not tell which renderer `auto` picked for a
 * git-only revision, but a revision with a pulled chart can only be rendered by helm.
 */
export function sourceKind(
  renderer: string,
  latestRevision: { chart: unknown } | null,
): { label: string; hint: string } {
  if (renderer !== 'auto') return { label: renderer, hint: EXPLICIT[renderer] ?? renderer };
  if (latestRevision?.chart) return { label: 'auto → helm', hint: 'the newest revision has a pulled chart' };
  return { label: 'auto', hint: AUTO_RULE };
}

/** "web 1.2.0" of a pulled chart, or "web 1.x from oci://…" of a chart source. */
export function chartText(chart: { name: string; version: string; repository?: string }): string {
  return chart.repository === undefined
    ? `${chart.name} ${chart.version}`
    : `${chart.name} ${chart.version} from ${chart.repository}`;
}
