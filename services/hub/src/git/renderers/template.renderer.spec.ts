import { describe, expect, it } from '@jest/globals';
import { type ArtifactFile } from '../artifact.js';
import { type RenderContext, renderManifests } from '../render.js';
import { DEFAULT_RENDERER_KIND, RENDERER_KINDS, rendererFor } from './index.js';
import { type RevisionSource } from './renderer.js';
import { templateRenderer } from './template.renderer.js';

const context: RenderContext = {
  cluster: { name: 'east', labels: { env: 'prod' } },
  values: { replicas: 2 },
};
const configMap = (name: string, data = 'env: ${cluster.labels.env}') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${data}\n`;
const file = (path: string, content: string): ArtifactFile => ({ path, content: Buffer.from(content) });
const source = (...files: ArtifactFile[]): RevisionSource => ({ root: 'apps/web', files });

describe('the renderer registry', () => {
  it('knows the template renderer, the default kind', () => {
    expect(DEFAULT_RENDERER_KIND).toBe('template');
    expect(RENDERER_KINDS).toEqual(['template']);
    expect(rendererFor('template')).toBe(templateRenderer);
  });

  it('refuses a kind it does not know', () => {
    expect(() => rendererFor('helm')).toThrow('no renderer of kind "helm"');
  });
});

describe('templateRenderer', () => {
  it('renders the YAML files only, in path order, exactly as renderManifests does', () => {
    const files = [
      file('apps/web/z.yml', configMap('z')),
      file('apps/web/README.md', '# ${not.a.placeholder'),
      file('apps/web/a.YAML', configMap('a', 'replicas: "${values.replicas}"')),
      file('apps/web/logo.png', '\u0000\u00ff'),
    ];

    const result = templateRenderer.render(source(...files), context);

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

  it('orders documents by path as JavaScript compares strings (the order bundles always had)', () => {
    const files = [file('\u{1F600}.yaml', configMap('emoji')), file('\uE000.yaml', configMap('private'))];
    const result = templateRenderer.render(source(...files), context);
    expect(result.ok && result.manifests.indexOf('emoji')).toBeLessThan(
      result.ok ? result.manifests.indexOf('private') : -1,
    );
  });

  it('reports a cluster it cannot render for with render-failed', () => {
    const result = templateRenderer.render(source(file('apps/web/a.yaml', configMap('a'))), {
      ...context,
      cluster: { name: 'bare', labels: {} },
    });
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
