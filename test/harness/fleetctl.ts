import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fleetctlMain } from './paths.js';

export interface FleetctlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built fleetctl against a hub, as its own process (the demo prints what it says; e2e tests
 * read it). Never throws for a non-zero exit: the code is in the result.
 */
export async function runFleetctl(
  hub: { url: string; token: string },
  args: readonly string[],
): Promise<FleetctlRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [fleetctlMain, '--hub', hub.url, '--token', hub.token, ...args],
      { timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}
