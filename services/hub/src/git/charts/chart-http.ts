import { ChartSourceError } from './chart-source-error.js';

export interface BasicCredentials {
  username: string;
  password: string;
}

export interface ChartHttpOptions {
  /** Per request. */
  timeoutMs: number;
}

/**
 * GETs `url` and reads at most `maxBytes` of its body. Maps what goes wrong to chart errors whose
 * messages name the URL (which never holds credentials: the application's repository URL is refused
 * with any) and the status, never a header or body: 401/403 `chart-auth-failed`, 404
 * `chart-not-found`, no answer / 5xx `chart-repository-unreachable`.
 */
export async function httpGet(
  url: string,
  headers: Readonly<Record<string, string>>,
  options: ChartHttpOptions & { maxBytes: number; what: string },
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await send(url, headers, options);
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new ChartSourceError(
      'chart-auth-failed',
      `${url} refused the ${headers.authorization ? 'credentials' : 'request without credentials'} (HTTP ${response.status})`,
    );
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new ChartSourceError('chart-not-found', `${options.what} not found: ${url} answered 404`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ChartSourceError('chart-repository-unreachable', `${url} answered HTTP ${response.status}`);
  }
  return {
    status: response.status,
    headers: response.headers,
    body: await readLimited(response, url, options),
  };
}

/** The raw response (any status), or `chart-repository-unreachable` when there is none. */
export async function send(
  url: string,
  headers: Readonly<Record<string, string>>,
  options: ChartHttpOptions,
): Promise<Response> {
  try {
    return await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new ChartSourceError('chart-repository-unreachable', `${url} did not answer (${cause})`);
  }
}

export function basicAuthorization(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

async function readLimited(
  response: Response,
  url: string,
  options: { maxBytes: number; timeoutMs: number },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += (chunk as Uint8Array).byteLength;
      if (size > options.maxBytes) {
        await response.body?.cancel();
        throw new ChartSourceError('chart-invalid', `${url} is larger than ${options.maxBytes} bytes`);
      }
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
  } catch (error) {
    if (error instanceof ChartSourceError) throw error;
    throw new ChartSourceError('chart-repository-unreachable', `${url}: the download broke off`);
  }
  return Buffer.concat(chunks);
}
