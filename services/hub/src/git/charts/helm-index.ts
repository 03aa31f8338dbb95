import { parse } from 'yaml';
import { ChartSourceError } from './chart-source-error.js';

/** One version of a chart in a Helm repository's `index.yaml`. */
export interface IndexEntry {
  version: string;
  /** Absolute download URLs (relative ones resolved against the repository URL). */
  urls: string[];
  /** `sha256:<hex>` of the archive, or null when the index gives none. */
  digest: string | null;
}

/**
 * The entries of chart `name` in an `index.yaml` (Helm's repository index: `entries.<name>` lists
 * versions with `urls` and a sha256 `digest`). A chart the index does not list is
 * `chart-not-found`; text that is not an index is `chart-invalid`. Pure.
 */
export function indexEntries(text: string, name: string, repository: string): IndexEntry[] {
  let index: unknown;
  try {
    // Every scalar as a string, as helm reads it: YAML 1.2 would make `version: 1.10` the number 1.1
    // and an all-digit digest a number.
    index = parse(text, { schema: 'failsafe' });
  } catch {
    throw new ChartSourceError('chart-invalid', `${repository}/index.yaml is not YAML`);
  }
  const entries = (index as { entries?: unknown } | null)?.entries;
  if (typeof entries !== 'object' || entries === null) {
    throw new ChartSourceError('chart-invalid', `${repository}/index.yaml is not a Helm repository index`);
  }
  const versions = (entries as Record<string, unknown>)[name];
  if (!Array.isArray(versions) || versions.length === 0) {
    throw new ChartSourceError('chart-not-found', `chart "${name}" is not in ${repository}/index.yaml`);
  }
  return versions
    .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    .filter((v) => typeof v.version === 'string' && Array.isArray(v.urls))
    .map((v) => ({
      version: v.version as string,
      urls: (v.urls as unknown[])
        .filter((u): u is string => typeof u === 'string')
        .map((u) => new URL(u, `${repository.replace(/\/+$/, '')}/`).toString()),
      digest: typeof v.digest === 'string' && /^[0-9a-f]{64}$/.test(v.digest) ? `sha256:${v.digest}` : null,
    }));
}
