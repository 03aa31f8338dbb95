import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * Report signing: HMAC-SHA256 over {@link canonicalJson} of the payload (envelope v1), or over the
 * exact bytes sent ({@link signBytes}, envelope v2), written as unpadded base64url.
 * Each cluster gets its own key at registration; the hub keeps it to verify that cluster's reports.
 *
 * Keys are unpadded base64url strings of at least {@link SIGNING_KEY_BYTES} bytes
 * ({@link generateSigningKey} makes them).
 */
export const SIGNING_KEY_BYTES = 32;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function generateSigningKey(): string {
  return randomBytes(SIGNING_KEY_BYTES).toString('base64url');
}

/**
 * Signs `payload`. Throws when the key is not a base64url key of at least 32 bytes, or when the payload
 * cannot be canonicalised (see {@link canonicalJson}).
 */
export function signPayload(payload: unknown, key: string): string {
  const keyBytes = decodeKey(key);
  if (keyBytes === undefined) {
    throw new TypeError(
      `signing key must be an unpadded base64url string of at least ${SIGNING_KEY_BYTES} bytes`,
    );
  }
  return hmac(keyBytes, canonicalJson(payload));
}

/**
 * True when `signature` is `signPayload(payload, key)`. Never throws: a malformed key, signature or
 * payload (one canonicalJson rejects) is simply not a valid signature. Key order in `payload` does not
 * matter; every value does.
 */
export function verifySignature(payload: unknown, signature: string, key: string): boolean {
  try {
    return verifyText(() => canonicalJson(payload), signature, key);
  } catch {
    return false;
  }
}

/**
 * Signs exact bytes (or a string's UTF-8): no canonical form, so what the verifier hashes is what
 * went over the wire, with no encoding to redo. Throws on a bad key, as {@link signPayload} does.
 */
export function signBytes(bytes: Uint8Array | string, key: string): string {
  const keyBytes = decodeKey(key);
  if (keyBytes === undefined) {
    throw new TypeError(
      `signing key must be an unpadded base64url string of at least ${SIGNING_KEY_BYTES} bytes`,
    );
  }
  return hmac(keyBytes, bytes);
}

/** True when `signature` is `signBytes(bytes, key)`. Never throws. */
export function verifyBytesSignature(bytes: Uint8Array, signature: string, key: string): boolean {
  try {
    return verifyText(() => bytes, signature, key);
  } catch {
    return false;
  }
}

function verifyText(signed: () => Uint8Array | string, signature: string, key: string): boolean {
  if (typeof signature !== 'string') return false;
  const keyBytes = decodeKey(key);
  if (keyBytes === undefined) return false;
  // Compare the canonical text of the digest, not decoded bytes: base64url decoding is lenient
  // (skips junk, ignores trailing bits), so only the exact encoding we produce is accepted.
  const expected = Buffer.from(hmac(keyBytes, signed()), 'utf8');
  const actual = Buffer.from(signature, 'utf8');
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}

function hmac(key: Buffer, text: Uint8Array | string): string {
  const mac = createHmac('sha256', key);
  if (typeof text === 'string') mac.update(text, 'utf8');
  else mac.update(text);
  return mac.digest('base64url');
}

function decodeKey(key: unknown): Buffer | undefined {
  if (typeof key !== 'string' || !BASE64URL.test(key) || key.length % 4 === 1) return undefined;
  const bytes = Buffer.from(key, 'base64url');
  return bytes.length >= SIGNING_KEY_BYTES ? bytes : undefined;
}
