import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  ArtifactError,
  type ArtifactFile,
  artifactDigest,
  packArtifact,
  unpackArtifact,
} from './artifact.js';

const text = (path: string, content: string): ArtifactFile => ({ path, content: Buffer.from(content) });

function artifactError(work: () => unknown): ArtifactError {
  try {
    work();
  } catch (error) {
    if (error instanceof ArtifactError) return error;
    throw error;
  }
  throw new Error('expected an ArtifactError');
}

describe('packArtifact', () => {
  it('writes sorted [path, base64] pairs as JSON and addresses them by sha256', () => {
    const packed = packArtifact([text('b.yaml', 'v: 2\n'), text('a.yaml', 'v: 1\n')]);

    const json = '[["a.yaml","djogMQo="],["b.yaml","djogMgo="]]';
    expect(packed.bytes.toString('utf8')).toBe(json);
    expect(packed.digest).toBe(`sha256:${createHash('sha256').update(json).digest('hex')}`);
    expect(artifactDigest(packed.bytes)).toBe(packed.digest);
  });

  it('gives the same bytes whatever order the files come in', () => {
    const files = [text('z', '1'), text('a/b', '2'), text('a', '3'), text('é', '4'), text('B', '5')];
    const reference = packArtifact(files);
    for (const order of [[...files].reverse(), [files[2]!, files[0]!, files[4]!, files[1]!, files[3]!]]) {
      expect(packArtifact(order)).toEqual(reference);
    }
  });

  it.each([
    // [paths in, packed order]: by UTF-8 bytes, as Postgres sorts with COLLATE "C".
    ['upper case before lower case', ['b', 'B', 'a', 'A'], ['A', 'B', 'a', 'b']],
    ['a prefix first', ['a/b', 'a', 'a.b'], ['a', 'a.b', 'a/b']],
    [
      'astral after BMP private use (UTF-8, not UTF-16, order)',
      ['\u{1F600}', '\uE000'],
      ['\uE000', '\u{1F600}'],
    ],
  ])('orders paths by bytes: %s', (_case, paths, expected) => {
    const packed = packArtifact(paths.map((p) => text(p, p)));
    expect(unpackArtifact(packed.bytes).map((f) => f.path)).toEqual(expected);
  });

  it('keeps any bytes, not only text', () => {
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    const packed = packArtifact([{ path: 'charts/dep-1.0.0.tgz', content: binary }, text('Chart.lock', 'x')]);
    const [lock, chart] = unpackArtifact(packed.bytes);
    expect(lock).toEqual({ path: 'Chart.lock', content: Buffer.from('x') });
    expect(chart!.path).toBe('charts/dep-1.0.0.tgz');
    expect(Buffer.from(chart!.content)).toEqual(Buffer.from(binary));
  });

  it('packs no files as an empty list', () => {
    expect(packArtifact([]).bytes.toString()).toBe('[]');
    expect(unpackArtifact(packArtifact([]).bytes)).toEqual([]);
  });

  it('refuses more file bytes than the limit, with its code', () => {
    expect(packArtifact([text('a', '12345'), text('b', '12345')], 10).bytes.length).toBeGreaterThan(0);
    const error = artifactError(() => packArtifact([text('a', '12345'), text('b', '123456')], 10));
    expect(error.code).toBe('artifact-too-large');
    expect(error.message).toBe('the files exceed 10 bytes (11 bytes)');
  });

  it('refuses a path given twice', () => {
    expect(artifactError(() => packArtifact([text('a', '1'), text('a', '2')])).code).toBe(
      'artifact-malformed',
    );
  });
});

describe('unpackArtifact', () => {
  it.each([
    ['not JSON', '[["a",'],
    ['not a list', '{"a":"MQ=="}'],
    ['an entry that is not a pair', '[["a"]]'],
    ['an entry with a non-string', '[["a",1]]'],
  ])('refuses %s', (_case, bytes) => {
    expect(artifactError(() => unpackArtifact(Buffer.from(bytes))).code).toBe('artifact-malformed');
  });
});
