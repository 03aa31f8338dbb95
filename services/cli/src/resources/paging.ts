/** A Relay connection page as the hub sends it. */
export interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

/** Follows `after` cursors until the last page, or until `limit` items were read. */
export async function readAllPages<T>(
  fetchPage: (after: string | null, first: number) => Promise<Connection<T>>,
  pageSize: number,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after, Math.min(pageSize, limit - items.length));
    items.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null || items.length >= limit) return items;
    after = page.pageInfo.endCursor;
  }
}
