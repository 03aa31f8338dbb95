import { describe, expect, it } from '@jest/globals';
import { chartText, sourceKind } from './source';

describe('sourceKind', () => {
  it.each([
    ['template', null, 'template', 'plain YAML with ${cluster…} placeholders'],
    ['helm', null, 'helm', 'a Helm chart, rendered with helm template'],
    ['kustomize', { chart: null }, 'kustomize', 'a Kustomize overlay, built with kustomize'],
    [
      'auto',
      null,
      'auto',
      'the source decides: Chart.yaml → helm, kustomization.yaml → kustomize, else template',
    ],
    [
      'auto',
      { chart: null },
      'auto',
      'the source decides: Chart.yaml → helm, kustomization.yaml → kustomize, else template',
    ],
    ['auto', { chart: { name: 'web' } }, 'auto → helm', 'the newest revision has a pulled chart'],
    // A kind the dashboard does not know yet (a newer hub) is shown as it is.
    ['jsonnet', null, 'jsonnet', 'jsonnet'],
  ])('renderer %s, newest revision %j → %s', (renderer, revision, label, hint) => {
    expect(sourceKind(renderer, revision)).toEqual({ label, hint });
  });
});

describe('chartText', () => {
  it('names a pulled chart by name and version', () => {
    expect(chartText({ name: 'web', version: '1.3.0' })).toBe('web 1.3.0');
  });

  it('names a chart source with its version range and repository', () => {
    expect(chartText({ name: 'web', version: '^1.2', repository: 'oci://registry.example/charts' })).toBe(
      'web ^1.2 from oci://registry.example/charts',
    );
  });
});
