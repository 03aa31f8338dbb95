import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';

/**
 * OpenSSH signatures as `ssh-keygen -Y sign` makes them and git (gpg.format=ssh) stores them
 * (PROTOCOL.sshsig): an armored envelope holding the signer's public key, a namespace, the hash
 * algorithm and the signature over a digest of the message. Pure, on node:crypto: no maintained npm
 * library verifies this format. Key types: ssh-ed25519, ssh-rsa (rsa-sha2-256/512 signatures),
 * ecdsa-sha2-nistp256/384/521.
 */

/** A public key from an `authorized_keys`-style line: `<type> <base64> [comment]`. */
export interface SshPublicKey {
  type: string;
  /** The key in SSH wire format: what a signature's embedded key is compared with. */
  blob: Buffer;
  comment: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

export interface SshSignature {
  /** The signer's public key, wire format. */
  publicKey: Buffer;
  namespace: string;
  hashAlgorithm: 'sha256' | 'sha512';
  /** rsa-sha2-512, ssh-ed25519, ecdsa-sha2-nistp256, … */
  signatureType: string;
  signature: Buffer;
}

/** Input that is not a usable key or signature; the message names what is wrong, never key material. */
export class SshFormatError extends Error {
  override readonly name = 'SshFormatError';
}

const MAGIC = Buffer.from('SSHSIG');
const ARMOR_BEGIN = '-----BEGIN SSH SIGNATURE-----';
const ARMOR_END = '-----END SSH SIGNATURE-----';
const CURVES: Record<string, { crv: string; size: number; hash: string }> = {
  nistp256: { crv: 'P-256', size: 32, hash: 'sha256' },
  nistp384: { crv: 'P-384', size: 48, hash: 'sha384' },
  nistp521: { crv: 'P-521', size: 66, hash: 'sha512' },
};
export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
] as const;

export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Parses one public key line (options before the type, as in authorized_keys, are refused). */
export function parseSshPublicKey(line: string): SshPublicKey {
  const parts = line.trim().split(/\s+/);
  const [type, encoded] = parts;
  if (type === undefined || encoded === undefined || type === '') {
    throw new SshFormatError('is not an OpenSSH public key line ("<type> <base64> [comment]")');
  }
  if (/PRIVATE KEY/.test(line)) throw new SshFormatError('is a private key: give the public key (.pub)');
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) {
    throw new SshFormatError(`has key type "${type.slice(0, 40)}"; supported: ${SSH_KEY_TYPES.join(', ')}`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new SshFormatError('has a key that is not base64');
  const blob = Buffer.from(encoded, 'base64');
  const inner = new WireReader(blob).string().toString('latin1');
  if (inner !== type) throw new SshFormatError(`says "${type}" but holds a "${inner.slice(0, 40)}" key`);
  publicKeyObject(blob); // every field present and a usable key
  return { type, blob, comment: parts.slice(2).join(' '), fingerprint: sshFingerprint(blob) };
}

/** Parses the armored envelope (`-----BEGIN SSH SIGNATURE-----`). */
export function parseSshSignature(armored: string): SshSignature {
  const text = armored.trim();
  if (!text.startsWith(ARMOR_BEGIN) || !text.endsWith(ARMOR_END)) {
    throw new SshFormatError('is not an armored SSH signature');
  }
  const body = text.slice(ARMOR_BEGIN.length, text.length - ARMOR_END.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new SshFormatError('SSH signature is not base64');
  const reader = new WireReader(Buffer.from(body, 'base64'));
  if (!reader.bytes(MAGIC.length).equals(MAGIC)) throw new SshFormatError('SSH signature lacks SSHSIG magic');
  const version = reader.uint32();
  if (version !== 1) throw new SshFormatError(`SSH signature version ${version} is not supported`);
  const publicKey = reader.string();
  const namespace = reader.string().toString('utf8');
  reader.string(); // reserved
  const hashAlgorithm = reader.string().toString('latin1');
  if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512') {
    throw new SshFormatError(`SSH signature hash "${hashAlgorithm.slice(0, 20)}" is not supported`);
  }
  const sig = new WireReader(reader.string());
  const signatureType = sig.string().toString('latin1');
  const signature = sig.string();
  return { publicKey, namespace, hashAlgorithm, signatureType, signature };
}

/**
 * Whether `signature` is a valid signature of `message` by its own embedded key in `namespace`.
 * Who that key is (trusted or not) is the caller's question.
 */
export function verifySshSignature(signature: SshSignature, message: Uint8Array, namespace: string): boolean {
  if (signature.namespace !== namespace) return false;
  const signed = Buffer.concat([
    MAGIC,
    wireString(Buffer.from(namespace, 'utf8')),
    wireString(Buffer.alloc(0)),
    wireString(Buffer.from(signature.hashAlgorithm)),
    wireString(createHash(signature.hashAlgorithm).update(message).digest()),
  ]);
  try {
    const keyType = new WireReader(signature.publicKey).string().toString('latin1');
    const key = publicKeyObject(signature.publicKey);
    if (keyType === 'ssh-ed25519') {
      return signature.signatureType === 'ssh-ed25519' && verify(null, signed, key, signature.signature);
    }
    if (keyType === 'ssh-rsa') {
      const hash = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' }[signature.signatureType];
      return hash !== undefined && verify(hash, signed, key, signature.signature);
    }
    const curve = CURVES[keyType.slice('ecdsa-sha2-'.length)]!;
    if (signature.signatureType !== keyType) return false;
    const rs = new WireReader(signature.signature);
    const p1363 = Buffer.concat([fixed(rs.string(), curve.size), fixed(rs.string(), curve.size)]);
    return verify(curve.hash, signed, { key, dsaEncoding: 'ieee-p1363' }, p1363);
  } catch (error) {
    if (error instanceof SshFormatError) return false;
    throw error;
  }
}

/** A node:crypto key from an SSH wire-format public key (through JWK: no ASN.1 to build). */
function publicKeyObject(blob: Buffer): KeyObject {
  const reader = new WireReader(blob);
  const type = reader.string().toString('latin1');
  let jwk: Record<string, string>;
  if (type === 'ssh-ed25519') {
    const key = reader.string();
    if (key.length !== 32) throw new SshFormatError('has an ed25519 key that is not 32 bytes');
    jwk = { kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') };
  } else if (type === 'ssh-rsa') {
    const e = unsigned(reader.string());
    const n = unsigned(reader.string());
    if (n.length * 8 < 2048) throw new SshFormatError('has an RSA key shorter than 2048 bits');
    jwk = { kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') };
  } else if (type.startsWith('ecdsa-sha2-') && CURVES[type.slice('ecdsa-sha2-'.length)] !== undefined) {
    const name = reader.string().toString('latin1');
    const curve = CURVES[type.slice('ecdsa-sha2-'.length)]!;
    const point = reader.string();
    if (`ecdsa-sha2-${name}` !== type || point.length !== 1 + 2 * curve.size || point[0] !== 4) {
      throw new SshFormatError(`has a malformed ${type} key`);
    }
    jwk = {
      kty: 'EC',
      crv: curve.crv,
      x: point.subarray(1, 1 + curve.size).toString('base64url'),
      y: point.subarray(1 + curve.size).toString('base64url'),
    };
  } else {
    throw new SshFormatError(`key type "${type.slice(0, 40)}" is not supported`);
  }
  if (!reader.done()) throw new SshFormatError(`has trailing bytes after its ${type} key`);
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new SshFormatError(`has an invalid ${type} key`);
  }
}

/** An mpint without its sign byte. */
function unsigned(mpint: Buffer): Buffer {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start++;
  return mpint.subarray(start);
}

/** An mpint as exactly `size` big-endian bytes (ECDSA's r and s for IEEE P1363). */
function fixed(mpint: Buffer, size: number): Buffer {
  const value = unsigned(mpint);
  if (value.length > size) throw new SshFormatError('ECDSA signature value too long');
  return Buffer.concat([Buffer.alloc(size - value.length), value]);
}

function wireString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** RFC 4251 data types, bounds-checked. */
class WireReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  uint32(): number {
    if (this.offset + 4 > this.buffer.length) throw new SshFormatError('is truncated');
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  bytes(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new SshFormatError('is truncated');
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  done(): boolean {
    return this.offset === this.buffer.length;
  }
}
