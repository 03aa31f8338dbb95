import path from 'node:path';
import { run } from '../../../services/cli/src/cli.js';

/**
 * fleetctl run in this process (as its bin does), with its config file and HOME in the work
 * directory `workDir()` gives: returns its stdout once it exited 0, and throws with its stderr
 * otherwise.
 */
export function inProcessFleetctl(workDir: () => string): (...argv: string[]) => Promise<string> {
  return async (...argv) => {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, {
      stdout: { write: (text: string) => (stdout += text), isTTY: false },
      stderr: { write: (text: string) => (stderr += text) },
      env: { FLEETCTL_CONFIG: path.join(workDir(), 'fleetctl.yaml'), HOME: workDir() },
    });
    if (code !== 0) throw new Error(`fleetctl ${argv.join(' ')} exited ${code}: ${stderr}`);
    return stdout;
  };
}
