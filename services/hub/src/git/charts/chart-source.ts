import { createHash } from 'node:crypto';

/**
 * Where an application's chart comes from when it is not in git: a Helm repository (an `index.yaml`
 * over http(s)) or an OCI registry (`oci://host/path`), by chart name and an exact version or a
 * semver range. Stored on the application (`chart`); null: the chart, if any, is in git.
 */
export interface ChartSource {
  /** `https://charts.acme.test/stable` (a Helm repository) or `oci://registry.acme.test/charts`. */
  repository: string;
  name: string;
  /** An exact version (`1.2.3`) or a semver range (`^1.2.0`, `~1.2`, `>=1 <3`, `*`). */
  version: string;
  /** A name in the hub's credentials file (HUB_GIT_CREDENTIALS_FILE); never the secret itself. */
  credentialsRef: string | null;
}

/** One version of a chart, chosen at sync time. */
export interface ResolvedChart {
  name: string;
  version: string;
  /** `sha256:<hex>` of the chart archive (the index's digest, or the OCI chart layer's). */
  digest: string;
}

/** The pulled chart travels in the revision's artifact here, relative to the application's path. */
export const PULLED_CHART_PATH = '.fleetwave-chart/chart.tgz';

/** The folder {@link PULLED_CHART_PATH} is in: reserved, a git file under it is refused. */
export const PULLED_CHART_DIR = '.fleetwave-chart/';

export function isOciRepository(repository: string): boolean {
  return repository.startsWith('oci://');
}

/**
 * The revision id of a git commit rendered with a pulled chart: sha1 of both, 40 hex like a commit
 * id, so it fits every `commit` column and key, and a new chart version at the same commit is a new
 * revision (which rolls out like a new commit) while the same pair always maps to the same one.
 * An application without a pulled chart keeps the commit itself as its revision id.
 */
export function chartRevisionId(commit: string, chart: ResolvedChart): string {
  return createHash('sha1')
    .update(`fleetwave chart revision\0${commit}\0${chart.name}\0${chart.version}\0${chart.digest}`)
    .digest('hex');
}
