import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export { normalizeRepoUrl } from './repo-url.js';

export interface PushEvent {
  provider: 'github' | 'gitlab';
  /** As the payload gives them (clone, web and ssh URLs); compare with normalizeRepoUrl. */
  repositoryUrls: string[];
  /** Full ref name: `refs/heads/main`, `refs/tags/v1.2.0`. */
  ref: string;
  /** The commit the ref points at after the push (all zeros when the ref was deleted). */
  after: string;
}

export type WebhookResult =
  | { kind: 'push'; event: PushEvent }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; status: 400 | 401; code: string; message: string };

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Authenticates and decodes a push webhook from GitHub or GitLab. Pure: the caller passes the raw
 * body exactly as received (the GitHub signature is over those bytes) and acts on the result.
 * The signature is checked before the body is even parsed, so an unauthenticated caller learns
 * nothing about what the hub would accept. Messages never contain the secret or the signature.
 */
export function handlePushWebhook(headers: Headers, rawBody: Buffer, secret: string): WebhookResult {
  if (secret === '') throw new TypeError('a webhook secret must be configured (an empty HMAC key is public)');
  const header = headerLookup(headers);
  const githubEvent = header('x-github-event');
  const gitlabEvent = header('x-gitlab-event');
  if (githubEvent !== undefined) return github(githubEvent, header, rawBody, secret);
  if (gitlabEvent !== undefined) return gitlab(gitlabEvent, header, rawBody, secret);
  return reject(400, 'unknown-provider', 'expected an X-GitHub-Event or X-Gitlab-Event header');
}

function github(
  event: string,
  header: (name: string) => string | undefined,
  rawBody: Buffer,
  secret: string,
): WebhookResult {
  const signature = header('x-hub-signature-256');
  if (signature === undefined) {
    return reject(
      401,
      'missing-signature',
      'X-Hub-Signature-256 header is missing (set a secret on the webhook)',
    );
  }
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  if (!match || !timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected)) {
    return reject(
      401,
      'invalid-signature',
      'X-Hub-Signature-256 does not match the body and the configured secret',
    );
  }
  if (event === 'ping') return { kind: 'ignored', reason: 'GitHub ping' };
  if (event !== 'push') return { kind: 'ignored', reason: `GitHub event "${event}" is not a push` };

  // GitHub sends either JSON or, if the webhook says so, a form with the JSON in `payload`.
  const form = header('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded');
  const json = form ? new URLSearchParams(rawBody.toString('utf8')).get('payload') : rawBody.toString('utf8');
  if (json === null) return reject(400, 'malformed-body', 'the form body has no payload field');
  return pushEvent('github', json, ['repository.clone_url', 'repository.html_url', 'repository.ssh_url']);
}

function gitlab(
  event: string,
  header: (name: string) => string | undefined,
  rawBody: Buffer,
  secret: string,
): WebhookResult {
  const token = header('x-gitlab-token');
  if (token === undefined) {
    return reject(
      401,
      'missing-token',
      'X-Gitlab-Token header is missing (set a secret token on the webhook)',
    );
  }
  // Hashing first makes the lengths equal, so the comparison time says nothing about the secret.
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  if (!timingSafeEqual(digest(token), digest(secret))) {
    return reject(401, 'invalid-token', 'X-Gitlab-Token does not match the configured secret');
  }
  if (event !== 'Push Hook' && event !== 'Tag Push Hook') {
    return { kind: 'ignored', reason: `GitLab event "${event}" is not a push` };
  }
  return pushEvent('gitlab', rawBody.toString('utf8'), [
    'project.git_http_url',
    'project.web_url',
    'project.git_ssh_url',
  ]);
}

function pushEvent(
  provider: PushEvent['provider'],
  json: string,
  urlFields: readonly string[],
): WebhookResult {
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return reject(400, 'malformed-json', 'the body is not valid JSON');
  }
  if (!isRecord(payload)) return reject(400, 'malformed-json', 'the body is not a JSON object');

  const urls = [
    ...new Set(urlFields.map((field) => stringAt(payload, field)).filter((u) => u !== undefined)),
  ];
  if (urls.length === 0) {
    return reject(400, 'missing-field', `the payload has none of ${urlFields.join(', ')}`);
  }
  const ref = stringAt(payload, 'ref');
  if (ref === undefined || !ref.startsWith('refs/')) {
    return reject(400, 'missing-field', 'the payload has no ref (a full ref name such as refs/heads/main)');
  }
  const after = stringAt(payload, 'after');
  if (after === undefined || !OBJECT_ID.test(after)) {
    return reject(400, 'missing-field', 'the payload has no after (the commit id the ref now points at)');
  }
  return { kind: 'push', event: { provider, repositoryUrls: urls, ref, after } };
}

/** Case-insensitive header lookup; a repeated header counts by its first value. */
function headerLookup(headers: Headers): (name: string) => string | undefined {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && !lower.has(name.toLowerCase())) lower.set(name.toLowerCase(), first);
  }
  return (name) => lower.get(name);
}

/** A non-empty string at a dotted path, or undefined. */
function stringAt(value: unknown, path: string): string | undefined {
  let current = value;
  for (const key of path.split('.')) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return typeof current === 'string' && current !== '' ? current : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reject(status: 400 | 401, code: string, message: string): WebhookResult {
  return { kind: 'rejected', status, code, message };
}
