// Running the project's images with podman on these machines, for the benchmarks: the flags this
// VM needs (docs/operating.md, "Container images") and a container's memory from its cgroup.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../test/kube/fleet.js';

/** crun refuses this VM's hybrid cgroups; podman's default rlimits need CAP_SYS_RESOURCE. */
export const PODMAN_RUN_FLAGS = [
  '--runtime',
  'runc',
  '--ulimit',
  'nofile=4096:4096',
  '--ulimit',
  'nproc=4096:4096',
] as const;

/** The process id on this machine of a running container's PID 1. */
export async function containerPid(name: string): Promise<number> {
  const { stdout } = await run('podman', ['inspect', '--format', '{{.State.Pid}}', name]);
  return Number(stdout.trim());
}

/**
 * The memory of the cgroup (v1) a process is in, in MiB: its usage, the working set the kubelet
 * compares with a container's limit (usage less inactive file pages), and the anonymous memory
 * (heaps and stacks: what the processes themselves allocated). File pages, such as the shared
 * libraries', count only in the cgroup that first read them, so usage and working set depend on
 * what ran before; the anonymous memory does not.
 */
export async function cgroupMemoryMiB(
  pid: number,
): Promise<{ usageMiB: number; workingSetMiB: number; anonMiB: number }> {
  const cgroups = await readFile(`/proc/${pid}/cgroup`, 'utf8');
  const memoryPath = /^\d+:memory:(.*)$/m.exec(cgroups)?.[1];
  if (memoryPath === undefined) throw new Error(`process ${pid} is in no memory cgroup (v1):\n${cgroups}`);
  const dir = path.join('/sys/fs/cgroup/memory', memoryPath);
  const usage = Number(await readFile(path.join(dir, 'memory.usage_in_bytes'), 'utf8'));
  const stat = await readFile(path.join(dir, 'memory.stat'), 'utf8');
  const inactiveFile = Number(/^total_inactive_file (\d+)$/m.exec(stat)?.[1] ?? 0);
  const mib = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);
  const anon = Number(/^total_rss (\d+)$/m.exec(stat)?.[1] ?? NaN);
  return { usageMiB: mib(usage), workingSetMiB: mib(usage - inactiveFile), anonMiB: mib(anon) };
}

/** A locally built image's size in bytes (uncompressed, as `podman images` counts it). */
export async function imageSize(ref: string): Promise<number> {
  const { stdout } = await run('podman', ['image', 'inspect', '--format', '{{.Size}}', ref]);
  return Number(stdout.trim());
}
