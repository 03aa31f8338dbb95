import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { harnessFile } from './paths.js';

/** Fails with a clear message when a tool the harness needs is not installed. */
export function requireTool(command: string, versionArgs: string[], hint: string): void {
  const result = spawnSync(command, versionArgs, { stdio: 'ignore' });
  if (result.error || result.status !== 0) {
    throw new Error(`\`${command}\` is required but was not found or does not run. ${hint}`);
  }
}

/**
 * Ties a server process to this Node process: if we die without tearing down (SIGKILL, CI timeout),
 * a detached watchdog stops the server so no stray java or postgres survives the run.
 */
export function guardChild(targetPid: number, signal: 'TERM' | 'INT' = 'TERM'): void {
  const watchdog = spawn(harnessFile('watchdog.sh'), [String(process.pid), String(targetPid), signal], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

export interface ManagedProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  /** The last lines the process wrote, for error messages. */
  logTail(lines?: number): string;
  /** Resolves once the process has exited (at once if it already has). */
  exited(): Promise<void>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function startManagedProcess(
  command: string,
  args: string[],
  options: { logFile: string; cwd?: string; env?: NodeJS.ProcessEnv },
): ManagedProcess {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  guardChild(child.pid);

  const exit = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // 'exit' can come before the last output is read from the pipes: end the log only on 'close'
  // (both pipes drained), or a late chunk writes after end and crashes the test runner.
  child.once('close', () => log.end());
  log.on('error', () => undefined);

  return {
    child,
    logFile: options.logFile,
    logTail(lines = 30) {
      try {
        return readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    exited: () => exit,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
