import { describe, expect, it } from '@jest/globals';
import { type HubConfig } from '../config/hub-config.js';
import { type Renderer, type RenderInput } from '../git/index.js';
import { type MetricsService } from '../metrics/metrics.service.js';
import { BundleRenderer, type RenderSettings, type RenderTarget } from './bundle-renderer.js';
import { type BundlesRepository } from './bundles.repository.js';
import { helmRendererForTests } from './bundle-renderer.test-support.js';

/** The bundle and render_cache tables, in memory; shared by "replicas" built on it. */
class FakeBundles {
  readonly bundles = new Map<string, string>();
  readonly renders = new Map<string, string>();
  find(digest: string) {
    return Promise.resolve(this.bundles.get(digest) ?? null);
  }
  findRenderedDigest(key: string) {
    return Promise.resolve(this.renders.get(key) ?? null);
  }
  storeRendered(key: string, _renderer: string, digest: string, manifests: string) {
    this.bundles.set(digest, manifests);
    this.renders.set(key, digest);
    return Promise.resolve();
  }
}

const metrics = {
  renders: { inc: () => undefined },
  renderSeconds: { observe: () => undefined },
} as unknown as MetricsService;
const config = {
  render: { dir: '/nonexistent', timeoutMs: 1000, maxOutputBytes: 1024, concurrency: 1, binaries: {} },
} as unknown as HubConfig;

const app: RenderSettings = {
  name: 'web',
  renderer: 'helm',
  defaultNamespace: 'shop',
  allowEmpty: false,
  values: { replicas: 1 },
  valuesFiles: [],
  valuesRules: [
    { selector: 'env=prod', values: { replicas: 5 } },
    { selector: 'env=staging', values: { replicas: 2 } },
  ],
  helm: { releaseName: null, includeCRDs: true },
};
const source = { root: 'c', files: [{ path: 'c/Chart.yaml', content: Buffer.from('name: web\n') }] };

/** 1,000 clusters over three environments: three distinct value sets. */
const fleet: RenderTarget[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `id-${i}`,
  name: `c-${i}`,
  labels: { env: ['prod', 'staging', 'dev'][i % 3]! },
  facts: { kubernetesVersion: 'v1.31.2' },
}));

function replica(bundles: FakeBundles, renderer: Renderer) {
  return new BundleRenderer(bundles as unknown as BundlesRepository, metrics, config, () => renderer);
}

describe('BundleRenderer', () => {
  it('renders 1,000 clusters with 3 value sets 3 times, and each cluster gets its set', async () => {
    const helm = helmRendererForTests();
    const result = await replica(new FakeBundles(), helm.renderer).render(app, source, 'sha256:a', fleet);

    expect(helm.calls()).toHaveLength(3);
    expect(result.renders).toBe(3);
    expect(result.bundles.size).toBe(3);
    expect(result.digests.size).toBe(1000);
    expect(result.bundles.get(result.digests.get('id-0')!)).toContain('replicas: 5');
    expect(result.bundles.get(result.digests.get('id-1')!)).toContain('replicas: 2');
    expect(result.bundles.get(result.digests.get('id-2')!)).toContain('replicas: 1');
  });

  it('reuses renders across calls, replicas and restarts (the table), and renders a new input', async () => {
    const table = new FakeBundles();
    const first = helmRendererForTests();
    await replica(table, first.renderer).render(app, source, 'sha256:a', fleet);
    expect(first.calls()).toHaveLength(3);

    const restarted = helmRendererForTests();
    const again = await replica(table, restarted.renderer).render(app, source, 'sha256:a', fleet);
    expect(restarted.calls()).toHaveLength(0);
    expect(again.renders).toBe(0);
    expect(again.digests.size).toBe(1000);

    // A new source artifact (a new commit) is a new input.
    await replica(table, restarted.renderer).render(app, source, 'sha256:b', fleet.slice(0, 3));
    expect(restarted.calls()).toHaveLength(3);
  });

  it('renders again when the remembered bundle is gone (collected)', async () => {
    const table = new FakeBundles();
    await replica(table, helmRendererForTests().renderer).render(app, source, 'sha256:a', fleet.slice(0, 1));
    table.bundles.clear();
    const helm = helmRendererForTests();
    const result = await replica(table, helm.renderer).render(app, source, 'sha256:a', fleet.slice(0, 1));
    expect(helm.calls()).toHaveLength(1);
    expect(result.digests.size).toBe(1);
  });

  it('does not remember a failed render', async () => {
    const table = new FakeBundles();
    const failing = helmRendererForTests({ fail: 'helm template: boom' });
    const result = await replica(table, failing.renderer).render(app, source, 'sha256:a', fleet.slice(0, 2));
    expect(result.errors).toEqual(['c-0: helm template: boom', 'c-1: helm template: boom']);
    expect(table.renders.size).toBe(0);
  });

  it('fails the clusters whose values cannot be made, and renders the rest', async () => {
    const helm = helmRendererForTests();
    const result = await replica(new FakeBundles(), helm.renderer).render(
      { ...app, values: { host: '${cluster.labels.region}' } },
      source,
      'sha256:a',
      [
        { id: 'a', name: 'a', labels: { env: 'prod', region: 'eu' }, facts: {} },
        { id: 'b', name: 'b', labels: { env: 'prod' }, facts: {} },
      ],
    );
    expect([...result.digests.keys()]).toEqual(['a']);
    expect(result.errors).toEqual(['b: ${cluster.labels.region}: cluster b has no label region']);
  });

  it.each([
    [
      'a values file that is not in the revision',
      ['missing.yaml'],
      [],
      /values file missing\.yaml is not in the revision/,
    ],
    [
      'a values file that is not YAML',
      ['v.yaml'],
      [['c/v.yaml', 'a: [']],
      /values file v\.yaml: invalid YAML/,
    ],
    [
      'a values file that is a list',
      ['v.yaml'],
      [['c/v.yaml', '- 1\n']],
      /values file v\.yaml: must be a mapping/,
    ],
  ])('fails every cluster for %s', async (_case, valuesFiles, extra, message) => {
    const withFiles = {
      ...source,
      files: [
        ...source.files,
        ...extra.map(([path, text]) => ({ path: path!, content: Buffer.from(text!) })),
      ],
    };
    const result = await replica(new FakeBundles(), helmRendererForTests().renderer).render(
      { ...app, valuesFiles },
      withFiles,
      'sha256:a',
      fleet.slice(0, 2),
    );
    expect(result.digests.size).toBe(0);
    expect(result.errors).toEqual([expect.stringMatching(message), expect.stringMatching(message)]);
  });

  it('merges values files between the application values and the rules', async () => {
    const helm = helmRendererForTests();
    await replica(new FakeBundles(), helm.renderer).render(
      { ...app, values: { a: 'app', b: 'app', c: 'app' }, valuesFiles: ['v.yaml'] },
      {
        ...source,
        files: [...source.files, { path: 'c/v.yaml', content: Buffer.from('b: file\nc: file\n') }],
      },
      'sha256:a',
      [{ id: 'p', name: 'p', labels: { env: 'prod' }, facts: {} }],
    );
    expect(helm.calls()[0]!.values).toEqual({ a: 'app', b: 'file', c: 'file', replicas: 5 });
  });

  it('refuses an empty render unless the application allows it', async () => {
    const empty = helmRendererForTests({ manifests: '---\n# Source: x\n' });
    const refused = await replica(new FakeBundles(), empty.renderer).render(
      app,
      source,
      'sha256:a',
      fleet.slice(0, 1),
    );
    expect(refused.empty).toEqual(new Set(['id-0']));
    const allowed = await replica(new FakeBundles(), empty.renderer).render(
      { ...app, allowEmpty: true },
      source,
      'sha256:a',
      fleet.slice(0, 1),
    );
    expect(allowed.digests.size).toBe(1);
  });

  it('runs the per-cluster finish pass over a shared render', async () => {
    const helm = helmRendererForTests();
    const renderer: Renderer = {
      ...helm.renderer,
      cacheInputs: () => ({}),
      finish: (manifests: string, input: RenderInput) => ({
        ok: true,
        manifests: `${manifests}# ${input.cluster.name}\n`,
      }),
    };
    const result = await replica(new FakeBundles(), renderer).render(
      app,
      source,
      'sha256:a',
      fleet.slice(0, 3),
    );
    expect(helm.calls()).toHaveLength(1);
    expect(new Set(result.digests.values()).size).toBe(3);
  });
});
