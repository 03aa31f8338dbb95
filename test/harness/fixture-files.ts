import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Every file under `dir` as `{ '<prefix><relative path>': text }`, the shape LocalRepo.commit takes:
 * a fixture tree committed as it is, or with a few files changed first.
 */
export function fixtureFiles(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[`${prefix}${path.relative(dir, full)}`] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}
