import {
  AGENT_API_PATHS,
  type AssignmentsResponse,
  AssignmentsResponseSchema,
  bundleDigest,
  BUNDLE_BATCH_MAX_DIGESTS,
  BundleBatchResponseSchema,
  BundleResponseSchema,
  CHECK_JOB_PATHS,
  type CheckJob,
  type CheckJobOutcome,
  CheckJobsResponseSchema,
  type RegisterRequestInput,
  type RegisterResponse,
  RegisterResponseSchema,
} from '@fleetwave/contracts';
import { type z } from 'zod';

/** An agent API call that failed; `status` is undefined when the hub could not be reached. */
export class HubError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HubError';
  }

  /** 4xx other than 408/429: retrying the same request will not help. */
  get permanent(): boolean {
    return (
      this.status !== undefined &&
      this.status >= 400 &&
      this.status < 500 &&
      ![408, 429].includes(this.status)
    );
  }
}

export type AssignmentsPoll = { changed: true; response: AssignmentsResponse } | { changed: false };

/** The agent's only way to the hub: outbound HTTP calls with its cluster credential. */
export class HubClient {
  constructor(
    private readonly baseUrl: string,
    private credential?: string,
  ) {}

  useCredential(credential: string): void {
    this.credential = credential;
  }

  async register(request: RegisterRequestInput): Promise<RegisterResponse> {
    const response = await this.call('POST', AGENT_API_PATHS.register, { body: request, timeoutMs: 30_000 });
    return parse(RegisterResponseSchema, await response.json(), 'registration response');
  }

  /** A new credential and signing key for this cluster, asked for with the current credential. */
  async rotateCredential(): Promise<RegisterResponse> {
    const response = await this.call('POST', AGENT_API_PATHS.rotateCredential, { timeoutMs: 30_000 });
    return parse(RegisterResponseSchema, await response.json(), 'credential rotation response');
  }

  /** Long-poll: resolves at once when the hub has a different generation, else after the hub's timeout. */
  async pollAssignments(generation: number | undefined, signal?: AbortSignal): Promise<AssignmentsPoll> {
    const query = generation === undefined ? '' : `?generation=${generation}`;
    const response = await this.call('GET', `${AGENT_API_PATHS.assignments}${query}`, {
      timeoutMs: 60_000,
      signal,
    });
    if (response.status === 304) return { changed: false };
    return {
      changed: true,
      response: parse(AssignmentsResponseSchema, await response.json(), 'assignments'),
    };
  }

  /** Fetches a bundle and proves it is the content the digest names. */
  async fetchBundle(digest: string): Promise<string> {
    const response = await this.call('GET', `${AGENT_API_PATHS.bundles}/${digest}`, { timeoutMs: 60_000 });
    const bundle = parse(BundleResponseSchema, await response.json(), 'bundle');
    const actual = bundleDigest(bundle.manifests);
    if (actual !== digest)
      throw new HubError(`bundle digest mismatch: asked for ${digest}, content hashes to ${actual}`);
    return bundle.manifests;
  }

  /**
   * Fetches many bundles in as few requests as the hub's byte budget allows (`POST bundles/batch`,
   * again for what it deferred), each proved against its digest. Those the hub will not serve
   * (unavailable) are left out of the map. Undefined when the hub has no batch endpoint (an older
   * hub answers 404): the caller fetches one by one.
   */
  async fetchBundles(digests: readonly string[]): Promise<Map<string, string> | undefined> {
    const fetched = new Map<string, string>();
    let left = [...digests];
    while (left.length > 0) {
      const asked = left.slice(0, BUNDLE_BATCH_MAX_DIGESTS);
      let response: Response;
      try {
        response = await this.call('POST', AGENT_API_PATHS.bundleBatch, {
          body: { digests: asked },
          timeoutMs: 120_000,
        });
      } catch (error) {
        if (error instanceof HubError && error.status === 404 && fetched.size === 0) return undefined;
        throw error;
      }
      const batch = parse(BundleBatchResponseSchema, await response.json(), 'bundle batch');
      const wanted = new Set(asked);
      for (const bundle of batch.bundles) {
        if (!wanted.has(bundle.digest))
          throw new HubError(`the hub sent bundle ${bundle.digest}, not asked for`);
        const actual = bundleDigest(bundle.manifests);
        if (actual !== bundle.digest)
          throw new HubError(
            `bundle digest mismatch: asked for ${bundle.digest}, content hashes to ${actual}`,
          );
        fetched.set(bundle.digest, bundle.manifests);
      }
      // Deferred digests are asked again; a hub that serves none of them would loop for ever.
      const deferred = batch.deferred.filter((digest) => wanted.has(digest));
      if (batch.bundles.length === 0 && deferred.length > 0)
        throw new HubError('the hub deferred every bundle of a batch and served none');
      left = [...deferred, ...left.slice(asked.length)];
    }
    return fetched;
  }

  /** The verification check Jobs the hub asks this cluster to run now. */
  async pendingCheckJobs(): Promise<CheckJob[]> {
    const response = await this.call('GET', CHECK_JOB_PATHS.pending, { timeoutMs: 30_000 });
    return parse(CheckJobsResponseSchema, await response.json(), 'check jobs').jobs;
  }

  /** What became of one; a 404 means the hub no longer waits for it. */
  async reportCheckJob(id: string, outcome: CheckJobOutcome): Promise<void> {
    const response = await this.call('POST', CHECK_JOB_PATHS.outcome(id), {
      body: outcome,
      timeoutMs: 30_000,
    });
    await response.body?.cancel();
  }

  private async call(
    method: string,
    path: string,
    options: { body?: unknown; timeoutMs: number; signal?: AbortSignal },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.credential) headers.authorization = `Bearer ${this.credential}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      const reason =
        error instanceof Error
          ? ((error.cause as Error | undefined)?.message ?? error.message)
          : String(error);
      throw new HubError(`hub unreachable (${method} ${path}): ${reason}`);
    }
    if (response.ok || response.status === 304) return response;
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new HubError(
      `hub answered ${response.status} to ${method} ${path}: ${body.message ?? response.statusText}`,
      response.status,
      body.code,
    );
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new HubError(`the hub sent an invalid ${what}: ${result.error.issues[0]?.message ?? ''}`);
  return result.data;
}
