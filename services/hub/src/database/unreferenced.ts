import { type EntityManager } from 'typeorm';

/** What one collection batch removed. */
export interface Collected {
  rows: number;
  bytes: number;
}

/**
 * The garbage collector's protocol for a content-addressed table (`digest` primary key,
 * `created_at`), in `tx`: up to `limit` rows stored before the cutoff (`$1` of `referenced`) whose
 * digest `referenced` (SQL selecting `digest`, with `params`) does not name, oldest first, locked
 * (`FOR UPDATE SKIP LOCKED`: a row a writer holds is skipped), then checked again with a fresh
 * snapshot, so a reference committed between the two statements keeps its row. The rows left
 * stay locked (no new reference through a foreign key can be made until `tx` ends): `beforeDelete`
 * gets their digests (to unlink rows pointing at them), then they are deleted (`size` summed).
 */
export async function collectUnreferenced(
  tx: EntityManager,
  table: 'bundle' | 'artifact',
  referenced: string,
  params: readonly unknown[],
  limit: number,
  beforeDelete: (digests: string[]) => Promise<void> = async () => undefined,
): Promise<Collected> {
  const next = `$${params.length + 1}`;
  const unreferenced = `NOT EXISTS (SELECT 1 FROM referenced k WHERE k.digest = t.digest)`;
  const candidates = await tx.query<{ digest: string }[]>(
    `WITH referenced AS (${referenced})
     SELECT t.digest FROM ${table} t WHERE t.created_at < $1 AND ${unreferenced}
      ORDER BY t.created_at LIMIT ${next}
      FOR UPDATE OF t SKIP LOCKED`,
    [...params, limit],
  );
  if (candidates.length === 0) return { rows: 0, bytes: 0 };
  const rows = await tx.query<{ digest: string }[]>(
    `WITH referenced AS (${referenced})
     SELECT t.digest FROM ${table} t WHERE t.digest = ANY(${next}::text[]) AND ${unreferenced}`,
    [...params, candidates.map((c) => c.digest)],
  );
  const digests = rows.map((r) => r.digest);
  if (digests.length === 0) return { rows: 0, bytes: 0 };
  await beforeDelete(digests);
  const [deleted] = await tx.query<[{ size: number }[], number]>(
    `DELETE FROM ${table} WHERE digest = ANY($1::text[]) RETURNING size`,
    [digests],
  );
  return { rows: deleted.length, bytes: deleted.reduce((sum, row) => sum + row.size, 0) };
}
