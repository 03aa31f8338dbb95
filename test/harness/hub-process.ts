import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hubEnvFor } from './hub-config.js';
import { freePort } from './net.js';
import { repoRoot } from './paths.js';
import { type ManagedProcess, startManagedProcess } from './process.js';
import { StopWaiting, waitFor } from './wait-for.js';

export interface HubProcessOptions {
  databaseUrl: string;
  brokers: readonly string[];
  logFile: string;
  /** Further HUB_* settings (they win over the defaults here). */
  env?: Record<string, string>;
  port?: number;
  /** Another build of the hub's main.js (e.g. a "before" build for a benchmark comparison). */
  main?: string;
  /** Node options before main.js (e.g. `--cpu-prof` for a benchmark's profile). */
  nodeArgs?: string[];
}

/** A hub replica as its own OS process (the built services/hub/dist/main.js). */
export interface HubProcess {
  readonly url: string;
  readonly process: ManagedProcess;
  /** Resolves when /readyz answers 200; fails at once if the process exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** CPU seconds used so far (user + system) and resident memory now, from /proc. */
  usage(): { cpuSeconds: number; rssMiB: number };
  stop(): Promise<void>;
  /** SIGKILL: no shutdown hooks, no offset commits, no released locks. */
  kill(): Promise<void>;
}

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

export async function startHubProcess(options: HubProcessOptions): Promise<HubProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = startManagedProcess(
    'node',
    [...(options.nodeArgs ?? []), options.main ?? path.join(repoRoot, 'services/hub/dist/main.js')],
    {
      logFile: options.logFile,
      env: {
        ...process.env,
        ...hubEnvFor({ databaseUrl: options.databaseUrl, brokers: options.brokers, port }, options.env),
      },
    },
  );
  let exited = false;
  void child.exited().then(() => (exited = true));
  return {
    url,
    process: child,
    async ready(timeoutMs = 60_000) {
      await waitFor(
        async () => {
          if (exited) throw new StopWaiting(`the hub exited:\n${child.logTail()}`);
          return (await fetch(`${url}/readyz`).catch(() => undefined))?.ok === true;
        },
        { description: `hub ${url} ready`, timeoutMs, intervalMs: 50 },
      );
    },
    usage() {
      const pid = child.child.pid!;
      // /proc/<pid>/stat: fields 14 and 15 (utime, stime) after the parenthesised command name.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      return { cpuSeconds: ticks / CLOCK_TICKS, rssMiB: rssKiB / 1024 };
    },
    stop: () => child.stop('SIGTERM', 15_000),
    async kill() {
      child.child.kill('SIGKILL');
      await child.exited();
    },
  };
}
