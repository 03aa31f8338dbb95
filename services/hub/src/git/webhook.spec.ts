import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { handlePushWebhook, normalizeRepoUrl } from './webhook.js';

const SECRET = 'webhook-secret-7f3a';
const AFTER = '4c1f0d2e9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d';

const githubPush = JSON.stringify({
  ref: 'refs/heads/main',
  before: '0000000000000000000000000000000000000000',
  after: AFTER,
  repository: {
    clone_url: 'https://github.com/acme/fleet.git',
    html_url: 'https://github.com/acme/fleet',
    ssh_url: 'git@github.com:acme/fleet.git',
  },
});
const gitlabPush = JSON.stringify({
  object_kind: 'push',
  ref: 'refs/heads/main',
  after: AFTER,
  project: {
    git_http_url: 'https://gitlab.example.com/acme/fleet.git',
    git_ssh_url: 'git@gitlab.example.com:acme/fleet.git',
    web_url: 'https://gitlab.example.com/acme/fleet',
  },
});

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
/** null = the header is absent. */
const github = (event: string, body: string, signature: string | null = sign(body)) => ({
  headers: {
    'X-GitHub-Event': event,
    'Content-Type': 'application/json',
    'X-Hub-Signature-256': signature ?? undefined,
  },
  body,
});
const gitlab = (event: string, body: string, token: string | null = SECRET) => ({
  headers: { 'X-Gitlab-Event': event, 'X-Gitlab-Token': token ?? undefined },
  body,
});

type Case = [
  string,
  { headers: Record<string, string | string[] | undefined>; body: string },
  Record<string, unknown>,
];

describe('handlePushWebhook', () => {
  it.each<Case>([
    [
      'a GitHub push',
      github('push', githubPush),
      {
        kind: 'push',
        event: {
          provider: 'github',
          repositoryUrls: [
            'https://github.com/acme/fleet.git',
            'https://github.com/acme/fleet',
            'git@github.com:acme/fleet.git',
          ],
          ref: 'refs/heads/main',
          after: AFTER,
        },
      },
    ],
    [
      'a GitHub tag push',
      github('push', JSON.stringify({ ...JSON.parse(githubPush), ref: 'refs/tags/v1.2.0' })),
      { kind: 'push', event: expect.objectContaining({ ref: 'refs/tags/v1.2.0' }) },
    ],
    [
      'lowercase header names',
      {
        headers: { 'x-github-event': 'push', 'x-hub-signature-256': sign(githubPush) },
        body: githubPush,
      },
      { kind: 'push' },
    ],
    [
      'an uppercase hex signature',
      github('push', githubPush, sign(githubPush).toUpperCase().replace('SHA256=', 'sha256=')),
      { kind: 'push' },
    ],
    [
      'a header given as an array',
      {
        headers: { 'x-github-event': ['push'], 'x-hub-signature-256': [sign(githubPush)] },
        body: githubPush,
      },
      { kind: 'push' },
    ],
    [
      'a GitHub form-encoded push',
      (() => {
        const body = new URLSearchParams({ payload: githubPush }).toString();
        return {
          headers: {
            'X-GitHub-Event': 'push',
            'Content-Type': 'application/x-www-form-urlencoded',
            'X-Hub-Signature-256': sign(body),
          },
          body,
        };
      })(),
      { kind: 'push', event: expect.objectContaining({ provider: 'github', after: AFTER }) },
    ],
    ['a GitHub ping', github('ping', '{"zen":"Keep it logically awesome."}'), { kind: 'ignored' }],
    ['a GitHub pull_request event', github('pull_request', '{}'), { kind: 'ignored' }],
    [
      'a GitHub push without a signature',
      github('push', githubPush, null),
      { kind: 'rejected', status: 401, code: 'missing-signature' },
    ],
    [
      'a GitHub push signed with another secret',
      github('push', githubPush, sign(githubPush, 'not-the-secret')),
      { kind: 'rejected', status: 401, code: 'invalid-signature' },
    ],
    [
      'a signature over a different body',
      github('push', githubPush, sign(githubPush.replace('main', 'evil'))),
      { kind: 'rejected', status: 401, code: 'invalid-signature' },
    ],
    [
      'a SHA-1 style signature',
      github('push', githubPush, `sha1=${createHmac('sha1', SECRET).update(githubPush).digest('hex')}`),
      { kind: 'rejected', status: 401, code: 'invalid-signature' },
    ],
    [
      'a truncated signature',
      github('push', githubPush, sign(githubPush).slice(0, 40)),
      { kind: 'rejected', status: 401, code: 'invalid-signature' },
    ],
    [
      'a GitHub ping with a bad signature (checked before the event)',
      github('ping', '{}', sign('{}', 'wrong')),
      { kind: 'rejected', status: 401, code: 'invalid-signature' },
    ],
    [
      'a signed body that is not JSON',
      github('push', 'not json {'),
      { kind: 'rejected', status: 400, code: 'malformed-json' },
    ],
    [
      'a signed JSON array',
      github('push', '[1,2]'),
      { kind: 'rejected', status: 400, code: 'malformed-json' },
    ],
    [
      'a push without repository URLs',
      github('push', JSON.stringify({ ref: 'refs/heads/main', after: AFTER })),
      { kind: 'rejected', status: 400, code: 'missing-field' },
    ],
    [
      'a push without ref',
      github('push', JSON.stringify({ ...JSON.parse(githubPush), ref: undefined })),
      { kind: 'rejected', status: 400, code: 'missing-field' },
    ],
    [
      'a push whose after is not a commit id',
      github('push', JSON.stringify({ ...JSON.parse(githubPush), after: 'main' })),
      { kind: 'rejected', status: 400, code: 'missing-field' },
    ],
    [
      'a GitLab push',
      gitlab('Push Hook', gitlabPush),
      {
        kind: 'push',
        event: {
          provider: 'gitlab',
          repositoryUrls: [
            'https://gitlab.example.com/acme/fleet.git',
            'https://gitlab.example.com/acme/fleet',
            'git@gitlab.example.com:acme/fleet.git',
          ],
          ref: 'refs/heads/main',
          after: AFTER,
        },
      },
    ],
    [
      'a GitLab tag push',
      gitlab('Tag Push Hook', JSON.stringify({ ...JSON.parse(gitlabPush), ref: 'refs/tags/v2.0.0' })),
      { kind: 'push', event: expect.objectContaining({ ref: 'refs/tags/v2.0.0' }) },
    ],
    ['a GitLab merge request event', gitlab('Merge Request Hook', '{}'), { kind: 'ignored' }],
    [
      'a GitLab push without a token',
      gitlab('Push Hook', gitlabPush, null),
      { kind: 'rejected', status: 401, code: 'missing-token' },
    ],
    [
      'a GitLab push with a wrong token',
      gitlab('Push Hook', gitlabPush, 'webhook-secret-7f3b'),
      { kind: 'rejected', status: 401, code: 'invalid-token' },
    ],
    [
      'a GitLab token that is a prefix of the secret',
      gitlab('Push Hook', gitlabPush, SECRET.slice(0, 5)),
      { kind: 'rejected', status: 401, code: 'invalid-token' },
    ],
    [
      'a GitLab body that is not JSON',
      gitlab('Push Hook', '<xml/>'),
      { kind: 'rejected', status: 400, code: 'malformed-json' },
    ],
    [
      'no provider header',
      { headers: { 'content-type': 'application/json' }, body: githubPush },
      { kind: 'rejected', status: 400, code: 'unknown-provider' },
    ],
  ])('%s', (_case, { headers, body }, expected) => {
    const result = handlePushWebhook(headers, Buffer.from(body), SECRET);
    expect(result).toMatchObject(expected);
  });

  it('never puts the secret or the signature into a message', () => {
    const sig = sign(githubPush, 'other');
    const results = [
      handlePushWebhook(github('push', githubPush, sig).headers, Buffer.from(githubPush), SECRET),
      handlePushWebhook(gitlab('Push Hook', gitlabPush, 'guess').headers, Buffer.from(gitlabPush), SECRET),
      handlePushWebhook(github('push', 'nope').headers, Buffer.from('nope'), SECRET),
    ];
    for (const result of results) {
      const text = JSON.stringify(result);
      expect(result.kind).toBe('rejected');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(sig.slice(7));
      expect(text).not.toContain('guess');
    }
  });

  it('refuses to run without a secret', () => {
    expect(() => handlePushWebhook(github('push', githubPush).headers, Buffer.from(githubPush), '')).toThrow(
      /secret/,
    );
  });

  it('lists URLs that all normalise to the configured repository', () => {
    const result = handlePushWebhook(github('push', githubPush).headers, Buffer.from(githubPush), SECRET);
    if (result.kind !== 'push') throw new Error(`expected a push, got ${result.kind}`);
    expect(new Set(result.event.repositoryUrls.map(normalizeRepoUrl))).toEqual(
      new Set([normalizeRepoUrl('https://github.com/acme/fleet')]),
    );
  });
});
