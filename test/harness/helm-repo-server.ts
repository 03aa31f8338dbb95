import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { kubeBinDir } from '../kube/fleet.js';

/** The helm built by test/kube/build-helm.sh. */
export const helmBinary = (): string => path.join(kubeBinDir(), 'helm');

/** An environment that keeps helm's config, cache, data and registry logins under `home`. */
export function helmEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_DATA_HOME: path.join(home, 'data'),
    HELM_REGISTRY_CONFIG: path.join(home, 'registry.json'),
  };
}

/** Runs the built helm with its config, cache and registry login under `home`; rejects with its stderr. */
export function runHelm(home: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(helmBinary(), args, { env: helmEnv(home) }, (error, stdout, stderr) =>
      error ? reject(new Error(`helm ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

/**
 * Copies the chart at `chartDir` to `work/src-<version>`, sets its version, and `helm package`s it
 * (its file:// dependencies built in) into `into`; resolves to the archive's path.
 */
export async function packageChart(
  home: string,
  chartDir: string,
  version: string,
  work: string,
  into: string,
): Promise<string> {
  const copy = path.join(work, `src-${version}`);
  await cp(chartDir, copy, { recursive: true });
  const chartFile = path.join(copy, 'Chart.yaml');
  const text = await readFile(chartFile, 'utf8');
  await writeFile(chartFile, text.replace(/^version:.*$/m, `version: ${version}`));
  await runHelm(home, ['package', copy, '--dependency-update', '--destination', into]);
  const name = /^name:\s*(\S+)/m.exec(text)![1]!;
  return path.join(into, `${name}-${version}.tgz`);
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A Helm repository for tests: the files of `dir` over plain HTTP on 127.0.0.1 (its `index.yaml`
 * written by `helm repo index`), read at each request so a test publishes a version by re-indexing.
 */
export async function serveHelmRepository(dir: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    if (name.includes('..') || name.includes('/')) {
      res.writeHead(404).end();
      return;
    }
    readFile(path.join(dir, name)).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
