import { describe, expect, it } from '@jest/globals';
import { pushEventBody, signedWebhookHeaders } from './git-push.js';

describe('signedWebhookHeaders', () => {
  it("signs the raw body as GitHub does (the example from GitHub's webhook documentation)", () => {
    expect(signedWebhookHeaders('Hello, World!', "It's a Secret to Everybody")).toEqual({
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    });
  });

  it('names another event when asked', () => {
    expect(signedWebhookHeaders('{}', 'secret', 'ping')['x-github-event']).toBe('ping');
  });
});

describe('pushEventBody', () => {
  it('is a push of the commit to the branch (main by default) of the repository', () => {
    expect(JSON.parse(pushEventBody('http://git.local/fleet', 'abc123'))).toEqual({
      ref: 'refs/heads/main',
      after: 'abc123',
      repository: { clone_url: 'http://git.local/fleet', html_url: 'http://git.local/fleet' },
    });
    expect(JSON.parse(pushEventBody('http://git.local/fleet', 'abc123', 'release')).ref).toBe(
      'refs/heads/release',
    );
  });
});
