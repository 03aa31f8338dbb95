import { describe, expect, it } from '@jest/globals';
import {
  deleteContext,
  EMPTY_CONFIG,
  type FleetctlConfig,
  parseConfig,
  resolveTarget,
  serializeConfig,
  setContext,
  useContext,
} from './contexts.js';

const TWO: FleetctlConfig = {
  currentContext: 'prod',
  contexts: [
    { name: 'prod', hub: 'https://hub.prod.example', token: 'fwa_prod' },
    { name: 'dev', hub: 'http://127.0.0.1:8080', token: 'fwa_dev' },
  ],
};

describe('parseConfig', () => {
  it('reads contexts and the current one', () => {
    expect(parseConfig(serializeConfig(TWO), 'config.yaml')).toEqual(TWO);
  });

  it.each([
    ['an empty file', ''],
    ['a file with only a comment', '# nothing yet\n'],
  ])('reads %s as no contexts', (_case, text) => {
    expect(parseConfig(text, 'config.yaml')).toEqual(EMPTY_CONFIG);
  });

  it('keeps a context without a token (it comes from --token or FLEETCTL_TOKEN)', () => {
    expect(parseConfig('contexts:\n  - name: a\n    hub: http://h\n', 'c').contexts).toEqual([
      { name: 'a', hub: 'http://h' },
    ]);
  });

  it.each([
    ['not YAML', 'contexts: [', 'c.yaml: not valid YAML'],
    ['a list at the top', '- a\n', 'c.yaml: must be a mapping'],
    ['a kubectl-style key', 'current-context: a\n', 'unknown field "current-context"'],
    ['contexts that are not a list', 'contexts: {}\n', 'contexts: must be a list'],
    ['a context that is not a mapping', 'contexts: [x]\n', 'contexts[0]: must be a mapping'],
    ['a context without a name', 'contexts: [{ hub: "http://h" }]\n', 'contexts[0].name: must be a string'],
    [
      'a bad context name',
      'contexts: [{ name: "a b", hub: "http://h" }]\n',
      'contexts[0].name: context name "a b"',
    ],
    [
      'a hub that is not a URL',
      'contexts: [{ name: a, hub: "hub:8080x" }]\n',
      'contexts[0].hub: "hub:8080x" must be',
    ],
    ['a hub with another scheme', 'contexts: [{ name: a, hub: "ftp://h" }]\n', 'must be an http(s) URL'],
    [
      'a hub with credentials',
      'contexts: [{ name: a, hub: "http://u:p@h" }]\n',
      'must not carry credentials',
    ],
    [
      'a token that is not a string',
      'contexts: [{ name: a, hub: "http://h", token: 5 }]\n',
      'token: must be a string',
    ],
    [
      'an unknown context field',
      'contexts: [{ name: a, hub: "http://h", user: x }]\n',
      'contexts[0]: unknown field "user"',
    ],
    [
      'a name defined twice',
      'contexts: [{ name: a, hub: "http://h" }, { name: a, hub: "http://i" }]\n',
      'contexts[1].name: "a" is defined twice',
    ],
    ['a current context that does not exist', 'currentContext: b\ncontexts: []\n', 'no context is named "b"'],
  ])('refuses %s', (_case, text, message) => {
    expect(() => parseConfig(text, 'c.yaml')).toThrow(message);
  });

  it('names every problem at once and never echoes a token', () => {
    const text = 'currentContext: 1\ncontexts: [{ name: a, hub: "nope", token: secret-token-x, extra: 1 }]\n';
    let message = '';
    try {
      parseConfig(text, 'c.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('currentContext: must be a string');
    expect(message).toContain('contexts[0]: unknown field "extra"');
    expect(message).toContain('contexts[0].hub');
    expect(message).not.toContain('secret-token-x');
  });
});

describe('setContext / useContext / deleteContext', () => {
  it('creates the first context and makes it current', () => {
    expect(setContext(EMPTY_CONFIG, 'dev', { hub: 'http://h', token: 't' })).toEqual({
      currentContext: 'dev',
      contexts: [{ name: 'dev', hub: 'http://h', token: 't' }],
    });
  });

  it('adds a context without changing the current one', () => {
    const next = setContext(TWO, 'stage', { hub: 'http://s' });
    expect(next.currentContext).toBe('prod');
    expect(next.contexts.map((c) => c.name)).toEqual(['prod', 'dev', 'stage']);
  });

  it('changes only the fields given', () => {
    expect(setContext(TWO, 'dev', { token: 'new' }).contexts[1]).toEqual({
      name: 'dev',
      hub: 'http://127.0.0.1:8080',
      token: 'new',
    });
    expect(setContext(TWO, 'dev', { hub: 'http://other' }).contexts[1]).toEqual({
      name: 'dev',
      hub: 'http://other',
      token: 'fwa_dev',
    });
  });

  it.each([
    ['a new context without a hub', () => setContext(EMPTY_CONFIG, 'x', { token: 't' }), 'give its --hub'],
    ['a bad hub', () => setContext(EMPTY_CONFIG, 'x', { hub: 'localhost' }), '--hub:'],
    ['a bad name', () => setContext(EMPTY_CONFIG, '-x', { hub: 'http://h' }), 'context name "-x"'],
    ['using an unknown context', () => useContext(TWO, 'nope'), 'no context is named "nope"'],
    ['deleting an unknown context', () => deleteContext(TWO, 'nope'), 'no context is named "nope"'],
  ])('refuses %s', (_case, change, message) => {
    expect(change).toThrow(message);
  });

  it('switches and deletes contexts', () => {
    expect(useContext(TWO, 'dev').currentContext).toBe('dev');
    expect(deleteContext(TWO, 'prod')).toEqual({ currentContext: null, contexts: [TWO.contexts[1]] });
    expect(deleteContext(TWO, 'dev').currentContext).toBe('prod');
  });
});

describe('resolveTarget: flags > environment > context', () => {
  const env = { FLEETCTL_HUB: 'http://env-hub', FLEETCTL_TOKEN: 'env-token' };

  it.each([
    ['the current context', {}, {}, { hub: 'https://hub.prod.example', token: 'fwa_prod', context: 'prod' }],
    ['--context', { context: 'dev' }, {}, { hub: 'http://127.0.0.1:8080', token: 'fwa_dev', context: 'dev' }],
    [
      'the environment over the context',
      {},
      env,
      { hub: 'http://env-hub', token: 'env-token', context: 'prod' },
    ],
    [
      'flags over the environment',
      { hub: 'http://flag-hub', token: 'flag-token' },
      env,
      { hub: 'http://flag-hub', token: 'flag-token', context: 'prod' },
    ],
    [
      'empty environment variables as unset',
      {},
      { FLEETCTL_HUB: '', FLEETCTL_TOKEN: '' },
      { hub: 'https://hub.prod.example', token: 'fwa_prod', context: 'prod' },
    ],
  ])('%s', (_case, flags, environment, expected) => {
    expect(resolveTarget(TWO, flags, environment, 'c.yaml')).toEqual(expected);
  });

  it('works without any context from flags or the environment', () => {
    expect(resolveTarget(EMPTY_CONFIG, {}, env, 'c.yaml')).toEqual({
      hub: 'http://env-hub',
      token: 'env-token',
      context: null,
    });
  });

  it('says how to configure a hub when there is none', () => {
    expect(() => resolveTarget(EMPTY_CONFIG, {}, {}, 'c.yaml')).toThrow(
      'no hub configured: run "fleetctl config set-context NAME --hub URL --token TOKEN"',
    );
  });

  it('refuses an unknown --context', () => {
    expect(() => resolveTarget(TWO, { context: 'nope' }, {}, 'c.yaml')).toThrow(
      'no context is named "nope" in c.yaml',
    );
  });
});
