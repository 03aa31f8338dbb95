/**
 * Shell entry for the fleet harness.
 *
 *   npx tsx test/kube/fleet-cli.ts build
 *   npx tsx test/kube/fleet-cli.ts start [--clusters 3] [--nodes 1] [--prefix fleet] [--state FILE]
 *   npx tsx test/kube/fleet-cli.ts status [--state FILE]
 *   npx tsx test/kube/fleet-cli.ts stop   [--state FILE]
 *   npx tsx test/kube/fleet-cli.ts stop --all        # every fleetwave-kwok-* workdir in the temp dir
 *
 * `start` leaves the clusters running after it exits, prints the fleet as JSON
 * on stdout and records it in the state file (default
 * ${FLEETWAVE_CACHE_DIR:-<repo>/.cache}/kube/fleet.json) for `stop`.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  ensureKubeBinaries,
  fleetFromState,
  killProcessesUnder,
  kubeBinDir,
  processRss,
  readFleetState,
  startFleet,
  stopFleet,
  strayFleetWorkdirs,
  writeFleetState,
} from './fleet.js';

const USAGE = `usage: fleet-cli.ts <build|start|status|stop> [options]
  start  --clusters N (default 3)  --nodes N (default 1)  --prefix NAME (default fleet)  --state FILE
  status --state FILE
  stop   --state FILE | --all`;

function defaultStateFile(): string {
  return path.join(path.dirname(kubeBinDir()), 'fleet.json');
}

function positiveInt(raw: string | undefined, fallback: number, flag: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer, got ${raw}`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      clusters: { type: 'string' },
      nodes: { type: 'string' },
      prefix: { type: 'string' },
      state: { type: 'string' },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  const stateFile = path.resolve(values.state ?? defaultStateFile());

  switch (command) {
    case 'build': {
      const b = await ensureKubeBinaries();
      process.stdout.write(`${JSON.stringify(b, null, 2)}\n`);
      return 0;
    }
    case 'start': {
      if (existsSync(stateFile)) {
        throw new Error(`${stateFile} exists: a fleet may be running; run 'stop' first (or pass --state)`);
      }
      const fleet = await startFleet({
        clusters: positiveInt(values.clusters, 3, '--clusters'),
        nodesPerCluster: positiveInt(values.nodes, 1, '--nodes'),
        namePrefix: values.prefix,
        exitSafetyNet: false, // the fleet must outlive this process
      });
      await writeFleetState(stateFile, fleet);
      process.stdout.write(
        `${JSON.stringify({ stateFile, workdir: fleet.workdir, kubeconfig: fleet.kubeconfigPath, clusters: fleet.clusters }, null, 2)}\n`,
      );
      process.stderr.write(
        `fleet running; e.g.  ${path.join(fleet.binaries.binDir, 'kubectl')} --kubeconfig ${fleet.kubeconfigPath} --context ${fleet.clusters[0]?.context ?? ''} get nodes\n` +
          `stop it with:  npx tsx test/kube/fleet-cli.ts stop${values.state ? ` --state ${stateFile}` : ''}\n`,
      );
      return 0;
    }
    case 'status': {
      const state = await readFleetState(stateFile);
      const procs = processRss(state.workdir);
      const totalMiB = procs.reduce((a, p) => a + p.rssKiB, 0) / 1024;
      process.stdout.write(
        `${JSON.stringify({ ...state, processes: procs, totalRssMiB: Math.round(totalMiB) }, null, 2)}\n`,
      );
      return 0;
    }
    case 'stop': {
      if (values.all) {
        const dirs = strayFleetWorkdirs();
        for (const dir of dirs) {
          const left = await killProcessesUnder(dir);
          await rm(dir, { recursive: true, force: true });
          process.stderr.write(
            `removed ${dir}${left.length ? ` (pids still alive: ${left.join(' ')})` : ''}\n`,
          );
        }
        await rm(stateFile, { force: true });
        process.stderr.write(`stopped ${dirs.length} fleet workdir(s)\n`);
        return 0;
      }
      if (!existsSync(stateFile)) {
        process.stderr.write(`no fleet state at ${stateFile}; nothing to stop (try --all)\n`);
        return 0;
      }
      await stopFleet(fleetFromState(await readFleetState(stateFile)));
      await rm(stateFile, { force: true });
      return 0;
    }
    default:
      process.stderr.write(`unknown command ${command}\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fleet-cli: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
