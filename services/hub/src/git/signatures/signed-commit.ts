/**
 * A raw git commit object split into what was signed and the signature, as git does it
 * (`parse_signed_commit`): the payload is the object without its `gpgsig` header (the header line
 * and its continuation lines, which start with a space). Works on bytes (latin1 keeps each byte),
 * since a commit need not be UTF-8. isomorphic-git's own split only knows PGP armor, not SSH.
 */
export interface SignedCommit {
  /** The bytes the signature covers. */
  payload: Buffer;
  /** The armored signature, or null for an unsigned commit. */
  signature: string | null;
}

const SIGNATURE_HEADERS = new Set(['gpgsig', 'gpgsig-sha256']);

export function splitSignedCommit(raw: Uint8Array): SignedCommit {
  const text = Buffer.from(raw).toString('latin1');
  const headerEnd = text.indexOf('\n\n');
  const headers = headerEnd === -1 ? text : text.slice(0, headerEnd + 1);
  const body = headerEnd === -1 ? '' : text.slice(headerEnd + 1);
  const lines = headers.split(/(?<=\n)/);
  const kept: string[] = [];
  let signature: string | null = null;
  // While reading a signature header's continuation lines: keep them (the signature) or drop them.
  let collecting: 'keep' | 'drop' | null = null;
  for (const line of lines) {
    if (collecting !== null && line.startsWith(' ')) {
      if (collecting === 'keep') signature += line.slice(1);
      continue;
    }
    collecting = null;
    const name = line.slice(0, line.indexOf(' '));
    if (SIGNATURE_HEADERS.has(name)) {
      // The sha1 signature (`gpgsig`) is the one checked; a sha256 one is left out of the payload too, as git does.
      if (name === 'gpgsig' && signature === null) {
        signature = line.slice(name.length + 1);
        collecting = 'keep';
      } else {
        collecting = 'drop';
      }
      continue;
    }
    kept.push(line);
  }
  return {
    payload: Buffer.from(kept.join('') + body, 'latin1'),
    signature: signature === null ? null : Buffer.from(signature, 'latin1').toString('utf8'),
  };
}
