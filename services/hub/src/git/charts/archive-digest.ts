import { createHash } from 'node:crypto';
import { ChartSourceError } from './chart-source-error.js';

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The archive, checked against the digest its index or manifest names (when it names one). */
export function verified(archive: Buffer, expected: string | null, url: string): Buffer {
  if (expected !== null && sha256Digest(archive) !== expected) {
    throw new ChartSourceError(
      'chart-digest-mismatch',
      `${url} is not the archive its index names (expected ${expected}, got ${sha256Digest(archive)})`,
    );
  }
  return archive;
}
