import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type AssignmentsResponse, AssignmentsResponseSchema, bundleDigest } from '@fleetwave/contracts';

/**
 * The last good assignments and the bundles they name, on local disk, so the agent keeps its
 * cluster on the assigned revision while the hub is away (and after a restart without the hub).
 * Writes are atomic (temp file + rename); reads verify the digest again.
 */
export class BundleCache {
  constructor(private readonly dir: string) {}

  async saveAssignments(assignments: AssignmentsResponse): Promise<void> {
    await this.write('assignments.json', JSON.stringify(assignments));
  }

  async loadAssignments(): Promise<AssignmentsResponse | undefined> {
    const text = await this.read('assignments.json');
    if (text === undefined) return undefined;
    const parsed = AssignmentsResponseSchema.safeParse(safeJson(text));
    return parsed.success ? parsed.data : undefined;
  }

  async saveBundle(digest: string, manifests: string): Promise<void> {
    await this.write(fileFor(digest), manifests);
  }

  /** The cached manifests, or undefined when absent or corrupted (a corrupted file is ignored). */
  async loadBundle(digest: string): Promise<string | undefined> {
    const manifests = await this.read(fileFor(digest));
    return manifests !== undefined && bundleDigest(manifests) === digest ? manifests : undefined;
  }

  private async write(name: string, content: string): Promise<void> {
    await mkdir(path.join(this.dir, 'bundles'), { recursive: true });
    const target = path.join(this.dir, name);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, content, 'utf8');
    await rename(temp, target);
  }

  private async read(name: string): Promise<string | undefined> {
    try {
      return await readFile(path.join(this.dir, name), 'utf8');
    } catch {
      return undefined;
    }
  }
}

function fileFor(digest: string): string {
  return path.join('bundles', `${digest.replace(/^sha256:/, '')}.yaml`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
