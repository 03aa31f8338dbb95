import { verified } from './archive-digest.js';
import {
  basicAuthorization,
  type BasicCredentials,
  type ChartHttpOptions,
  httpGet,
  send,
} from './chart-http.js';
import { type ChartCandidate } from './chart-candidate.js';
import { ChartSourceError } from './chart-source-error.js';
import { pickVersion } from './chart-version.js';
import { summary } from './helm-repository.js';

/** What `helm push` stores: the chart archive is the one layer of this type. */
const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MAX_JSON_BYTES = 4 * 1024 * 1024;
const MAX_TAG_PAGES = 50;

/** Where `oci://host/path` + chart name lives: the registry's base URL and the repository name. */
export interface OciLocation {
  baseUrl: string;
  repository: string;
}

/**
 * `oci://host[:port]/path` and a chart name as the distribution API's base URL and repository.
 * HTTPS, except for a loopback host (localhost, 127.0.0.0/8, [::1]), which is plain HTTP as
 * Docker and containerd treat it. Pure.
 */
export function ociLocation(reference: string, name: string): OciLocation {
  const url = new URL(reference.replace(/^oci:\/\//, 'http://'));
  const loopback = url.hostname === 'localhost' || /^127\./.test(url.hostname) || url.hostname === '[::1]';
  const path = url.pathname.replace(/^\/+|\/+$/g, '');
  return {
    baseUrl: `${loopback ? 'http' : 'https'}://${url.host}`,
    repository: path === '' ? name : `${path}/${name}`,
  };
}

/** Helm stores `+` of a version (build metadata) as `_` in the tag, which may not hold `+`. */
export function tagVersion(tag: string): string {
  return tag.replace(/_/g, '+');
}

/**
 * Chart `name` at the newest version `spec` accepts, from an OCI registry (the distribution API:
 * tags list, manifest, blob). A registry that answers 401 is asked again with what its challenge
 * names: HTTP basic, or a bearer token from its token service (given the credentials, if any).
 */
export async function resolveFromOciRegistry(
  reference: string,
  name: string,
  spec: string,
  credentials: BasicCredentials | null,
  options: ChartHttpOptions & { maxChartBytes: number },
): Promise<ChartCandidate> {
  const { baseUrl, repository } = ociLocation(reference, name);
  const session = new RegistrySession(credentials, options);
  const where = `${reference.replace(/\/+$/, '')}/${name}`;

  const tags = await session.tags(`${baseUrl}/v2/${repository}/tags/list`, where);
  const version = pickVersion(tags.map(tagVersion), spec);
  if (version === null) {
    throw new ChartSourceError(
      'chart-version-not-found',
      `no version of chart "${name}" in ${reference} matches "${spec}" (it has ${summary(tags.map(tagVersion))})`,
    );
  }
  const tag = version.replace(/\+/g, '_');
  const manifestUrl = `${baseUrl}/v2/${repository}/manifests/${tag}`;
  const manifest = await session.json(manifestUrl, { accept: OCI_MANIFEST }, `chart ${name} ${version}`);
  const layer = (manifest as { layers?: { mediaType?: unknown; digest?: unknown }[] }).layers?.find(
    (l) => l.mediaType === HELM_CHART_LAYER,
  );
  if (typeof layer?.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) {
    throw new ChartSourceError(
      'chart-invalid',
      `${where}:${tag} is not a Helm chart (no ${HELM_CHART_LAYER} layer)`,
    );
  }
  const digest = layer.digest;
  return {
    name,
    version,
    digest,
    download: async () => {
      const url = `${baseUrl}/v2/${repository}/blobs/${digest}`;
      const blob = await session.get(
        url,
        {},
        { maxBytes: options.maxChartBytes, what: `chart ${name} ${version}` },
      );
      return verified(blob, digest, url);
    },
  };
}

/** Requests to one registry repository, answering its auth challenge once and reusing the answer. */
class RegistrySession {
  private authorization: string | null = null;

  constructor(
    private readonly credentials: BasicCredentials | null,
    private readonly options: ChartHttpOptions,
  ) {}

  async tags(firstUrl: string, where: string): Promise<string[]> {
    const tags: string[] = [];
    let url: string | null = firstUrl;
    for (let page = 0; url !== null && page < MAX_TAG_PAGES; page++) {
      const { body, headers } = await this.request(
        url,
        {},
        { maxBytes: MAX_JSON_BYTES, what: `chart ${where}` },
      );
      const list = parseJson(body, url) as { tags?: unknown };
      if (Array.isArray(list.tags)) tags.push(...list.tags.filter((t): t is string => typeof t === 'string'));
      url = nextPage(headers.get('link'), url);
    }
    if (tags.length === 0) throw new ChartSourceError('chart-not-found', `chart ${where} has no tags`);
    return tags;
  }

  async json(url: string, headers: Record<string, string>, what: string): Promise<unknown> {
    const { body } = await this.request(url, headers, { maxBytes: MAX_JSON_BYTES, what });
    return parseJson(body, url);
  }

  async get(
    url: string,
    headers: Record<string, string>,
    limits: { maxBytes: number; what: string },
  ): Promise<Buffer> {
    return (await this.request(url, headers, limits)).body;
  }

  private async request(
    url: string,
    headers: Record<string, string>,
    limits: { maxBytes: number; what: string },
  ): Promise<{ body: Buffer; headers: Headers }> {
    if (this.authorization === null) {
      const probe = await send(url, headers, this.options);
      if (probe.status !== 401) {
        await probe.body?.cancel();
      } else {
        const challenge = probe.headers.get('www-authenticate') ?? '';
        await probe.body?.cancel();
        this.authorization = await this.answer(challenge, url);
      }
    }
    const auth: Record<string, string> =
      this.authorization === null ? {} : { authorization: this.authorization };
    const response = await httpGet(url, { ...headers, ...auth }, { ...this.options, ...limits });
    return { body: response.body, headers: response.headers };
  }

  /** The Authorization header a 401's challenge asks for. */
  private async answer(challenge: string, url: string): Promise<string> {
    const scheme = challenge.split(' ', 1)[0]!.toLowerCase();
    if (scheme === 'basic') {
      if (this.credentials === null) {
        throw new ChartSourceError(
          'chart-auth-failed',
          `${url} needs credentials (set chart.credentialsRef)`,
        );
      }
      return basicAuthorization(this.credentials);
    }
    if (scheme !== 'bearer') {
      throw new ChartSourceError(
        'chart-auth-failed',
        `${url} asks for an unsupported authentication scheme "${scheme}"`,
      );
    }
    const params = challengeParams(challenge);
    const realm = params.get('realm');
    if (realm === undefined || !URL.canParse(realm)) {
      throw new ChartSourceError('chart-auth-failed', `${url} names no token service in its challenge`);
    }
    const tokenUrl = new URL(realm);
    for (const key of ['service', 'scope']) {
      const value = params.get(key);
      if (value !== undefined) tokenUrl.searchParams.set(key, value);
    }
    const { body } = await httpGet(
      tokenUrl.toString(),
      this.credentials === null ? {} : { authorization: basicAuthorization(this.credentials) },
      { ...this.options, maxBytes: MAX_JSON_BYTES, what: 'registry token service' },
    );
    const answer = parseJson(body, tokenUrl.origin) as { token?: unknown; access_token?: unknown };
    const token = typeof answer.token === 'string' ? answer.token : answer.access_token;
    if (typeof token !== 'string')
      throw new ChartSourceError('chart-auth-failed', `${tokenUrl.origin} gave no token`);
    return `Bearer ${token}`;
  }
}

/** `Bearer realm="https://auth",service="registry",scope="repository:a/b:pull"` as its parameters. Pure. */
export function challengeParams(challenge: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of challenge.matchAll(/([a-zA-Z_]+)="([^"]*)"/g))
    params.set(match[1]!.toLowerCase(), match[2]!);
  return params;
}

/** The next page of a paginated list (`Link: </v2/…?last=x&n=100>; rel="next"`), or null. */
function nextPage(link: string | null, current: string): string | null {
  const match = link === null ? null : /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  return match === null ? null : new URL(match[1]!, current).toString();
}

function parseJson(body: Buffer, url: string): unknown {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null) return value;
  } catch {
    // Below.
  }
  throw new ChartSourceError('chart-invalid', `${url} did not answer with a JSON object`);
}
