import { describe, expect, it } from '@jest/globals';
import {
  parseConfig,
  serializeConfig,
  setContext,
  setSsoSession,
  type SsoSession,
} from '../config/contexts.js';
import { needsRefresh, sessionFrom } from './session.js';

const SESSION: SsoSession = {
  issuer: 'https://sso.example.org',
  clientId: 'fleetctl',
  idToken: 'id-token-secret',
  refreshToken: 'refresh-token-secret',
  expiresAt: '2030-01-01T12:00:00.000Z',
};

describe('needsRefresh', () => {
  it.each([
    ['long before expiry', '2030-01-01T11:00:00Z', false],
    ['within the last minute', '2030-01-01T11:59:30Z', true],
    ['after expiry', '2030-01-01T12:00:01Z', true],
  ])('%s', (_, now, expected) => {
    expect(needsRefresh(SESSION, new Date(now))).toBe(expected);
  });
});

describe('sessionFrom', () => {
  const expiresAt = new Date('2030-01-02T00:00:00Z');
  it('keeps the previous refresh token when the provider sends none', () => {
    expect(sessionFrom(SESSION, { idToken: 'new', refreshToken: undefined, expiresAt })).toEqual({
      ...SESSION,
      idToken: 'new',
      expiresAt: '2030-01-02T00:00:00.000Z',
    });
  });
  it('refuses a response without an ID token', () => {
    expect(() => sessionFrom(SESSION, { idToken: undefined, refreshToken: 'r', expiresAt })).toThrow(
      'the provider answered no ID token',
    );
  });
});

describe('the sso field of a context', () => {
  const config = setSsoSession(
    setContext({ currentContext: null, contexts: [] }, 'prod', { hub: 'http://h' }),
    'prod',
    SESSION,
  );

  it('round-trips through the file and survives set-context', () => {
    expect(parseConfig(serializeConfig(config), 'c.yaml')).toEqual(config);
    expect(setContext(config, 'prod', { hub: 'http://other' }).contexts[0]!.sso).toEqual(SESSION);
    expect(setSsoSession(config, 'prod', undefined).contexts[0]).toEqual({ name: 'prod', hub: 'http://h' });
  });

  it.each([
    ['not a mapping', 'sso: x', 'contexts[0].sso: must be a mapping'],
    [
      'a missing ID token',
      'sso: { issuer: i, clientId: c, expiresAt: "2030-01-01T00:00:00Z" }',
      'contexts[0].sso.idToken: must be a string',
    ],
    [
      'a bad expiry',
      'sso: { issuer: i, clientId: c, idToken: tok-SECRET, expiresAt: soon }',
      'contexts[0].sso.expiresAt: must be an ISO 8601 time',
    ],
    [
      'an unknown field',
      'sso: { issuer: i, clientId: c, idToken: tok-SECRET, expiresAt: "2030-01-01T00:00:00Z", x: 1 }',
      'contexts[0].sso: unknown field "x"',
    ],
  ])('refuses %s, never echoing a token', (_, sso, message) => {
    const text = `contexts:\n  - name: a\n    hub: http://h\n    ${sso}\n`;
    expect(() => parseConfig(text, 'c.yaml')).toThrow(message);
    try {
      parseConfig(text, 'c.yaml');
    } catch (error) {
      expect((error as Error).message).not.toContain('tok-SECRET');
    }
  });
});
