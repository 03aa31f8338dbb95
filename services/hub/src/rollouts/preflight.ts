import { Inject, Injectable } from '@nestjs/common';
import { AssignmentsRepository } from '../assignments/assignments.repository.js';
import { type RenderedTargets } from '../bundles/bundle-renderer.js';
import { type DiffGroup, groupedDiff, objectCount } from '../bundles/bundle-diff.js';
import { BundlesRepository } from '../bundles/bundles.repository.js';

/** One distinct bundle a rollout would assign. */
export interface PreviewBundle {
  digest: string;
  clusters: number;
  objects: number;
}

/**
 * The pre-flight view of a rollout before it starts: each distinct bundle it would assign, and what
 * changes on each cluster from the bundle it has now to its new one, object by object, with
 * identical diffs grouped. Reads only.
 */
@Injectable()
export class Preflight {
  constructor(
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(BundlesRepository) private readonly bundles: BundlesRepository,
  ) {}

  bundlesOf(rendered: Pick<RenderedTargets, 'digests' | 'bundles'>): PreviewBundle[] {
    const counts = new Map<string, number>();
    for (const digest of rendered.digests.values()) counts.set(digest, (counts.get(digest) ?? 0) + 1);
    return [...counts]
      .map(([digest, clusters]) => ({
        digest,
        clusters,
        objects: objectCount(rendered.bundles.get(digest) ?? ''),
      }))
      .sort((a, b) => b.clusters - a.clusters || a.digest.localeCompare(b.digest));
  }

  async diff(
    applicationId: string,
    members: readonly { id: string; name: string }[],
    rendered: Pick<RenderedTargets, 'digests' | 'bundles'>,
  ): Promise<DiffGroup[]> {
    const current = await this.assignments.bundlesOf(applicationId);
    const manifests = new Map(rendered.bundles);
    const moves = members.flatMap((m) => {
      const after = rendered.digests.get(m.id);
      return after === undefined
        ? []
        : [{ cluster: m.name, before: current.get(m.id)?.digest ?? null, after }];
    });
    for (const digest of new Set(moves.flatMap((m) => (m.before === null ? [] : [m.before])))) {
      if (!manifests.has(digest)) manifests.set(digest, (await this.bundles.find(digest)) ?? '');
    }
    return groupedDiff(moves, manifests);
  }
}
