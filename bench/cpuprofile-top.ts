// The heaviest frames of a V8 CPU profile (node --cpu-prof): self time (bottom-up) and total time
// (top-down: a frame and everything it called), as markdown tables for bench/README.md.
//
// Usage: npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [<query>.window.json...] [--top 20]
// With windows (bench/graphql.ts --cpu-prof writes one per query), one table set per window, of the
// samples taken while that query's load ran; without, the whole profile.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Only samples taken in this window (CLOCK_MONOTONIC µs, as bench/graphql.ts writes it). */
interface Window {
  from: number;
  to: number;
}

/** `name (package or file:line)`, short enough for a table. */
function frameName({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
  const where = pkg ?? (file.startsWith('node:') ? file : path.basename(file));
  return `${name} (${where}:${lineNumber + 1})`;
}

/** Layers a sample is charged to: the innermost frame that matches one (leaf first), else "other". */
const LAYERS: [string, RegExp][] = [
  ['garbage collection', /^\(garbage collector\)/],
  ['engine: decide, buildDetail', /^(decide|buildDetail|snapshotOf) \(/],
  ['TypeORM entity hydration', /\(typeorm:/],
  ['pg: decoding rows', /\((pg|pg-protocol|postgres-date|pg-types):/],
  ['GraphQL execution', /\((graphql|graphql-jit|@nestjs\/graphql|mercurius):/],
  ['HTTP: serialise and write', /\((fastify|fast-json-stringify):|^(writev|writeBuffer|writeUtf8String)$/],
];

export function summarise(profile: CpuProfile, window?: Window) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const layers = new Map<string, number>();
  let all = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (window !== undefined && (at < window.from || at > window.to)) return;
    const name = frameName(byId.get(id)!.callFrame);
    if (name === '(idle)' || name === '(program)') return;
    all += us;
    self.set(name, (self.get(name) ?? 0) + us);
    // Each frame once per sample, however deep its recursion.
    const seen = new Set<string>();
    let layer: string | undefined;
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = frameName(byId.get(node)!.callFrame);
      layer ??= LAYERS.find(([, pattern]) => pattern.test(frame))?.[0];
      if (seen.has(frame)) continue;
      seen.add(frame);
      total.set(frame, (total.get(frame) ?? 0) + us);
    }
    layers.set(layer ?? 'other', (layers.get(layer ?? 'other') ?? 0) + us);
  });
  return { all, self, total, layers };
}

function table(title: string, rows: Map<string, number>, all: number, top: number): string {
  const sorted = [...rows.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `| ${title} | ms | % of busy |`,
    '| --- | --- | --- |',
    ...sorted.map(
      ([name, us]) => `| \`${name}\` | ${(us / 1000).toFixed(0)} | ${((us / all) * 100).toFixed(1)} |`,
    ),
  ].join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '20' } },
  });
  const top = Number(values.top);
  const [file, ...windowFiles] = positionals;
  if (file === undefined)
    throw new Error('usage: cpuprofile-top.ts <file.cpuprofile> [<query>.window.json...]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const windows = windowFiles.map((w) => ({
    title: path.basename(w, '.window.json'),
    window: JSON.parse(readFileSync(w, 'utf8')) as Window,
  }));
  for (const { title, window } of windows.length > 0
    ? windows
    : [{ title: path.basename(file), window: undefined }]) {
    const { all, self, total, layers } = summarise(profile, window);
    const span =
      window === undefined ? 'whole run' : `${((window.to - window.from) / 1e6).toFixed(1)} s of load`;
    console.log(`### ${title}: ${(all / 1000).toFixed(0)} ms busy (${span})\n`);
    console.log(table('layer (innermost frame)', layers, all, LAYERS.length + 1) + '\n');
    console.log(table('self time (bottom-up)', self, all, top) + '\n');
    console.log(table('total time (top-down)', total, all, top) + '\n');
  }
}

main();
