import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type RevisionSource } from './renderer.js';

/** A file's path relative to the application's root, or undefined when it lies outside. */
export function relativePath(source: RevisionSource, filePath: string): string | undefined {
  if (source.root === '') return filePath;
  return filePath.startsWith(`${source.root}/`) ? filePath.slice(source.root.length + 1) : undefined;
}

/** The source's file at `relative` (to the root), if any. */
export function fileAt(source: RevisionSource, relative: string): Buffer | undefined {
  const wanted = source.root === '' ? relative : `${source.root}/${relative}`;
  const file = source.files.find((f) => f.path === wanted);
  return file === undefined ? undefined : Buffer.from(file.content);
}

/**
 * Writes the source's files under `dir`, relative to the application's root. Artifact paths come
 * from git trees, which never hold `..` or absolute entries; they are checked again here because a
 * path escaping `dir` would write outside the sandbox.
 */
export async function writeSource(source: RevisionSource, dir: string): Promise<void> {
  const root = path.resolve(dir);
  for (const file of source.files) {
    const relative = relativePath(source, file.path);
    if (relative === undefined) continue;
    const target = path.resolve(root, relative);
    if (!target.startsWith(`${root}${path.sep}`))
      throw new Error(`artifact path escapes the work directory: ${file.path}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}
