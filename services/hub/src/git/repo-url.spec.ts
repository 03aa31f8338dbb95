import { describe, expect, it } from '@jest/globals';
import { normalizeRepoUrl, redactUrl } from './repo-url.js';

describe('normalizeRepoUrl', () => {
  it.each([
    ['https with .git', 'https://github.com/acme/fleet.git', 'github.com/acme/fleet'],
    ['https without .git', 'https://github.com/acme/fleet', 'github.com/acme/fleet'],
    ['trailing slash', 'https://github.com/acme/fleet/', 'github.com/acme/fleet'],
    ['.git and a trailing slash', 'https://github.com/acme/fleet.git/', 'github.com/acme/fleet'],
    ['uppercase host, path case kept', 'HTTPS://GitHub.COM/Acme/Fleet', 'github.com/Acme/Fleet'],
    ['userinfo dropped', 'https://bot:s3cret@github.com/acme/fleet.git', 'github.com/acme/fleet'],
    ['http', 'http://git.example.com/acme/fleet', 'git.example.com/acme/fleet'],
    ['scp-like ssh', 'git@github.com:acme/fleet.git', 'github.com/acme/fleet'],
    ['scp-like without user', 'GitHub.com:acme/fleet', 'github.com/acme/fleet'],
    ['ssh URL', 'ssh://git@github.com/acme/fleet.git', 'github.com/acme/fleet'],
    [
      'ssh URL with a port',
      'ssh://git@gitlab.example.com:2222/acme/fleet.git',
      'gitlab.example.com:2222/acme/fleet',
    ],
    ['non-default https port', 'https://git.example.com:8443/acme/fleet', 'git.example.com:8443/acme/fleet'],
    ['default https port', 'https://github.com:443/acme/fleet', 'github.com/acme/fleet'],
    ['default ssh port', 'ssh://git@github.com:22/acme/fleet', 'github.com/acme/fleet'],
    ['loopback with a port', 'http://127.0.0.1:41234/fleet.git', '127.0.0.1:41234/fleet'],
    ['query and fragment', 'https://github.com/acme/fleet.git?x=1#y', 'github.com/acme/fleet'],
    ['doubled slashes', 'https://github.com//acme//fleet', 'github.com/acme/fleet'],
    ['GitLab subgroups', 'https://gitlab.com/acme/platform/fleet.git', 'gitlab.com/acme/platform/fleet'],
    ['surrounding spaces', '  https://github.com/acme/fleet  ', 'github.com/acme/fleet'],
  ])('%s: %s → %s', (_case, url, expected) => {
    expect(normalizeRepoUrl(url)).toBe(expected);
  });

  it('gives the same form for every URL GitHub lists for one repository', () => {
    const forms = [
      'https://github.com/Acme/fleet.git',
      'https://github.com/Acme/fleet',
      'git@github.com:Acme/fleet.git',
      'ssh://git@github.com/Acme/fleet.git',
    ].map(normalizeRepoUrl);
    expect(new Set(forms)).toEqual(new Set(['github.com/Acme/fleet']));
  });
});

describe('redactUrl', () => {
  it.each([
    ['user and password', 'https://bot:s3cret@git.example.com/a/b.git', 'https://git.example.com/a/b.git'],
    ['token as user', 'https://ghp_abc@github.com/a/b', 'https://github.com/a/b'],
    ['no userinfo', 'https://github.com/a/b', 'https://github.com/a/b'],
    ['scp-like stays (the user is not a secret)', 'git@github.com:a/b.git', 'git@github.com:a/b.git'],
  ])('%s', (_case, url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
