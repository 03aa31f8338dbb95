import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so the harness works from any working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where heavy, reproducible downloads and builds live (Kafka jars, kube binaries). Git-ignored.
 * FLEETWAVE_CACHE_DIR lets several clones of the repository share one cache.
 */
export function cacheDir(...parts: string[]): string {
  const base = process.env.FLEETWAVE_CACHE_DIR ?? path.join(repoRoot, '.cache');
  return path.join(base, ...parts);
}

export function harnessFile(...parts: string[]): string {
  const file = path.join(repoRoot, 'test', 'harness', ...parts);
  if (!existsSync(file)) throw new Error(`harness file missing: ${file}`);
  return file;
}

/** The agent's launcher (its production V8 settings; see services/agent/bin/fleetwave-agent). */
export const agentBin = path.join(repoRoot, 'services/agent/bin/fleetwave-agent');

/** The built fleetctl (`npm run build`), as a user runs it: `node services/cli/dist/main.js …`. */
export const fleetctlMain = path.join(repoRoot, 'services/cli/dist/main.js');
