import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { type Collected, collectUnreferenced } from '../database/unreferenced.js';

/**
 * The bundles still referenced at `$1` (the retention cutoff), the garbage collector's rule: what a
 * cluster is assigned now (`cluster_assignment`, which also holds a foreign key: an assigned bundle
 * cannot be deleted at all), and every bundle a rollout that is unfinished, or finished at or after
 * the cutoff, targets, assigned or would roll back to (`previous_digest`: a rollback without a commit
 * returns each cluster to exactly that bundle).
 */
const REFERENCED_BUNDLES = `
  SELECT digest FROM cluster_assignment
  UNION
  SELECT unnest(ARRAY[rc.target_digest, rc.digest_assigned, rc.previous_digest])
    FROM rollout r JOIN rollout_cluster rc ON rc.rollout_id = r.id
   WHERE r.finished_at IS NULL OR r.finished_at >= $1`;

/** The only code that queries the bundle table: rendered manifests, stored by their sha256 digest. */
@Injectable()
export class BundlesRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  /**
   * Content-addressed: storing the same digest twice is a no-op. Bundles already stored are locked
   * (`FOR KEY SHARE`) until `tx` commits, so the garbage collector cannot remove one this transaction
   * is about to reference; one it removed just before is stored again.
   */
  async store(tx: EntityManager, bundles: ReadonlyMap<string, string>): Promise<void> {
    if (bundles.size === 0) return;
    const stored = await this.lockExisting(tx, [...bundles.keys()]);
    const digests = [...bundles.keys()].filter((d) => !stored.has(d));
    if (digests.length === 0) return;
    const manifests = digests.map((d) => bundles.get(d)!);
    await tx.query(
      `INSERT INTO bundle (digest, manifests, size)
       SELECT d, m, octet_length(m) FROM unnest($1::text[], $2::text[]) AS v(d, m)
       ON CONFLICT (digest) DO NOTHING`,
      [digests, manifests],
    );
  }

  /** Which of `digests` are stored, each locked against collection until `tx` commits. */
  async lockExisting(tx: EntityManager, digests: readonly string[]): Promise<Set<string>> {
    if (digests.length === 0) return new Set();
    const rows = await tx.query<{ digest: string }[]>(
      `SELECT digest FROM bundle WHERE digest = ANY($1::text[]) ORDER BY digest FOR KEY SHARE`,
      [digests],
    );
    return new Set(rows.map((r) => r.digest));
  }

  /** The bundle a render of `key` produced (bundle-renderer.ts), if one was recorded. */
  async findRenderedDigest(key: string): Promise<string | null> {
    const rows = await this.transactions.manager.query<{ digest: string }[]>(
      `SELECT digest FROM render_cache WHERE key = $1`,
      [key],
    );
    return rows[0]?.digest ?? null;
  }

  /**
   * Records a render: its bundle (content-addressed, so storing it again is a no-op) and which key
   * produced it, in one transaction. A bundle no rollout references yet is the collector's after the
   * retention period like any other; the key then misses and renders again.
   */
  async storeRendered(key: string, renderer: string, digest: string, manifests: string): Promise<void> {
    await this.transactions.manager.transaction(async (tx) => {
      await this.store(tx, new Map([[digest, manifests]]));
      await tx.query(
        `INSERT INTO render_cache (key, renderer, digest) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET digest = EXCLUDED.digest`,
        [key, renderer, digest],
      );
    });
  }

  async find(digest: string): Promise<string | null> {
    const rows = await this.transactions.manager.query<{ manifests: string }[]>(
      `SELECT manifests FROM bundle WHERE digest = $1`,
      [digest],
    );
    return rows[0]?.manifests ?? null;
  }

  /** The manifests' bytes of those of `digests` that are stored. */
  async sizes(digests: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.transactions.manager.query<{ digest: string; size: number }[]>(
      `SELECT digest, size FROM bundle WHERE digest = ANY($1::text[])`,
      [digests],
    );
    return new Map(rows.map((r) => [r.digest, Number(r.size)]));
  }

  /** The manifests of those of `digests` that are stored, in one read. */
  async findMany(digests: readonly string[]): Promise<Map<string, string>> {
    if (digests.length === 0) return new Map();
    const rows = await this.transactions.manager.query<{ digest: string; manifests: string }[]>(
      `SELECT digest, manifests FROM bundle WHERE digest = ANY($1::text[])`,
      [digests],
    );
    return new Map(rows.map((r) => [r.digest, r.manifests]));
  }

  /**
   * Deletes up to `limit` bundles stored before `cutoff` that nothing references
   * ({@link REFERENCED_BUNDLES}), oldest first, in `tx` (the locking protocol: {@link collectUnreferenced}).
   */
  collect(tx: EntityManager, cutoff: Date, limit: number): Promise<Collected> {
    return collectUnreferenced(tx, 'bundle', REFERENCED_BUNDLES, [cutoff], limit);
  }
}
