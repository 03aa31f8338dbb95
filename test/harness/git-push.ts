import { createHmac } from 'node:crypto';
import { responseBody } from './http.js';

/** Headers of a GitHub push (or other) event: the HMAC-SHA256 of the raw body under the secret. */
export function signedWebhookHeaders(body: string, secret: string, event = 'push'): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

/** The body of a GitHub push event of `commit` on `branch` of the repository at `repoUrl`. */
export function pushEventBody(repoUrl: string, commit: string, branch = 'main'): string {
  return JSON.stringify({
    ref: `refs/heads/${branch}`,
    after: commit,
    repository: { clone_url: repoUrl, html_url: repoUrl },
  });
}

/**
 * Tells the hub about a push the way GitHub does: `POST /webhooks/git` with the push event signed
 * with the shared secret. Returns the hub's answer.
 */
export async function sendPushWebhook(options: {
  hubUrl: string;
  secret: string;
  repoUrl: string;
  commit: string;
  branch?: string;
}): Promise<{ status: number; body: unknown }> {
  const body = pushEventBody(options.repoUrl, options.commit, options.branch);
  const response = await fetch(`${options.hubUrl}/webhooks/git`, {
    method: 'POST',
    headers: signedWebhookHeaders(body, options.secret),
    body,
  });
  return { status: response.status, body: await responseBody(response) };
}
