import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';

/** Where a credential comes from: a file or an environment variable, never the command line. */
export interface SecretSource {
  file?: string;
  env?: string;
}

/**
 * Reads a credential (a webhook secret, a URL whose path is a token) from `--<name>-file` or
 * `--<name>-env`, so it stays out of shell history and `ps`. A trailing newline (an editor's or
 * `echo`'s) is dropped. Errors name the flag, the file or the variable, never the value.
 */
export async function readSecret(
  source: SecretSource,
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  read: (path: string) => Promise<string> = (path) => readFile(path, 'utf8'),
): Promise<string | undefined> {
  if (source.file !== undefined && source.env !== undefined) {
    throw usageError(`give --${name}-file or --${name}-env, not both`);
  }
  let value: string;
  if (source.file !== undefined) {
    try {
      value = await read(source.file);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw usageError(
        `--${name}-file: cannot read ${source.file}${typeof code === 'string' ? ` (${code})` : ''}`,
      );
    }
  } else if (source.env !== undefined) {
    const fromEnv = env[source.env];
    if (fromEnv === undefined) throw usageError(`--${name}-env: $${source.env} is not set`);
    value = fromEnv;
  } else {
    return undefined;
  }
  const trimmed = value.replace(/\r?\n$/, '');
  if (trimmed === '') {
    throw usageError(`--${name}-${source.file !== undefined ? 'file' : 'env'}: the ${name} is empty`);
  }
  return trimmed;
}
