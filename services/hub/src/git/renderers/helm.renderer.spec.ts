import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { type ArtifactFile } from '../artifact.js';
import { SandboxToolRunner } from '../sandbox/index.js';
import { helmRenderer, kubeVersionFlag } from './helm.renderer.js';
import { type RenderInput, type RevisionSource } from './renderer.js';

/** The real helm the project's scripts build (test/kube/build-helm.sh); a missing one fails here. */
const HELM = path.join(process.env.FLEETWAVE_CACHE_DIR ?? path.resolve('.cache'), 'kube', 'bin', 'helm');
const CHART_DIR = path.resolve('test/fixtures/charts/web');

/** Every file of a folder as an artifact would hold it, under `root`. */
function filesOf(dir: string, root: string): ArtifactFile[] {
  const out: ArtifactFile[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ path: `${root}/${path.relative(dir, full)}`, content: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}

const chart = (): RevisionSource => ({ root: 'charts/web', files: filesOf(CHART_DIR, 'charts/web') });
const input = (over: Partial<RenderInput> = {}): RenderInput => ({
  cluster: { name: 'prod-eu-1', labels: { env: 'prod' } },
  values: { replicaCount: 3, extra: { region: 'eu' } },
  kubeVersion: 'v1.31.2-eks-4f4795d',
  application: { name: 'web', namespace: 'shop' },
  helm: { releaseName: null, includeCRDs: true },
  ...over,
});

/** The fields these tests read of a rendered object. */
interface KubeObject {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { replicas?: number };
  data?: Record<string, string>;
}

function objects(manifests: string): KubeObject[] {
  return parseAllDocuments(manifests)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}
const named = (list: KubeObject[], kind: string, name: string) =>
  list.find((o) => o.kind === kind && o.metadata?.name === name);

describe('helmRenderer (real helm template)', () => {
  let dir: string;
  let tools: SandboxToolRunner;
  beforeAll(async () => {
    if (!existsSync(HELM)) throw new Error(`${HELM} is missing: run bash test/kube/build-helm.sh`);
    dir = await mkdtemp(path.join(tmpdir(), 'helm-renderer-'));
    tools = new SandboxToolRunner({
      dir,
      timeoutMs: 60_000,
      maxOutputBytes: 1 << 20,
      concurrency: 2,
      binaries: { helm: HELM, kustomize: 'kustomize' },
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders helpers, the file:// dependency, CRDs and hooks; leaves out test hooks and NOTES', async () => {
    const result = await helmRenderer.render(chart(), input(), tools);
    if (!result.ok) throw new Error(result.problem.message);
    const list = objects(result.manifests);

    expect(named(list, 'Deployment', 'web-web')?.spec?.replicas).toBe(3);
    expect(named(list, 'Deployment', 'web-web')?.metadata.labels?.['helm.sh/chart']).toBe('web-1.2.0');
    expect(named(list, 'ConfigMap', 'web-web-settings')?.metadata.namespace).toBe('shop');
    expect(named(list, 'ConfigMap', 'web-web-settings')?.data).toEqual({
      greeting: 'hello',
      kubeVersion: 'v1.31.2',
      region: 'eu',
    });
    expect(named(list, 'ConfigMap', 'web-cache')?.data).toEqual({ size: '64Mi' });
    expect(named(list, 'CustomResourceDefinition', 'widgets.test.fleetwave.io')).toBeDefined();
    expect(named(list, 'Job', 'web-web-migrate')?.metadata.annotations?.['helm.sh/hook']).toBe(
      'pre-install,pre-upgrade',
    );
    expect(list.some((o) => o.metadata?.annotations?.['helm.sh/hook'] === 'test')).toBe(false);
    expect(result.manifests).not.toContain('NOTES are for people');
  });

  it('uses the release name, leaves CRDs out when told, and the values decide the dependency', async () => {
    const result = await helmRenderer.render(
      chart(),
      input({
        helm: { releaseName: 'shop', includeCRDs: false },
        values: { cache: { enabled: false } },
      }),
      tools,
    );
    if (!result.ok) throw new Error(result.problem.message);
    const list = objects(result.manifests);
    expect(named(list, 'Deployment', 'shop-web')).toBeDefined();
    expect(list.some((o) => o.kind === 'CustomResourceDefinition')).toBe(false);
    expect(named(list, 'ConfigMap', 'shop-cache')).toBeUndefined();
  });

  it('renders the same input to the same bytes (a content address)', async () => {
    const [a, b] = [
      await helmRenderer.render(chart(), input(), tools),
      await helmRenderer.render(chart(), input(), tools),
    ];
    expect(a).toEqual(b);
  });

  it("gives a broken template's error as render-failed, with helm's own words and no sandbox path", async () => {
    const source = chart();
    const broken: RevisionSource = {
      ...source,
      files: [
        ...source.files,
        { path: 'charts/web/templates/broken.yaml', content: Buffer.from('{{ .Values.nope.deeper }}\n') },
      ],
    };
    const result = await helmRenderer.render(broken, input(), tools);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe('render-failed');
    expect(result.problem.message).toMatch(/^helm template: .*broken\.yaml.*nil pointer/s);
    expect(result.problem.message).not.toContain(dir);
  });

  it('is stopped by the sandbox when it writes more than the output limit', async () => {
    const small = new SandboxToolRunner({
      dir,
      timeoutMs: 60_000,
      maxOutputBytes: 512,
      concurrency: 1,
      binaries: { helm: HELM, kustomize: 'kustomize' },
    });
    const result = await helmRenderer.render(chart(), input(), small);
    expect(result).toEqual({
      ok: false,
      problem: { code: 'render-failed', message: expect.stringMatching(/more than 512 bytes/) },
    });
  });

  it('keys its cache on values, kube version and settings, not on the cluster', () => {
    const key = (over: Partial<RenderInput>) => JSON.stringify(helmRenderer.cacheInputs(input(over)));
    expect(key({ cluster: { name: 'other', labels: {} } })).toBe(key({}));
    expect(key({ values: { replicaCount: 1 } })).not.toBe(key({}));
    expect(key({ kubeVersion: 'v1.30.0' })).not.toBe(key({}));
    expect(key({ helm: { releaseName: 'x', includeCRDs: true } })).not.toBe(key({}));
  });
});

describe('helmRenderer.check', () => {
  const withChart = (chartYaml: string, extra: ArtifactFile[] = []): RevisionSource => ({
    root: 'c',
    files: [{ path: 'c/Chart.yaml', content: Buffer.from(chartYaml) }, ...extra],
  });

  it.each([
    ['a fine chart', 'apiVersion: v2\nname: a\nversion: 1.0.0\n', [], []],
    [
      'a Chart.yaml without a name',
      'apiVersion: v2\nversion: 1.0.0\n',
      [],
      ['invalid-source: Chart.yaml: missing name'],
    ],
    ['broken YAML', 'name: [a\n', [], [expect.stringMatching(/^invalid-source: Chart\.yaml: invalid YAML/)]],
    [
      'a dependency from a Helm repository, not vendored',
      'name: a\ndependencies:\n  - name: redis\n    version: 1.x\n    repository: https://charts.example.com\n',
      [],
      [
        expect.stringMatching(
          /^invalid-source: .*"redis" comes from https:\/\/charts\.example\.com.*vendor it/,
        ),
      ],
    ],
    [
      'the same dependency vendored into charts/',
      'name: a\ndependencies:\n  - name: redis\n    version: 1.x\n    repository: https://charts.example.com\n',
      [{ path: 'c/charts/redis-1.2.3.tgz', content: Buffer.from('x') }],
      [],
    ],
  ])('%s', (_case, chartYaml, extra, expected) => {
    expect(helmRenderer.check(withChart(chartYaml, extra)).map((p) => `${p.code}: ${p.message}`)).toEqual(
      expected,
    );
  });

  it('says no-manifests without a Chart.yaml', () => {
    expect(helmRenderer.check({ root: 'c', files: [] })).toEqual([
      { code: 'no-manifests', message: 'no Chart.yaml under "c"' },
    ]);
  });
});

describe('kubeVersionFlag', () => {
  it.each([
    ['v1.31.2', 'v1.31.2'],
    ['v1.31.2-eks-4f4795d', 'v1.31.2'],
    ['1.30', 'v1.30.0'],
    ['unknown', null],
    [null, null],
  ])('%s → %s', (reported, flag) => {
    expect(kubeVersionFlag(reported)).toBe(flag);
  });
});
