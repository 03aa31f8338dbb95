import { describe, expect, it } from '@jest/globals';
import { type ArtifactFile } from '../artifact.js';
import { type RenderContext, renderManifests } from '../render.js';
import { DEFAULT_RENDERER_KIND, RENDERER_KINDS, rendererFor } from './index.js';
import { type ToolRunner } from '../sandbox/index.js';
import { type RenderInput, type RevisionSource } from './renderer.js';
import { templateRenderer } from './template.renderer.js';

const context: RenderContext = {
  cluster: { name: 'east', labels: { env: 'prod' } },
  values: { replicas: 2 },
};
const input: RenderInput = {
  ...context,
  kubeVersion: null,
  application: { name: 'web', namespace: null },
  helm: { releaseName: null, includeCRDs: true },
};
/** The template renderer runs no tool: any call fails the test. */
const noTools: ToolRunner = {
  inWorkdir: () => Promise.reject(new Error('the template renderer ran a tool')),
  run: () => Promise.reject(new Error('the template renderer ran a tool')),
};
const configMap = (name: string, data = 'env: ${cluster.labels.env}') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${data}\n`;
const file = (path: string, content: string): ArtifactFile => ({ path, content: Buffer.from(content) });
const source = (...files: ArtifactFile[]): RevisionSource => ({ root: 'apps/web', files });

describe('the renderer registry', () => {
  it('knows auto (the default), helm and template', () => {
    expect(DEFAULT_RENDERER_KIND).toBe('auto');
    expect(RENDERER_KINDS).toEqual(expect.arrayContaining(['auto', 'helm', 'template']));
    expect(rendererFor('template', source())).toBe(templateRenderer);
  });

  it.each([
    ['plain YAML', [file('apps/web/a.yaml', configMap('a'))], 'template'],
    [
      'a chart',
      [file('apps/web/Chart.yaml', 'name: web\nversion: 1.0.0\n'), file('apps/web/values.yaml', '')],
      'helm',
    ],
    [
      'a Chart.yaml below the path is not a chart at the path',
      [file('apps/web/sub/Chart.yaml', 'name: x\n')],
      'template',
    ],
  ])('auto picks the renderer from the source: %s', (_case, files, kind) => {
    expect(rendererFor('auto', source(...files)).kind).toBe(kind);
  });

  it('refuses a kind it does not know', () => {
    expect(() => rendererFor('jsonnet', source())).toThrow('no renderer of kind "jsonnet"');
  });
});

describe('templateRenderer', () => {
  it('renders the YAML files only, in path order, exactly as renderManifests does', async () => {
    const files = [
      file('apps/web/z.yml', configMap('z')),
      file('apps/web/README.md', '# ${not.a.placeholder'),
      file('apps/web/a.YAML', configMap('a', 'replicas: "${values.replicas}"')),
      file('apps/web/logo.png', '\u0000\u00ff'),
    ];

    const result = await templateRenderer.render(source(...files), input, noTools);

    const expected = renderManifests(
      [
        { path: 'apps/web/a.YAML', content: configMap('a', 'replicas: "${values.replicas}"') },
        { path: 'apps/web/z.yml', content: configMap('z') },
      ],
      context,
    );
    expect(result).toEqual({ ok: true, manifests: expected });
    expect(expected).toContain('# Source: apps/web/a.YAML');
  });

  it('orders documents by path as JavaScript compares strings (the order bundles always had)', async () => {
    const files = [file('\u{1F600}.yaml', configMap('emoji')), file('\uE000.yaml', configMap('private'))];
    const result = await templateRenderer.render(source(...files), input, noTools);
    expect(result.ok && result.manifests.indexOf('emoji')).toBeLessThan(
      result.ok ? result.manifests.indexOf('private') : -1,
    );
  });

  it('reports a cluster it cannot render for with render-failed', async () => {
    const result = await templateRenderer.render(
      source(file('apps/web/a.yaml', configMap('a'))),
      {
        ...input,
        cluster: { name: 'bare', labels: {} },
      },
      noTools,
    );
    expect(result).toEqual({
      ok: false,
      problem: {
        code: 'render-failed',
        message: 'apps/web/a.yaml:6: ${cluster.labels.env}: cluster bare has no label env',
      },
    });
  });

  it.each([
    ['fine templates', [file('apps/web/a.yaml', configMap('a'))], []],
    [
      'no YAML under the path',
      [file('apps/web/README.md', 'hello')],
      [{ code: 'no-manifests', message: 'no *.yaml or *.yml files under "apps/web"' }],
    ],
    [
      'a bad placeholder',
      [file('apps/web/a.yaml', configMap('a', 'x: ${foo.bar}'))],
      [
        {
          code: 'invalid-source',
          message: expect.stringMatching(/^apps\/web\/a\.yaml:6: unknown placeholder \$\{foo\.bar\}/),
        },
      ],
    ],
    [
      'malformed YAML',
      [file('apps/web/a.yaml', 'a: [\n')],
      [{ code: 'invalid-source', message: expect.stringMatching(/^apps\/web\/a\.yaml:\d+: invalid YAML/) }],
    ],
  ])('checks %s', (_case, files, problems) => {
    expect(templateRenderer.check(source(...files))).toEqual(problems);
  });

  it('names the repository root as "." when nothing is under it', () => {
    expect(templateRenderer.check({ root: '', files: [] })).toEqual([
      { code: 'no-manifests', message: 'no *.yaml or *.yml files under "."' },
    ]);
  });
});
