import { createHmac } from 'node:crypto';

/**
 * Tells the hub about a push the way GitHub does: `POST /webhooks/git` with the push event signed
 * with the shared secret (HMAC-SHA256 over the raw body). Returns the hub's answer.
 */
export async function sendPushWebhook(options: {
  hubUrl: string;
  secret: string;
  repoUrl: string;
  commit: string;
  branch?: string;
}): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify({
    ref: `refs/heads/${options.branch ?? 'main'}`,
    after: options.commit,
    repository: { clone_url: options.repoUrl, html_url: options.repoUrl },
  });
  const response = await fetch(`${options.hubUrl}/webhooks/git`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`,
    },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the caller's error message
  }
  return { status: response.status, body: parsed };
}
