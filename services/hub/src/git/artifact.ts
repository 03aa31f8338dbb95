import { createHash } from 'node:crypto';

/** One file of a revision's source, as git stores it: path from the repository root with '/' separators. */
export interface ArtifactFile {
  path: string;
  content: Uint8Array;
}

/** A revision's source packed for storage: the bytes and their content address. */
export interface PackedArtifact {
  /** `sha256:<64 hex>` of `bytes`. */
  digest: string;
  bytes: Buffer;
}

/**
 * Total file bytes one artifact may hold. The mirror stops reading at this size, and packing refuses
 * more: an artifact is stored in one row and rendered in memory for every cluster.
 */
export const ARTIFACT_MAX_BYTES = 4 * 1024 * 1024;

export type ArtifactErrorCode = 'artifact-too-large' | 'artifact-malformed';

export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';

  constructor(
    readonly code: ArtifactErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Packs files into their canonical form: the UTF-8 JSON text of `[[path, base64(content)], …]`
 * sorted by the paths' UTF-8 bytes (what Postgres's `COLLATE "C"` sorts by, so the migration that
 * converted the older jsonb sources wrote the same bytes). JSON rather than tar: no timestamps,
 * modes or owners to pin down, and any file type survives base64. Duplicate paths are refused.
 */
export function packArtifact(
  files: readonly ArtifactFile[],
  maxBytes: number = ARTIFACT_MAX_BYTES,
): PackedArtifact {
  const total = files.reduce((sum, file) => sum + file.content.byteLength, 0);
  if (total > maxBytes) {
    throw new ArtifactError('artifact-too-large', `the files exceed ${maxBytes} bytes (${total} bytes)`);
  }
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.path === sorted[i - 1]!.path) {
      throw new ArtifactError('artifact-malformed', `the path ${sorted[i]!.path} appears twice`);
    }
  }
  const entries = sorted.map((file) => [file.path, Buffer.from(file.content).toString('base64')]);
  const bytes = Buffer.from(JSON.stringify(entries), 'utf8');
  return { digest: artifactDigest(bytes), bytes };
}

/** The files of packed bytes, in their packed order; bytes that are not a packed artifact throw. */
export function unpackArtifact(bytes: Uint8Array): ArtifactFile[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ArtifactError('artifact-malformed', 'the artifact is not JSON');
  }
  if (!Array.isArray(parsed)) throw new ArtifactError('artifact-malformed', 'the artifact is not a list');
  return parsed.map((entry: unknown, index) => {
    if (!Array.isArray(entry) || entry.length !== 2 || !entry.every((part) => typeof part === 'string')) {
      throw new ArtifactError('artifact-malformed', `entry ${index} is not [path, base64]`);
    }
    const [path, base64] = entry as [string, string];
    return { path, content: Buffer.from(base64, 'base64') };
  });
}

export function artifactDigest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
