import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';

/** The only code that queries the bundle table: rendered manifests, stored by their sha256 digest. */
@Injectable()
export class BundlesRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  /** Content-addressed: storing the same digest twice is a no-op. */
  async store(tx: EntityManager, bundles: ReadonlyMap<string, string>): Promise<void> {
    if (bundles.size === 0) return;
    const digests = [...bundles.keys()];
    const manifests = digests.map((d) => bundles.get(d)!);
    await tx.query(
      `INSERT INTO bundle (digest, manifests, size)
       SELECT d, m, octet_length(m) FROM unnest($1::text[], $2::text[]) AS v(d, m)
       ON CONFLICT (digest) DO NOTHING`,
      [digests, manifests],
    );
  }

  async find(digest: string): Promise<string | null> {
    const rows = await this.transactions.manager.query<{ manifests: string }[]>(
      `SELECT manifests FROM bundle WHERE digest = $1`,
      [digest],
    );
    return rows[0]?.manifests ?? null;
  }
}
