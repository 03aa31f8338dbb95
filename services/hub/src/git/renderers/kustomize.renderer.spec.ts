import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { type ArtifactFile } from '../artifact.js';
import { SandboxToolRunner } from '../sandbox/index.js';
import { checkKustomizations } from './kustomize-check.js';
import { kustomizeBuild, kustomizeRenderer } from './kustomize.renderer.js';
import { rendererFor } from './index.js';
import { type RenderInput, type RenderResult, type RevisionSource } from './renderer.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const KUSTOMIZE = path.join(
  process.env.FLEETWAVE_CACHE_DIR ?? path.join(REPO_ROOT, '.cache'),
  'kube/bin/kustomize',
);
const FIXTURE_REPO = path.join(REPO_ROOT, 'services/hub/test-fixtures/kustomize/repo');

/** The fixture repository as a revision of the application at `root` (every file, repository paths). */
async function fixture(root: string, only: (file: string) => boolean = () => true): Promise<RevisionSource> {
  const files: ArtifactFile[] = [];
  for (const entry of await readdir(FIXTURE_REPO, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const repoPath = path.relative(FIXTURE_REPO, full).split(path.sep).join('/');
    if (only(repoPath)) files.push({ path: repoPath, content: await readFile(full) });
  }
  return { root, files };
}

const file = (filePath: string, content: string): ArtifactFile => ({
  path: filePath,
  content: Buffer.from(content),
});
const inline = (root: string, ...files: ArtifactFile[]): RevisionSource => ({ root, files });

function input(cluster: string, labels: Record<string, string> = {}): RenderInput {
  return {
    cluster: { name: cluster, labels },
    values: {},
    kubeVersion: 'v1.34.4',
    application: { name: 'shop', namespace: null },
    helm: { releaseName: null, includeCRDs: true },
  };
}

/** The parts of rendered objects these tests read. */
interface Rendered {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec: {
    replicas?: number;
    selector?: Record<string, string>;
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: {
        containers: {
          image: string;
          env: { name: string; value: string }[];
          envFrom: { configMapRef: { name: string } }[];
          resources: { requests: Record<string, string> };
        }[];
        topologySpreadConstraints: { topologyKey: string }[];
      };
    };
  };
}

/** Every rendered object as JS, by `Kind/name`. */
function objects(result: RenderResult): Map<string, Rendered> {
  if (!result.ok) throw new Error(`render failed: ${result.problem.code}: ${result.problem.message}`);
  const byName = new Map<string, Rendered>();
  for (const document of parseAllDocuments(result.manifests)) {
    expect(document.errors).toEqual([]);
    const object = document.toJS() as Rendered;
    byName.set(`${object.kind}/${object.metadata.name}`, object);
  }
  return byName;
}

function problem(result: RenderResult) {
  if (result.ok) throw new Error(`expected a failed render, got:\n${result.manifests}`);
  return result.problem;
}

let sandboxDir: string;
let tools: SandboxToolRunner;

beforeAll(async () => {
  // A missing binary is a broken set-up, not a reason to skip: say how to build it.
  if (!existsSync(KUSTOMIZE)) {
    throw new Error(
      `kustomize not found at ${KUSTOMIZE}: build it with \`bash test/kube/build-kustomize.sh\``,
    );
  }
  sandboxDir = await mkdtemp(path.join(os.tmpdir(), 'kustomize-spec-'));
  tools = new SandboxToolRunner({
    dir: sandboxDir,
    timeoutMs: 60_000,
    maxOutputBytes: 4 * 1024 * 1024,
    concurrency: 2,
    binaries: { helm: '/nonexistent/helm', kustomize: KUSTOMIZE },
  });
});

afterAll(async () => {
  if (sandboxDir !== undefined) await rm(sandboxDir, { recursive: true, force: true });
});

describe('kustomizeRenderer: detection and registration', () => {
  it.each([
    ['kustomization.yaml', true],
    ['kustomization.yml', true],
    ['Kustomization', true],
    ['deployment.yaml', false],
  ])('an application path holding %s: %s', (name, detected) => {
    const source = inline('apps/shop', file(`apps/shop/${name}`, 'resources: []\n'));
    expect(kustomizeRenderer.detects(source)).toBe(detected);
  });

  it('is chosen by auto after helm and before the template renderer', () => {
    const overlay = inline('app', file('app/kustomization.yaml', 'resources: []\n'));
    const chart = inline('app', file('app/kustomization.yaml', ''), file('app/Chart.yaml', 'name: c\n'));
    expect(rendererFor('auto', overlay).kind).toBe('kustomize');
    expect(rendererFor('auto', chart).kind).toBe('helm');
    expect(rendererFor('kustomize', overlay)).toBe(kustomizeRenderer);
  });

  it('the build does not depend on the cluster: one build serves every cluster', () => {
    expect(kustomizeRenderer.cacheInputs(input('eu-1', { region: 'eu' }))).toEqual(
      kustomizeRenderer.cacheInputs(input('us-1', { region: 'us' })),
    );
  });
});

describe('kustomizeRenderer: overlays built with the real kustomize', () => {
  it('prod: the base, a component, a JSON6902 patch, an image tag, generated ConfigMaps with hash suffixes', async () => {
    const source = await fixture('apps/shop/overlays/prod');
    expect(kustomizeRenderer.check(source)).toEqual([]);

    const built = objects(await kustomizeRenderer.render(source, input('eu-1'), tools));

    const config = [...built.keys()].find((name) => name.startsWith('ConfigMap/shop-config-'));
    expect(config).toMatch(/^ConfigMap\/shop-config-[a-z0-9]{10}$/);
    expect(built.get(config!)?.data).toEqual({
      LOG_LEVEL: 'info',
      'shop.properties': 'currency=EUR\ncheckout.enabled=true\n',
    });
    const deployment = built.get('Deployment/shop')!;
    expect(deployment.metadata.namespace).toBe('shop-prod');
    // JSON6902: replicas replaced, spread constraints added.
    expect(deployment.spec.replicas).toBe(5);
    expect(deployment.spec.template.spec.topologySpreadConstraints[0]?.topologyKey).toBe(
      'topology.kubernetes.io/zone',
    );
    // The component: scrape annotations and its own generated ConfigMap.
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9090',
    });
    expect([...built.keys()].some((name) => /^ConfigMap\/shop-metrics-[a-z0-9]{10}$/.test(name))).toBe(true);
    const container = deployment.spec.template.spec.containers[0]!;
    expect(container.image).toBe('registry.example/shop:1.2.0');
    // The reference to the generated ConfigMap follows its hashed name.
    expect(`ConfigMap/${container.envFrom[0]!.configMapRef.name}`).toBe(config);
    // Labels with includeSelectors reach the Service's selector.
    expect(built.get('Service/shop')?.spec.selector).toEqual({
      'app.kubernetes.io/name': 'shop',
      tier: 'web',
    });
  });

  it('staging: a prefix, a strategic-merge patch, a merged generator (a different hash), no component', async () => {
    const staging = objects(
      await kustomizeRenderer.render(await fixture('apps/shop/overlays/staging'), input('eu-1'), tools),
    );
    const prod = objects(
      await kustomizeRenderer.render(await fixture('apps/shop/overlays/prod'), input('eu-1'), tools),
    );

    const deployment = staging.get('Deployment/staging-shop')!;
    expect(deployment.metadata.namespace).toBe('shop-staging');
    expect(deployment.spec.replicas).toBe(2);
    const container = deployment.spec.template.spec.containers[0]!;
    // Strategic merge: the request changed, the rest of the container kept.
    expect(container.resources.requests.cpu).toBe('50m');
    expect(container.image).toBe('registry.example/shop:1.0.0');
    expect(deployment.spec.template.metadata.annotations).toBeUndefined();
    const config = staging.get(`ConfigMap/${container.envFrom[0]!.configMapRef.name}`);
    expect(config?.data?.LOG_LEVEL).toBe('debug');
    expect(config?.data?.['shop.properties']).toContain('currency=EUR');
    const prodConfig = [...prod.keys()].find((name) => name.startsWith('ConfigMap/shop-config-'))!;
    expect(config?.metadata.name.slice(-10)).not.toBe(prodConfig.slice(-10));
  });

  it('builds the same bytes every time', async () => {
    const source = await fixture('apps/shop/overlays/prod');
    const first = await kustomizeRenderer.render(source, input('eu-1'), tools);
    const second = await kustomizeRenderer.render(source, input('us-1'), tools);
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
  });

  it('runs builtin transformers given as plugin configuration', async () => {
    const source = inline(
      'app',
      file('app/kustomization.yaml', 'resources: [cm.yaml]\ntransformers: [team-label.yaml]\n'),
      file('app/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n'),
      file(
        'app/team-label.yaml',
        'apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: team\nlabels:\n  team: payments\nfieldSpecs:\n  - path: metadata/labels\n    create: true\n',
      ),
    );
    expect(kustomizeRenderer.check(source)).toEqual([]);
    const built = objects(await kustomizeRenderer.render(source, input('eu-1'), tools));
    expect(built.get('ConfigMap/settings')?.metadata.labels).toEqual({ team: 'payments' });
  });
});

describe('kustomizeRenderer.finish: per-cluster substitution after the build', () => {
  it('substitutes ${cluster.name} and ${cluster.labels.<key>} per cluster; $${ stays a literal ${', async () => {
    const source = await fixture('apps/shop/overlays/prod');
    const built = await kustomizeRenderer.render(source, input('any'), tools);
    if (!built.ok) throw new Error(built.problem.message);

    const env = (cluster: string, labels: Record<string, string>) => {
      const finished = objects(kustomizeRenderer.finish!(built.manifests, input(cluster, labels)));
      return finished.get('Deployment/shop')?.spec.template.spec.containers[0]?.env;
    };
    expect(env('eu-1', { region: 'eu-west' })).toEqual([
      { name: 'CLUSTER', value: 'eu-1' },
      { name: 'REGION', value: 'eu-west' },
      { name: 'GREETING', value: '${not-a-placeholder}' },
    ]);
    expect(env('us-1', { region: 'us-east' })).toEqual([
      { name: 'CLUSTER', value: 'us-1' },
      { name: 'REGION', value: 'us-east' },
      { name: 'GREETING', value: '${not-a-placeholder}' },
    ]);
  });

  it.each([
    ['a number', '123'],
    ['a boolean', 'true'],
    ['a mapping', 'a: b'],
    ['a flow sequence', '[x, y]'],
  ])('a label value that reads as %s stays a string', (_case, value) => {
    const manifests =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  zone: ${cluster.labels.zone}\n';
    const finished = objects(kustomizeRenderer.finish!(manifests, input('eu-1', { zone: value })));
    expect(finished.get('ConfigMap/c')?.data).toEqual({ zone: value });
  });

  it('returns a stream without placeholders unchanged', () => {
    const manifests = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    expect(kustomizeRenderer.finish!(manifests, input('eu-1'))).toEqual({ ok: true, manifests });
  });

  it('a label the cluster does not have: render-failed naming the object and the label', () => {
    const manifests =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  region: ${cluster.labels.region}\n';
    expect(problem(kustomizeRenderer.finish!(manifests, input('eu-1', { zone: 'a' })))).toEqual({
      code: 'render-failed',
      message: 'ConfigMap/settings: ${cluster.labels.region}: cluster eu-1 has no label region',
    });
  });
});

describe('kustomizeRenderer: refused sources', () => {
  const overlay = (kustomization: string) =>
    inline(
      'apps/web',
      file('apps/web/kustomization.yaml', kustomization),
      file('apps/web/cm.yaml', 'kind: x\n'),
    );

  it.each([
    [
      'an https base',
      'resources:\n  - https://github.com/example/shop//base?ref=v1\n',
      'https://github.com/example/shop//base?ref=v1',
    ],
    [
      'a host-path base',
      'resources:\n  - github.com/example/shop/base?ref=v1\n',
      'github.com/example/shop/base?ref=v1',
    ],
    [
      'a host-path base without a ref',
      'bases:\n  - gitlab.com/example/shop/base\n',
      'gitlab.com/example/shop/base',
    ],
    [
      'an scp-style git base',
      'resources:\n  - git@github.com:example/shop.git\n',
      'git@github.com:example/shop.git',
    ],
    [
      'a go-getter base',
      'resources:\n  - git::https://example.com/shop.git\n',
      'git::https://example.com/shop.git',
    ],
    ['an ssh base', 'resources:\n  - ssh://git@example.com/shop.git\n', 'ssh://git@example.com/shop.git'],
    ['a file:// repository', 'resources:\n  - file:///var/lib/other-repo\n', 'file:///var/lib/other-repo'],
    [
      'a remote component',
      'components:\n  - https://example.com/components/metrics\n',
      'https://example.com/components/metrics',
    ],
    [
      'a remote patch file',
      'patches:\n  - path: https://example.com/patch.yaml\n',
      'https://example.com/patch.yaml',
    ],
    [
      'a remote generator file',
      'configMapGenerator:\n  - name: c\n    files:\n      - app.conf=https://example.com/app.conf\n',
      'https://example.com/app.conf',
    ],
    ['a remote transformer', 'transformers:\n  - https://example.com/t.yaml\n', 'https://example.com/t.yaml'],
  ])('%s is refused, naming the resource, before kustomize runs', async (_case, kustomization, resource) => {
    const source = overlay(kustomization);
    const [checked] = kustomizeRenderer.check(source);
    expect(checked?.code).toBe('invalid-source');
    expect(checked?.message).toContain(`apps/web/kustomization.yaml: `);
    expect(checked?.message).toContain(`"${resource}" is a remote resource`);
    expect(await kustomizeRenderer.render(source, input('eu-1'), tools)).toEqual({
      ok: false,
      problem: checked,
    });
  });

  it('finds a remote resource in a base the overlay reaches, naming the base file', async () => {
    const source = inline(
      'apps/web/overlays/prod',
      file('apps/web/overlays/prod/kustomization.yaml', 'resources:\n  - ../../base\n'),
      file('apps/web/base/kustomization.yaml', 'resources:\n  - https://example.com/crds.yaml\n'),
    );
    expect(kustomizeRenderer.check(source).map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^apps\/web\/base\/kustomization\.yaml: resources: "https:\/\/example\.com\/crds\.yaml" is a remote/,
      ),
    ]);
    expect(problem(await kustomizeRenderer.render(source, input('eu-1'), tools)).code).toBe('invalid-source');
  });

  it('a local directory whose name looks like a host is local, not remote', async () => {
    const source = inline(
      'app',
      file('app/kustomization.yaml', 'resources:\n  - config.example.io/settings\n'),
      file('app/config.example.io/settings/kustomization.yaml', 'resources: [cm.yaml]\n'),
      file(
        'app/config.example.io/settings/cm.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n',
      ),
    );
    expect(kustomizeRenderer.check(source)).toEqual([]);
    expect(objects(await kustomizeRenderer.render(source, input('eu-1'), tools)).has('ConfigMap/s')).toBe(
      true,
    );
  });

  it.each([
    [
      'helmCharts',
      'helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n    version: 1.0.0\n',
    ],
    ['helmChartInflationGenerator', 'helmChartInflationGenerator:\n  - chartName: redis\n'],
    ['helmGlobals', 'helmGlobals:\n  chartHome: charts\n'],
  ])('Helm chart inflation (%s) is refused', async (field, kustomization) => {
    const [checked] = kustomizeRenderer.check(overlay(kustomization));
    expect(checked).toEqual({
      code: 'invalid-source',
      message: expect.stringContaining(
        `apps/web/kustomization.yaml: ${field}: Helm chart inflation is not run`,
      ),
    });
    expect(problem(await kustomizeRenderer.render(overlay(kustomization), input('eu-1'), tools))).toEqual(
      checked,
    );
  });

  it.each([
    [
      'an exec plugin in a file',
      'generators:\n  - gen.yaml\n',
      'apps/web/kustomization.yaml: generators: apps/web/gen.yaml: plugin SecretsFromVault (apiVersion someteam.example.com/v1) is not builtin',
    ],
    [
      'an inline KRM function',
      'transformers:\n  - |\n    apiVersion: fn.example.com/v1\n    kind: SetRegion\n    metadata:\n      name: r\n      annotations:\n        config.kubernetes.io/function: "exec: {path: ./fn}"\n',
      'apps/web/kustomization.yaml: transformers[0]: plugin SetRegion (apiVersion fn.example.com/v1) is not builtin',
    ],
  ])('%s is refused', async (_case, kustomization, message) => {
    const source = inline(
      'apps/web',
      file('apps/web/kustomization.yaml', kustomization),
      file(
        'apps/web/gen.yaml',
        'apiVersion: someteam.example.com/v1\nkind: SecretsFromVault\nmetadata:\n  name: v\n',
      ),
    );
    const [checked] = kustomizeRenderer.check(source);
    expect(checked?.message).toContain(message);
    expect(problem(await kustomizeRenderer.render(source, input('eu-1'), tools))).toEqual(checked);
  });

  it.each([
    [
      'an absolute path',
      'resources:\n  - /etc/kubernetes\n',
      '"/etc/kubernetes" points outside the repository',
    ],
    [
      'a path above the repository',
      'resources:\n  - ../../../secrets\n',
      '"../../../secrets" points outside the repository',
    ],
  ])('%s is refused', (_case, kustomization, message) => {
    expect(kustomizeRenderer.check(overlay(kustomization))[0]?.message).toContain(message);
  });

  it('an overlay whose base lies outside the application path, when the revision holds only that path', async () => {
    // What git-sync stores today: the files under the application's path only.
    const source = await fixture('apps/shop/overlays/prod', (f) => f.startsWith('apps/shop/overlays/prod/'));
    expect(kustomizeRenderer.check(source).map((p) => p.message)).toEqual([
      'apps/shop/overlays/prod/kustomization.yaml: resources: "../../base" (apps/shop/base) lies outside the ' +
        'application\'s path "apps/shop/overlays/prod", and a revision holds only the files under that path: make ' +
        'the application path the directory that holds both the overlay and what it references',
      expect.stringContaining(
        'components: "../../components/metrics" (apps/shop/components/metrics) lies outside',
      ),
    ]);
    expect(problem(await kustomizeRenderer.render(source, input('eu-1'), tools)).code).toBe('invalid-source');
  });

  it('no kustomization at the path: no-manifests', async () => {
    const source = inline('apps/web', file('apps/web/cm.yaml', 'kind: x\n'));
    expect(kustomizeRenderer.check(source)).toEqual([
      {
        code: 'no-manifests',
        message: 'no kustomization.yaml, kustomization.yml or Kustomization under "apps/web"',
      },
    ]);
    expect(problem(await kustomizeRenderer.render(source, input('eu-1'), tools)).code).toBe('no-manifests');
  });
});

describe('kustomizeRenderer: sources kustomize itself rejects', () => {
  it("broken YAML in a kustomization: invalid-source on check, kustomize's own error on render", async () => {
    const source = inline(
      'apps/web',
      file('apps/web/kustomization.yaml', 'resources: [cm.yaml\nnamePrefix: x-\n'),
    );
    expect(kustomizeRenderer.check(source)).toEqual([
      {
        code: 'invalid-source',
        message: expect.stringMatching(/^apps\/web\/kustomization\.yaml: invalid YAML: /),
      },
    ]);
    const failed = problem(await kustomizeRenderer.render(source, input('eu-1'), tools));
    expect(failed.code).toBe('render-failed');
    expect(failed.message).toMatch(/^kustomize build: Error: invalid Kustomization: yaml: /);
  });

  it('two kustomization files in one directory', async () => {
    const source = inline(
      'apps/web',
      file('apps/web/kustomization.yaml', 'resources: []\n'),
      file('apps/web/Kustomization', 'resources: []\n'),
    );
    expect(kustomizeRenderer.check(source)[0]?.message).toBe(
      'apps/web: more than one kustomization file (apps/web/kustomization.yaml, apps/web/Kustomization); keep one',
    );
    const failed = problem(await kustomizeRenderer.render(source, input('eu-1'), tools));
    expect(failed).toEqual({
      code: 'render-failed',
      message: expect.stringMatching(/^kustomize build: .*multiple kustomization files/),
    });
  });

  it("a missing resource file: render-failed with kustomize's first error lines, repository paths only", async () => {
    const source = inline('apps/web', file('apps/web/kustomization.yaml', 'resources:\n  - missing.yaml\n'));
    expect(kustomizeRenderer.check(source)).toEqual([]);
    const failed = problem(await kustomizeRenderer.render(source, input('eu-1'), tools));
    expect(failed.code).toBe('render-failed');
    expect(failed.message).toMatch(/^kustomize build: Error: accumulating resources: /);
    expect(failed.message).toContain("'apps/web/missing.yaml'");
    // No sandbox path (random, and the hub's own layout) in what the user sees.
    expect(failed.message).not.toContain(sandboxDir);
    expect(failed.message).not.toContain(os.tmpdir());
  });

  it("a patch file outside the overlay's own directory (the root-only load restrictor)", async () => {
    const source = inline(
      'apps/web/overlay',
      file(
        'apps/web/overlay/kustomization.yaml',
        'resources: [../base]\npatches:\n  - path: ../shared/patch.yaml\n',
      ),
      file('apps/web/base/kustomization.yaml', 'resources: [cm.yaml]\n'),
      file('apps/web/base/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n'),
      file(
        'apps/web/shared/patch.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n',
      ),
    );
    const failed = problem(await kustomizeRenderer.render(source, input('eu-1'), tools));
    expect(failed.code).toBe('render-failed');
    expect(failed.message).toContain('is not in or below');
  });
});

describe('kustomizeBuild: the build itself stays offline', () => {
  let server: Server;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.end('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a remote resource the static check did not catch is not fetched', async () => {
    // Go's HTTP client never proxies loopback addresses, so the server is reached by a real interface.
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    if (address === undefined) throw new Error('this test needs a non-loopback IPv4 interface');
    const url = `http://${address}:${(server.address() as AddressInfo).port}/cm.yaml`;
    const source = inline('app', file('app/kustomization.yaml', `resources:\n  - ${url}\n`));
    expect(checkKustomizations(source)).toHaveLength(1); // what render() would refuse

    await tools.inWorkdir(async (work) => {
      const target = path.join(work, 'app');
      await mkdir(target);
      await writeFile(path.join(target, 'kustomization.yaml'), `resources:\n  - ${url}\n`);
      // Control: kustomize as a plain child process does fetch it.
      const { stdout } = await promisify(execFile)(KUSTOMIZE, ['build', target], {
        env: { PATH: process.env.PATH },
      });
      expect(stdout).toContain('name: fetched');
      expect(requests).toBe(1);

      const out = await kustomizeBuild(tools, work, target);
      expect(out.ok).toBe(false);
      expect(requests).toBe(1);
    });
  });
});
