import { basicAuthorization, type BasicCredentials, type ChartHttpOptions, httpGet } from './chart-http.js';
import { type ChartCandidate } from './chart-candidate.js';
import { ChartSourceError } from './chart-source-error.js';
import { pickVersion } from './chart-version.js';
import { indexEntries } from './helm-index.js';
import { verified } from './archive-digest.js';

/** A big public index (thousands of versions) is tens of MiB; more is refused. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/**
 * Chart `name` at the newest version `spec` accepts, from the Helm repository at `repository`
 * (its `index.yaml`). Credentials go with the index request and with downloads from the same
 * origin only, as `helm` does without `--pass-credentials`.
 */
export async function resolveFromHelmRepository(
  repository: string,
  name: string,
  spec: string,
  credentials: BasicCredentials | null,
  options: ChartHttpOptions & { maxChartBytes: number },
): Promise<ChartCandidate> {
  const base = repository.replace(/\/+$/, '');
  const auth = (url: string): Record<string, string> =>
    credentials !== null && new URL(url).origin === new URL(base).origin
      ? { authorization: basicAuthorization(credentials) }
      : {};
  const indexUrl = `${base}/index.yaml`;
  const index = await httpGet(indexUrl, auth(indexUrl), {
    ...options,
    maxBytes: MAX_INDEX_BYTES,
    what: 'repository index',
  });
  const entries = indexEntries(index.body.toString('utf8'), name, base);
  const version = pickVersion(
    entries.map((e) => e.version),
    spec,
  );
  if (version === null) {
    throw new ChartSourceError(
      'chart-version-not-found',
      `no version of chart "${name}" in ${base} matches "${spec}" (it has ${summary(entries.map((e) => e.version))})`,
    );
  }
  const entry = entries.find((e) => e.version === version)!;
  const url = entry.urls[0];
  if (url === undefined)
    throw new ChartSourceError('chart-invalid', `${name} ${version} has no download URL in ${indexUrl}`);
  return {
    name,
    version,
    digest: entry.digest,
    download: async () => {
      const archive = await httpGet(url, auth(url), {
        ...options,
        maxBytes: options.maxChartBytes,
        what: `chart ${name} ${version}`,
      });
      return verified(archive.body, entry.digest, url);
    },
  };
}

/** The versions a "no match" message lists: the newest few. */
export function summary(versions: readonly string[]): string {
  if (versions.length === 0) return 'no versions';
  const shown = versions.slice(0, 5).join(', ');
  return versions.length > 5 ? `${shown}, … ${versions.length} in all` : shown;
}
