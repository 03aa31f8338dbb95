import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleDigest } from '@fleetwave/contracts';
import { BundleCache } from './bundle-cache.js';

describe('BundleCache (on a real temp dir)', () => {
  const dirs: string[] = [];
  const cache = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fw-cache-'));
    dirs.push(dir);
    return { dir, cache: new BundleCache(dir) };
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('round-trips assignments and bundles', async () => {
    const { cache: c } = await cache();
    const manifests = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n';
    const digest = bundleDigest(manifests);
    const assignments = {
      generation: 3,
      assignments: [
        {
          application: 'web',
          digest,
          commit: 'a'.repeat(40),
          prune: true,
          allowEmpty: false,
          progressDeadlineSeconds: 60,
          healthChecks: [],
          recreate: 'annotated' as const,
        },
      ],
      withdrawals: [],
    };
    await c.saveAssignments(assignments);
    await c.saveBundle(digest, manifests);

    expect(await c.loadAssignments()).toEqual(assignments);
    expect(await c.loadBundle(digest)).toBe(manifests);
  });

  it('keeps withdrawals with the assignments, and reads a file written before them as withdrawing nothing', async () => {
    const { dir, cache: c } = await cache();
    const assignments = {
      generation: 4,
      assignments: [],
      withdrawals: [
        { application: 'web', deletionPolicy: 'prune' as const },
        { application: 'api', deletionPolicy: 'orphan' as const },
      ],
    };
    await c.saveAssignments(assignments);
    // What a restarted agent finds while the hub is down: the tombstones it had received.
    expect(await new BundleCache(dir).loadAssignments()).toEqual(assignments);

    await writeFile(path.join(dir, 'assignments.json'), JSON.stringify({ generation: 2, assignments: [] }));
    expect(await c.loadAssignments()).toEqual({ generation: 2, assignments: [], withdrawals: [] });
  });

  it('answers undefined for what it does not have, and ignores a corrupted bundle', async () => {
    const { dir, cache: c } = await cache();
    const digest = bundleDigest('kind: A\n');
    expect(await c.loadAssignments()).toBeUndefined();
    expect(await c.loadBundle(digest)).toBeUndefined();

    await c.saveBundle(digest, 'kind: A\n');
    const [file] = await readdir(path.join(dir, 'bundles'));
    await writeFile(path.join(dir, 'bundles', file!), 'kind: Tampered\n');
    expect(await c.loadBundle(digest)).toBeUndefined();

    await writeFile(path.join(dir, 'assignments.json'), '{not json');
    expect(await c.loadAssignments()).toBeUndefined();
  });
});
