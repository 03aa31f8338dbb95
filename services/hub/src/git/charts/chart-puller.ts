import { sha256Digest } from './archive-digest.js';
import { type BasicCredentials } from './chart-http.js';
import { type ChartCandidate } from './chart-candidate.js';
import { type ChartSource, isOciRepository, type ResolvedChart } from './chart-source.js';
import { ChartSourceError } from './chart-source-error.js';
import { resolveFromHelmRepository } from './helm-repository.js';
import { resolveFromOciRegistry } from './oci-chart-registry.js';

export interface ChartPullerOptions {
  /** Credentials by reference name (the hub's credentials file); never logged or echoed. */
  credentials: (ref: string) => BasicCredentials | undefined;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** The largest chart archive taken (it travels in the revision's artifact). */
  maxChartBytes: number;
}

/** A chart pulled at sync time: which version, and its archive (checked against its digest). */
export interface PulledChart {
  chart: ResolvedChart;
  archive: Buffer;
}

/**
 * Takes an application's chart from a Helm repository or an OCI registry: {@link resolve} picks the
 * version (one small request or two, on every sync), {@link pull} downloads it (only for a
 * revision not yet known). Failures are {@link ChartSourceError}s; no message holds a secret.
 */
export class ChartPuller {
  constructor(private readonly options: ChartPullerOptions) {}

  resolve(source: ChartSource): Promise<ChartCandidate> {
    let credentials: BasicCredentials | null = null;
    if (source.credentialsRef !== null) {
      credentials = this.options.credentials(source.credentialsRef) ?? null;
      if (credentials === null) {
        throw new ChartSourceError(
          'chart-auth-failed',
          `no credentials named "${source.credentialsRef}" are configured`,
        );
      }
    }
    const options = {
      timeoutMs: this.options.timeoutMs ?? 30_000,
      maxChartBytes: this.options.maxChartBytes,
    };
    return isOciRepository(source.repository)
      ? resolveFromOciRegistry(source.repository, source.name, source.version, credentials, options)
      : resolveFromHelmRepository(source.repository, source.name, source.version, credentials, options);
  }

  /** The candidate's archive and its digest (computed when the index named none). */
  async pull(candidate: ChartCandidate): Promise<PulledChart> {
    const archive = await candidate.download();
    return {
      chart: {
        name: candidate.name,
        version: candidate.version,
        digest: candidate.digest ?? sha256Digest(archive),
      },
      archive,
    };
  }
}
