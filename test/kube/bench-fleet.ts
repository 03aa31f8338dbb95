/**
 * Measures what bench/kube.md reports: per-cluster warm start time, memory
 * (RSS and PSS, summed over each cluster's processes), idle CPU, and how long a
 * Deployment takes to become Available in every cluster at once.
 *
 *   npx tsx test/kube/bench-fleet.ts [--clusters 3] [--idle-seconds 60]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { type FleetCluster, kubectl, processesUnder, startFleet } from './fleet.js';

interface ProcMem {
  pid: number;
  name: string;
  rssKiB: number;
  pssKiB: number;
}

function procMem(pid: number): ProcMem | undefined {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const field = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? '0');
    return { pid, name, rssKiB: field('Rss'), pssKiB: field('Pss') };
  } catch {
    return undefined;
  }
}

function cpuTicks(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      // Fields after the parenthesised comm: utime is field 14, stime 15 (1-based).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(rest[11]) + Number(rest[12]);
    } catch {
      /* exited */
    }
  }
  return total;
}

const mib = (kib: number): number => Math.round(kib / 1024);

async function deploymentAvailable(kubectlBin: string, c: FleetCluster, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  const manifest = JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bench', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'bench' } },
      template: {
        metadata: { labels: { app: 'bench' } },
        spec: { containers: [{ name: 'app', image: 'fleetwave/bench:1' }] },
      },
    },
  });
  const { spawn } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => {
    const p = spawn(
      kubectlBin,
      ['--kubeconfig', c.kubeconfigPath, 'apply', '--server-side', '--field-manager', 'bench', '-f', '-'],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply exit ${code}`))));
    p.stdin.end(manifest);
  });
  for (;;) {
    const out = await kubectl({ kubectl: kubectlBin }, c, [
      'get',
      'deployment',
      'bench',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Available")].status}',
    ]);
    if (out.trim() === 'True') return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${c.name}: bench deployment not Available`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '3' },
      'idle-seconds': { type: 'string', default: '60' },
    },
  });
  const clusters = Number(values.clusters);
  const idleSeconds = Number(values['idle-seconds']);
  const t0 = Date.now();
  const fleet = await startFleet({ clusters, namePrefix: 'bench' });
  try {
    const totalStart = Date.now() - t0;
    // Let controllers settle before measuring memory and idle CPU.
    await new Promise((r) => setTimeout(r, 15_000));
    const rows = fleet.clusters.map((c) => {
      const dir = path.join(fleet.workdir, 'clusters', c.name);
      const procs = processesUnder(dir)
        .map(procMem)
        .filter((p): p is ProcMem => p !== undefined);
      return {
        name: c.name,
        startupS: +(c.startupMs / 1000).toFixed(1),
        rssMiB: mib(procs.reduce((a, p) => a + p.rssKiB, 0)),
        pssMiB: mib(procs.reduce((a, p) => a + p.pssKiB, 0)),
        byProcessPssMiB: Object.fromEntries(procs.map((p) => [p.name, mib(p.pssKiB)])),
      };
    });
    const pids = processesUnder(fleet.workdir);
    const hz = 100; // USER_HZ on Linux
    const before = cpuTicks(pids);
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const idleCpuPct = ((cpuTicks(pids) - before) / hz / idleSeconds) * 100;
    const availStart = Date.now();
    const perCluster = await Promise.all(
      fleet.clusters.map((c) => deploymentAvailable(fleet.binaries.kubectl, c, 120_000)),
    );
    const result = {
      clusters,
      totalStartS: +(totalStart / 1000).toFixed(1),
      perCluster: rows,
      totalRssMiB: rows.reduce((a, r) => a + r.rssMiB, 0),
      totalPssMiB: rows.reduce((a, r) => a + r.pssMiB, 0),
      idleCpuPercentOfOneCore: +idleCpuPct.toFixed(1),
      deploymentAvailableAllS: +((Date.now() - availStart) / 1000).toFixed(1),
      deploymentAvailableMaxS: +(Math.max(...perCluster) / 1000).toFixed(1),
      loadavg: readFileSync('/proc/loadavg', 'utf8').trim(),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await fleet.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-fleet: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
