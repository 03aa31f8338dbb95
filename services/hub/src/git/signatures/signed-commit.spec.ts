import { describe, expect, it } from '@jest/globals';
import { splitSignedCommit } from './signed-commit.js';

const HEAD =
  'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n';

describe('splitSignedCommit', () => {
  it.each([
    ['unsigned', `${HEAD}\nmessage\n`, `${HEAD}\nmessage\n`, null],
    [
      'a multi-line gpgsig header',
      `${HEAD}gpgsig -----BEGIN X-----\n \n line\n -----END X-----\n\nmessage\n`,
      `${HEAD}\nmessage\n`,
      '-----BEGIN X-----\n\nline\n-----END X-----\n',
    ],
    [
      'gpgsig-sha256 beside gpgsig: both left out, gpgsig kept',
      `${HEAD}gpgsig-sha256 B\n b2\ngpgsig A\n a2\nencoding latin1\n\nm\n`,
      `${HEAD}encoding latin1\n\nm\n`,
      'A\na2\n',
    ],
    [
      'a "gpgsig" line in the message is not a header',
      `${HEAD}\ngpgsig in the message\n continued\n`,
      `${HEAD}\ngpgsig in the message\n continued\n`,
      null,
    ],
  ])('%s', (_, raw, payload, signature) => {
    const split = splitSignedCommit(Buffer.from(raw, 'latin1'));
    expect(split.payload.toString('latin1')).toBe(payload);
    expect(split.signature).toBe(signature);
  });

  it('keeps bytes that are not UTF-8', () => {
    const raw = Buffer.concat([Buffer.from(`${HEAD}\n`), Buffer.from([0xe9, 0xff, 0x0a])]);
    expect(splitSignedCommit(raw).payload.equals(raw)).toBe(true);
  });
});
