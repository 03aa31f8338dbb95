import { describe, expect, it } from '@jest/globals';
import { generateSigningKey, SIGNING_KEY_BYTES, signPayload, verifySignature } from './signing.js';

const key = generateSigningKey();
const otherKey = generateSigningKey();

const payload = {
  schemaVersion: 1,
  kind: 'status',
  clusterId: '6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  seq: 41,
  sentAt: '2025-01-31T12:00:00.000Z',
  clusterStatus: 'Ready',
  bundles: [{ application: 'web', phase: 'Healthy', ready: 3, total: 3, failing: [] }],
};

describe('generateSigningKey', () => {
  it('makes 32 random bytes as unpadded base64url', () => {
    const generated = generateSigningKey();
    expect(generated).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(generated, 'base64url')).toHaveLength(SIGNING_KEY_BYTES);
    expect(generateSigningKey()).not.toBe(generated);
  });
});

describe('signPayload / verifySignature', () => {
  it('round-trips and produces a base64url SHA-256 digest', () => {
    const sig = signPayload(payload, key);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifySignature(payload, sig, key)).toBe(true);
  });

  it('is deterministic', () => {
    expect(signPayload(payload, key)).toBe(signPayload(structuredClone(payload), key));
  });

  it('verifies the payload after a JSON round trip', () => {
    const sig = signPayload(payload, key);
    expect(verifySignature(JSON.parse(JSON.stringify(payload)), sig, key)).toBe(true);
  });

  it('still verifies with keys reordered at every level', () => {
    const sig = signPayload(payload, key);
    const reordered = {
      bundles: [{ failing: [], total: 3, ready: 3, phase: 'Healthy', application: 'web' }],
      clusterStatus: 'Ready',
      sentAt: '2025-01-31T12:00:00.000Z',
      seq: 41,
      clusterId: '6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      kind: 'status',
      schemaVersion: 1,
    };
    expect(verifySignature(reordered, sig, key)).toBe(true);
  });

  it.each<[string, (p: typeof payload) => unknown]>([
    ['seq changed', (p) => ({ ...p, seq: 42 })],
    ['seq as a string', (p) => ({ ...p, seq: '41' })],
    ['clusterId changed', (p) => ({ ...p, clusterId: '6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5c' })],
    ['status changed', (p) => ({ ...p, clusterStatus: 'NotReady' })],
    ['field removed', ({ sentAt: _sentAt, ...rest }) => rest],
    ['field added', (p) => ({ ...p, extra: true })],
    ['field added as null', (p) => ({ ...p, extra: null })],
    ['nested value changed', (p) => ({ ...p, bundles: [{ ...p.bundles[0]!, ready: 2 }] })],
    ['array entry added', (p) => ({ ...p, bundles: [...p.bundles, ...p.bundles] })],
    ['array emptied', (p) => ({ ...p, bundles: [] })],
    ['whole payload replaced', () => ({})],
  ])('detects tampering: %s', (_name, tamper) => {
    const sig = signPayload(payload, key);
    expect(verifySignature(tamper(structuredClone(payload)), sig, key)).toBe(false);
  });

  it('rejects a signature made with another key', () => {
    expect(verifySignature(payload, signPayload(payload, otherKey), key)).toBe(false);
  });

  const good = signPayload(payload, key);
  it.each<[string, unknown]>([
    ['empty', ''],
    ['truncated', good.slice(0, -1)],
    ['one extra character', `${good}A`],
    ['padded', `${good}=`],
    ['standard base64 instead of base64url', Buffer.from(good, 'base64url').toString('base64')],
    ['hex digest', Buffer.from(good, 'base64url').toString('hex')],
    ['same length garbage', '!'.repeat(good.length)],
    ['non-ASCII garbage of the same length', 'é'.repeat(good.length)],
    ['last character altered', good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A')],
    ['not a string (number)', 42],
    ['not a string (null)', null],
    ['not a string (undefined)', undefined],
    ['not a string (object)', { sig: good }],
  ])('returns false without throwing for a bad signature: %s', (_name, sig) => {
    expect(() => verifySignature(payload, sig as string, key)).not.toThrow();
    expect(verifySignature(payload, sig as string, key)).toBe(false);
  });

  it.each<[string, unknown]>([
    ['empty key', ''],
    ['short key', 'c2hvcnQ'],
    ['key with invalid characters', `${key.slice(0, -1)}+`],
    ['key that is not a string', 7],
  ])('returns false for a bad key (%s) and signPayload throws', (_name, badKey) => {
    expect(verifySignature(payload, good, badKey as string)).toBe(false);
    expect(() => signPayload(payload, badKey as string)).toThrow(/signing key must be/);
  });

  it.each<[string, unknown]>([
    ['bigint', { n: 1n }],
    ['NaN', { n: NaN }],
    ['function', { f: () => 1 }],
    ['undefined', undefined],
  ])('returns false for a payload canonicalJson rejects (%s); signPayload throws', (_name, bad) => {
    expect(verifySignature(bad, good, key)).toBe(false);
    expect(() => signPayload(bad, key)).toThrow(/canonicalJson/);
  });

  it('matches an independently computed HMAC-SHA256 of the canonical JSON', async () => {
    const { createHmac } = await import('node:crypto');
    const fixedKey = Buffer.alloc(32, 7).toString('base64url');
    const expected = createHmac('sha256', Buffer.alloc(32, 7))
      .update('{"a":1,"b":[true,null]}')
      .digest('base64url');
    expect(signPayload({ b: [true, null], a: 1 }, fixedKey)).toBe(expected);
  });
});
