import { SIGNATURE_HEADER, signBody } from './signature.js';

export type SendResult =
  { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/**
 * One POST to a receiver, bounded by `timeoutMs`. A 2xx is delivered; anything else (another status,
 * a refused connection, a time-out) is a failed attempt. Redirects are not followed: a receiver
 * that moved is told to fix its URL, and the body is never re-sent somewhere unsigned-for.
 * Error messages never hold the URL (its path may be a credential) or the secret.
 */
export async function sendNotification(
  url: string,
  body: string,
  secret: string | null,
  timeoutMs: number,
): Promise<SendResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'fleetwave-hub',
  };
  if (secret !== null) headers[SIGNATURE_HEADER] = signBody(body, secret);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
    return { ok: false, statusCode: response.status, error: `the receiver answered HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: describeFailure(error, timeoutMs) };
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (a test's VM context).
  const failure = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    cause?: unknown;
  };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError')
    return `no answer within ${timeoutMs} ms`;
  // fetch says "fetch failed"; the cause names the network error (ECONNREFUSED, ENOTFOUND, …).
  const cause = (typeof failure.cause === 'object' && failure.cause !== null ? failure.cause : {}) as {
    code?: unknown;
  };
  return typeof cause.code === 'string'
    ? `could not reach the receiver: ${cause.code}`
    : 'could not reach the receiver';
}
