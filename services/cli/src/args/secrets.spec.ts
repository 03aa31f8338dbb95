import { describe, expect, it } from '@jest/globals';
import { readSecret } from './secrets.js';

const SECRET = 'a-webhook-secret-of-32-characters';
const files: Record<string, string> = { '/s/secret': `${SECRET}\n`, '/s/empty': '\n' };
async function read(path: string): Promise<string> {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return text;
}
const env = { FW_SECRET: SECRET, FW_EMPTY: '' };

describe('readSecret', () => {
  it.each([
    ['a file, without its trailing newline', { file: '/s/secret' }, SECRET],
    ['an environment variable', { env: 'FW_SECRET' }, SECRET],
    ['neither', {}, undefined],
  ])('reads %s', async (_name, source, expected) => {
    expect(await readSecret(source, 'secret', env, read)).toBe(expected);
  });

  it.each([
    ['both sources', { file: '/s/secret', env: 'FW_SECRET' }, 'give --secret-file or --secret-env, not both'],
    ['a missing file', { file: '/s/nope' }, '--secret-file: cannot read /s/nope (ENOENT)'],
    ['an empty file', { file: '/s/empty' }, '--secret-file: the secret is empty'],
    ['an unset variable', { env: 'FW_NOPE' }, '--secret-env: $FW_NOPE is not set'],
    ['an empty variable', { env: 'FW_EMPTY' }, '--secret-env: the secret is empty'],
  ])('refuses %s with a message that never holds the value', async (_name, source, message) => {
    const error = await readSecret(source, 'secret', env, read).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(message);
    expect(error?.message).not.toContain(SECRET);
  });
});
