import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, CLI_CODES } from '../errors.js';
import { EMPTY_CONFIG, type FleetctlConfig, parseConfig, serializeConfig } from './contexts.js';

/** Pure: `$FLEETCTL_CONFIG`, else `~/.config/fleetctl/config.yaml`. */
export function configPath(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env['FLEETCTL_CONFIG'];
  if (explicit) return explicit;
  return join(env['HOME'] || homedir(), '.config', 'fleetctl', 'config.yaml');
}

/** The contexts file; a file that does not exist is the empty configuration. */
export async function readConfig(path: string): Promise<FleetctlConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...EMPTY_CONFIG, contexts: [] };
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, CLI_CODES.config);
  }
  return parseConfig(text, path);
}

/**
 * Writes the contexts file readable by its owner only (0600; its directory 0700 when created):
 * a temporary file next to it, then a rename, so a crash never leaves half a file.
 */
export async function writeConfig(path: string, config: FleetctlConfig): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(temporary, serializeConfig(config), { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`, CLI_CODES.config);
  }
}
