// Top-down summary of a V8 CPU profile (.cpuprofile, e.g. from `bench/sim/main.ts --cpu-prof DIR`):
// self time by function and by package, as the tables in bench/README.md show them.
//
// Usage: npx tsx bench/sim/profile-top.ts <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a frame's code comes from: a package under node_modules, node itself, the hub, or V8. */
export function origin(url: string, name: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node (core)';
  if (url.includes('/services/hub/')) return 'hub';
  if (url === '') return `(${name || 'anonymous'})`;
  return url;
}

export function summarise(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const frames = new Map<string, number>();
  const origins = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = origin(url, functionName);
    const frame = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/services\//, 'services/')}:${lineNumber + 1}` : ''}`;
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    origins.set(where, (origins.get(where) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1)} %`;
  const table = (title: string, rows: Map<string, number>) =>
    [`| ${title} | self | share |`, '| --- | --- | --- |']
      .concat(
        [...rows]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([k, us]) => `| \`${k.trim()}\` | ${(us / 1000).toFixed(0)} ms | ${pct(us)} |`),
      )
      .join('\n');
  const wall = (profile.endTime - profile.startTime) / 1e6;
  const idle = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)');
  const idleUs = idle.reduce((n, [, us]) => n + us, 0);
  return [
    `profile: ${wall.toFixed(1)} s wall, ${((total - idleUs) / 1e6).toFixed(2)} s on the main thread (${(((total - idleUs) / 1e6 / wall) * 100).toFixed(1)} % of a core)`,
    '',
    table('by origin', origins),
    '',
    table('frame', frames),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [--top 25]');
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(values.top)));
}
