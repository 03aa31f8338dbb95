/** What one batch response carries: digests in the order asked, split three ways. */
export interface BundleBatchPlan {
  serve: string[];
  unavailable: string[];
  deferred: string[];
}

/** Bytes of manifests one batch response carries at most (one bigger bundle still goes, alone). */
export const BUNDLE_BATCH_BUDGET_BYTES = 8 * 1024 * 1024;

/**
 * Splits the digests a cluster asked for: those it may read and the hub stores (`sizes`, manifests'
 * bytes by digest) are served in the order asked until the next would pass `budgetBytes`; the rest
 * of those are deferred to another request (the first is always served, so every request makes
 * progress); digests not in `sizes` are unavailable, as a single fetch would answer 404.
 */
export function planBundleBatch(
  asked: readonly string[],
  sizes: ReadonlyMap<string, number>,
  budgetBytes: number = BUNDLE_BATCH_BUDGET_BYTES,
): BundleBatchPlan {
  const plan: BundleBatchPlan = { serve: [], unavailable: [], deferred: [] };
  let bytes = 0;
  for (const digest of asked) {
    const size = sizes.get(digest);
    if (size === undefined) plan.unavailable.push(digest);
    else if (plan.deferred.length > 0 || (plan.serve.length > 0 && bytes + size > budgetBytes))
      plan.deferred.push(digest);
    else {
      plan.serve.push(digest);
      bytes += size;
    }
  }
  return plan;
}
