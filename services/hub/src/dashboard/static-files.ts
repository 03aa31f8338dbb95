import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every regular file under `root`, relative to it with forward slashes; undefined when `root` is
 * not a directory. Dotfiles and dot-directories are left out.
 */
export async function listStaticFiles(root: string): Promise<Set<string> | undefined> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const relative = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep);
    if (relative.some((part) => part.startsWith('.'))) continue;
    files.add(relative.join('/'));
  }
  return files;
}
