import { invalidArgument } from '../common/domain-error.js';

const MAX_URL_LENGTH = 2048;

/**
 * Checks a receiver URL: absolute http(s), no user:password part (a credential there would be
 * shown wherever URLs are). Returns it normalised; INVALID_ARGUMENT says what is wrong.
 */
export function parseTargetUrl(raw: string): URL {
  const text = raw.trim();
  if (text === '' || text.length > MAX_URL_LENGTH) {
    throw invalidArgument(`url: must be 1 to ${MAX_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidArgument('url: not an absolute URL (e.g. https://hooks.example.com/fleetwave)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidArgument(`url: must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidArgument('url: must not carry a user or password (use the secret to authenticate)');
  }
  return url;
}

/**
 * What the API shows of a target: scheme, host and port. An incoming webhook's path is itself a
 * credential (Slack's are), so the full URL is write-only like the secret.
 */
export function targetOrigin(url: string): string {
  return new URL(url).origin;
}
