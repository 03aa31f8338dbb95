import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../harness/paths.js';
import { TEST_ADMIN_TOKEN } from './hub.js';

export interface FleetctlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The fleetctl bin in a process of its own (its sources through tsx: no build needed) against a test
 * hub as the bootstrap admin, its config file under `configDir`. Never throws: the exit code is in
 * the result.
 */
export function fleetctlAgainst(
  hub: { url: string },
  configDir: string,
): (...args: string[]) => Promise<FleetctlResult> {
  return (...args) =>
    new Promise((resolve) =>
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          'services/cli/src/main.ts',
          '--hub',
          hub.url,
          '--token',
          TEST_ADMIN_TOKEN,
          ...args,
        ],
        { cwd: repoRoot, env: { ...process.env, FLEETCTL_CONFIG: join(configDir, 'fleetctl.json') } },
        (error, stdout, stderr) =>
          resolve({
            code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
            stdout,
            stderr,
          }),
      ),
    );
}
