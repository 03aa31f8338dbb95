import { describe, expect, it } from '@jest/globals';
import {
  buildDeadLetter,
  DEAD_LETTER_PAYLOAD_MAX_BYTES,
  DeadLetterSchema,
  decodeDeadLetter,
  encodeDeadLetter,
  type BuildDeadLetterInput,
  type DeadLetter,
  type DeadLetterReason,
} from './dead-letter.js';
import { TOPICS } from './topics.js';

const receivedAt = new Date(Date.UTC(2025, 0, 31, 12, 0, 0));
const source = { topic: TOPICS.reports, partition: 3, offset: '1234567890123', key: 'cluster-id' };
const input = (patch: Partial<BuildDeadLetterInput> = {}): BuildDeadLetterInput => ({
  reason: 'bad-signature',
  detail: 'signature does not match',
  source,
  value: Buffer.from('{"v":1}'),
  receivedAt,
  ...patch,
});

describe('buildDeadLetter', () => {
  it('builds a valid dead letter', () => {
    expect(buildDeadLetter(input())).toEqual({
      v: 1,
      reason: 'bad-signature',
      detail: 'signature does not match',
      source,
      receivedAt: '2025-01-31T12:00:00.000Z',
      payloadBase64: Buffer.from('{"v":1}').toString('base64'),
      payloadTruncated: false,
    });
  });

  it.each<[string, number, number, boolean]>([
    ['empty', 0, 0, false],
    ['just under the limit', DEAD_LETTER_PAYLOAD_MAX_BYTES - 1, DEAD_LETTER_PAYLOAD_MAX_BYTES - 1, false],
    ['exactly the limit', DEAD_LETTER_PAYLOAD_MAX_BYTES, DEAD_LETTER_PAYLOAD_MAX_BYTES, false],
    ['one byte over', DEAD_LETTER_PAYLOAD_MAX_BYTES + 1, DEAD_LETTER_PAYLOAD_MAX_BYTES, true],
    ['1 MiB', 1024 * 1024, DEAD_LETTER_PAYLOAD_MAX_BYTES, true],
  ])('payload %s (%i bytes) keeps %i bytes, truncated=%p', (_name, size, kept, truncated) => {
    const value = Buffer.alloc(size);
    for (let i = 0; i < size; i++) value[i] = i % 251;
    const letter = buildDeadLetter(input({ value }));
    const payload = Buffer.from(letter.payloadBase64, 'base64');
    expect(payload).toHaveLength(kept);
    expect(payload.equals(value.subarray(0, kept))).toBe(true);
    expect(letter.payloadTruncated).toBe(truncated);
    expect(DeadLetterSchema.safeParse(letter).success).toBe(true);
  });

  it('keeps an empty payload for a tombstone', () => {
    expect(buildDeadLetter(input({ value: null }))).toMatchObject({
      payloadBase64: '',
      payloadTruncated: false,
    });
  });

  it('truncates the detail to 1 KiB without splitting characters', () => {
    const letter = buildDeadLetter(input({ detail: 'é'.repeat(2000) }));
    expect(Buffer.byteLength(letter.detail, 'utf8')).toBeLessThanOrEqual(1024);
    expect(letter.detail).toMatch(/^é+…$/);
  });

  it.each<[string, Buffer | string | null, string | null]>([
    ['string key', 'abc', 'abc'],
    [
      'buffer key',
      Buffer.from('6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b'),
      '6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    ],
    ['null key', null, null],
  ])('records the source key (%s)', (_name, key, expected) => {
    expect(buildDeadLetter(input({ source: { ...source, key } })).source.key).toBe(expected);
  });

  it('truncates a huge key', () => {
    const key = buildDeadLetter(input({ source: { ...source, key: 'k'.repeat(10_000) } })).source.key;
    expect(Buffer.byteLength(key ?? '', 'utf8')).toBeLessThanOrEqual(256);
  });

  it('defaults receivedAt to now', () => {
    const before = Date.now();
    const { receivedAt: at } = buildDeadLetter({ ...input(), receivedAt: undefined });
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
  });
});

describe('DeadLetterSchema', () => {
  const letter: DeadLetter = buildDeadLetter(input());

  it.each<DeadLetterReason>([
    'oversized',
    'malformed-json',
    'invalid-schema',
    'bad-signature',
    'unknown-cluster',
    'replayed-sequence',
    'revoked-credential',
    'expired-signing-key',
  ])('accepts reason %s', (reason) => {
    expect(DeadLetterSchema.safeParse({ ...letter, reason }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['unknown reason', { reason: 'too-late' }],
    ['v 2', { v: 2 }],
    ['negative partition', { source: { ...source, partition: -1 } }],
    ['numeric offset', { source: { ...source, offset: 12 } }],
    ['non-numeric offset', { source: { ...source, offset: 'latest' } }],
    ['missing key', { source: { topic: 't', partition: 0, offset: '0' } }],
    ['receivedAt not ISO', { receivedAt: 'yesterday' }],
    ['payload not base64', { payloadBase64: '***' }],
    ['payload too long', { payloadBase64: 'A'.repeat(87_388) }],
    ['payloadTruncated missing', { payloadTruncated: undefined }],
  ])('rejects %s', (_name, patch) => {
    expect(DeadLetterSchema.safeParse({ ...letter, ...patch }).success).toBe(false);
  });
});

describe('encodeDeadLetter / decodeDeadLetter', () => {
  it('round-trips', () => {
    const letter = buildDeadLetter(input({ value: Buffer.alloc(70_000, 1) }));
    expect(decodeDeadLetter(encodeDeadLetter(letter))).toEqual(letter);
  });

  it('refuses to encode an invalid dead letter', () => {
    expect(() => encodeDeadLetter({ ...buildDeadLetter(input()), receivedAt: 'now' })).toThrow();
  });

  it.each<[string, Buffer | null]>([
    ['null', null],
    ['not JSON', Buffer.from('nope')],
    ['not a dead letter', Buffer.from('{"v":1}')],
  ])('decodes %s as undefined', (_name, value) => {
    expect(decodeDeadLetter(value)).toBeUndefined();
  });
});
