import type pg from 'pg';

/**
 * The simulator's bulk set-up (never the hub's path): copies applications the hub created, with
 * their revisions and their rollouts as the hub left them (waves, members, assignments), under new
 * names and ids, in one transaction. A scale run needs 1,000 applications with a rollout of 100
 * assignments each before it measures anything; through the API that set-up alone took 5–10 min
 * on a shared 2-vCPU machine, copying takes seconds. The copies are the same rows the hub wrote for
 * the templates, so whatever the hub does with them afterwards is its real path.
 */
export interface CloneRequest {
  /** The application to copy (created through the API, its rollout started and assigned). */
  template: string;
  /** Names of the copies. */
  names: readonly string[];
}

/** Tables copied, and how their rows are found and renamed: every other column is copied as is. */
const TABLES: readonly { table: string; from: string; set: Record<string, string> }[] = [
  {
    table: 'application',
    from: 'application t JOIN app_map m ON t.id = m.old_id',
    set: { id: 'm.new_id', name: 'm.new_name' },
  },
  {
    table: 'revision',
    from: 'revision t JOIN app_map m ON t.application_id = m.old_id',
    set: { application_id: 'm.new_id' },
  },
  {
    table: 'rollout',
    from: 'rollout t JOIN rollout_map r ON t.id = r.old_id',
    set: { id: 'r.new_id', application_id: 'r.new_app' },
  },
  {
    table: 'rollout_wave',
    from: 'rollout_wave t JOIN rollout_map r ON t.rollout_id = r.old_id',
    set: { rollout_id: 'r.new_id' },
  },
  {
    table: 'rollout_cluster',
    from: 'rollout_cluster t JOIN rollout_map r ON t.rollout_id = r.old_id',
    set: { rollout_id: 'r.new_id' },
  },
  {
    table: 'cluster_assignment',
    from: 'cluster_assignment t JOIN app_map m ON t.application_id = m.old_id JOIN rollout_map r ON t.rollout_id = r.old_id AND r.new_app = m.new_id',
    set: { application_id: 'm.new_id', rollout_id: 'r.new_id' },
  },
];

/** Tables that may name an application or rollout and are left out on purpose (the audit trail). */
const NOT_COPIED = new Set(['event']);

/** Copies each template `names.length` times; returns how many rows of each table were written. */
export async function cloneApplications(
  db: pg.Client,
  requests: readonly CloneRequest[],
): Promise<Record<string, number>> {
  const templates = requests.flatMap((r) => r.names.map(() => r.template));
  const names = requests.flatMap((r) => r.names);
  const written: Record<string, number> = {};
  await db.query('BEGIN');
  try {
    await db.query(`CREATE TEMP TABLE app_map (old_id uuid, new_id uuid, new_name text) ON COMMIT DROP`);
    const mapped = await db.query(
      `INSERT INTO app_map SELECT a.id, gen_random_uuid(), c.name
         FROM unnest($1::text[], $2::text[]) AS c(template, name) JOIN application a ON a.name = c.template`,
      [templates, names],
    );
    if (mapped.rowCount !== names.length) throw new Error('clone: a template application does not exist');
    await db.query(`CREATE TEMP TABLE rollout_map (old_id uuid, new_id uuid, new_app uuid) ON COMMIT DROP`);
    await db.query(
      `INSERT INTO rollout_map SELECT r.id, gen_random_uuid(), m.new_id FROM rollout r JOIN app_map m ON r.application_id = m.old_id`,
    );
    await refuseUncopiedReferences(db);
    for (const { table, from, set } of TABLES) {
      const columns = await columnsOf(db, table);
      const values = columns.map((c) => set[c] ?? `t.${c}`);
      const result = await db.query(
        `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM ${from}`,
      );
      written[table] = result.rowCount ?? 0;
    }
    // As the hub does when it assigns: long-polling agents see a new generation.
    await db.query(
      `UPDATE cluster SET assignment_generation = assignment_generation + 1
        WHERE id IN (SELECT DISTINCT cluster_id FROM cluster_assignment a JOIN app_map m ON a.application_id = m.new_id)`,
    );
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  return written;
}

async function columnsOf(db: pg.Client, table: string): Promise<string[]> {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
      ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/**
 * A table this copy does not know that holds rows of a template (a later migration's) would leave
 * the copies different from what the hub would have made: refuse rather than measure that.
 */
async function refuseUncopiedReferences(db: pg.Client): Promise<void> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name IN ('application_id', 'rollout_id', 'rollback_of', 'rolled_back_by')`,
  );
  const known = new Set(TABLES.map((t) => t.table));
  for (const { table_name: table, column_name: column } of rows) {
    if (NOT_COPIED.has(table) || (known.has(table) && !['rollback_of', 'rolled_back_by'].includes(column)))
      continue;
    const map = column === 'application_id' ? 'app_map' : 'rollout_map';
    const { rows: found } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} t JOIN ${map} m ON t.${column} = m.old_id`,
    );
    if (found[0]!.n > 0) throw new Error(`clone: ${table}.${column} holds rows of a template; not copied`);
  }
}
