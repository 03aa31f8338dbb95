import { type Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { resolveTarget, setSsoSession } from '../config/contexts.js';
import { configPath, readConfig, writeConfig } from '../config/file.js';
import { refreshSession } from '../sso/provider.js';
import { needsRefresh } from '../sso/session.js';
import { usageError } from '../errors.js';
import { OUTPUT_FORMATS, type OutputFormat, renderOutput } from '../format/output.js';
import { GraphqlClient } from '../graphql/client.js';
import { type Io } from '../io.js';

/** What every command runs with. */
export interface CliEnv {
  io: Io;
  now(): Date;
}

export interface GlobalOptions {
  context?: string;
  hub?: string;
  token?: string;
  debug?: boolean;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** A client for the hub the flags, environment and contexts file point at. */
export async function connect(cmd: Command, env: CliEnv): Promise<GraphqlClient> {
  const path = configPath(env.io.env);
  const config = await readConfig(path);
  const target = resolveTarget(config, globals(cmd), env.io.env, path);
  let token = target.token;
  if (target.sso && target.context !== null && needsRefresh(target.sso, env.now())) {
    // Signed in with `fleetctl login` and the ID token (about to) expire: refresh, keep the new tokens.
    const session = await refreshSession(target.sso);
    await writeConfig(path, setSsoSession(config, target.context, session));
    token = session.idToken;
  }
  return new GraphqlClient({ hub: target.hub, token });
}

/** `-o, --output table|json|yaml`. */
export function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table');
}

export function outputFormat(cmd: Command): OutputFormat {
  return cmd.opts<{ output?: OutputFormat }>().output ?? 'table';
}

/** Writes data as the command's -o asks; `table` writes what `table()` renders. */
export function emit(cmd: Command, env: CliEnv, data: unknown, table: () => string): void {
  env.io.stdout.write(renderOutput(outputFormat(cmd), data, table));
}

/** kubectl's empty-list behaviour: nothing on stdout for tables, a note on stderr. */
export function emitList(
  cmd: Command,
  env: CliEnv,
  items: readonly unknown[],
  what: string,
  table: () => string,
): void {
  if (items.length === 0 && outputFormat(cmd) === 'table') {
    env.io.stderr.write(`No ${what} found.\n`);
    return;
  }
  emit(cmd, env, items, table);
}

/** Reads a YAML or JSON file (JSON is YAML) for --plan-file and --values-file. */
export async function readDataFile(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(`${flag}: cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return parse(text);
  } catch (error) {
    throw usageError(`${flag}: ${path} is not valid YAML or JSON: ${(error as Error).message}`);
  }
}

/** Collects a repeatable flag's values (`--label a=1 --label b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
