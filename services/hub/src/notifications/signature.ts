import { createHmac } from 'node:crypto';

/** The header a receiver verifies: `sha256=<hex HMAC-SHA256 of the exact body bytes>`. */
export const SIGNATURE_HEADER = 'X-Fleetwave-Signature';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
