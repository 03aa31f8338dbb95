import { describe, expect, it } from '@jest/globals';
import { type CreateOptions, kindsFrom, subscriptionInput } from './notifications.js';

const SLACK_URL = 'https://hooks.slack.test/services/T000/B000/xoxb-token-path';
const SECRET = 'sixteen-plus-characters-secret';
const env = { SLACK_URL, HOOK_SECRET: SECRET };
async function read(path: string): Promise<string> {
  if (path === '/run/secret') return `${SECRET}\n`;
  throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
}

function options(overrides: Partial<CreateOptions>): CreateOptions {
  return { kind: ['rolloutFailed'], target: 'webhook', ...overrides };
}

describe('kindsFrom', () => {
  it.each([
    [['rolloutFailed'], ['rolloutFailed']],
    [
      ['rolloutFailed,rolledBack', 'clusterOffline'],
      ['rolloutFailed', 'rolledBack', 'clusterOffline'],
    ],
    [['rolloutFailed, rolloutFailed'], ['rolloutFailed']],
  ])('%j → %j', (values, kinds) => {
    expect(kindsFrom(values)).toEqual(kinds);
  });

  it('refuses an empty list', () => {
    expect(() => kindsFrom([' , '])).toThrow('--kind: give at least one event kind');
  });
});

describe('subscriptionInput', () => {
  it.each<[string, Partial<CreateOptions>, object]>([
    [
      'a signed webhook for one application',
      { url: 'https://hooks.test/fw', secretFile: '/run/secret', app: 'web' },
      {
        kinds: ['rolloutFailed'],
        format: 'webhook',
        url: 'https://hooks.test/fw',
        secret: SECRET,
        application: 'web',
      },
    ],
    [
      "a signed webhook for one project's applications",
      { url: 'https://hooks.test/fw', secretFile: '/run/secret', project: 'shop' },
      {
        kinds: ['rolloutFailed'],
        format: 'webhook',
        url: 'https://hooks.test/fw',
        secret: SECRET,
        project: 'shop',
      },
    ],
    [
      'a Slack URL from the environment, unsigned',
      { target: 'slack', urlEnv: 'SLACK_URL' },
      { kinds: ['rolloutFailed'], format: 'slack', url: SLACK_URL },
    ],
    [
      'a Slack URL signed with a secret from the environment',
      { target: 'slack', urlEnv: 'SLACK_URL', secretEnv: 'HOOK_SECRET' },
      { kinds: ['rolloutFailed'], format: 'slack', url: SLACK_URL, secret: SECRET },
    ],
  ])('builds %s', async (_name, overrides, input) => {
    expect(await subscriptionInput(options(overrides), env, read)).toEqual(input);
  });

  it.each<[string, Partial<CreateOptions>, string]>([
    [
      'no receiver',
      { secretFile: '/run/secret' },
      'give the receiver with exactly one of --url, --url-file or --url-env',
    ],
    [
      'two receivers',
      { url: 'https://hooks.test/fw', urlEnv: 'SLACK_URL', secretFile: '/run/secret' },
      'give the receiver with exactly one of --url, --url-file or --url-env',
    ],
    [
      'a webhook without a secret',
      { url: 'https://hooks.test/fw' },
      'a webhook target signs its bodies: give --secret-file or --secret-env',
    ],
    [
      'an unreadable secret file',
      { url: 'https://hooks.test/fw', secretFile: '/nope' },
      '--secret-file: cannot read /nope (ENOENT)',
    ],
    ['an unset URL variable', { target: 'slack', urlEnv: 'NOPE' }, '--url-env: $NOPE is not set'],
    [
      'an application and a project',
      { url: 'https://hooks.test/fw', secretFile: '/run/secret', app: 'web', project: 'shop' },
      'give --app or --project, not both',
    ],
  ])('refuses %s', async (_name, overrides, message) => {
    await expect(subscriptionInput(options(overrides), env, read)).rejects.toThrow(message);
  });
});
