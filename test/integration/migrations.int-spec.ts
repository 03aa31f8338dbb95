import { afterEach, describe, expect, it } from '@jest/globals';
import { type DataSource } from 'typeorm';
import { createDataSource, runMigrationsExclusively } from '../../services/hub/src/database/data-source.js';
import { createTestDatabase } from './support/backing-services.js';

const ALL_MIGRATIONS = [
  'InitialSchema1763773200000',
  'RegistrationAndReports1763780400000',
  'ApiTokenNames1763787600000',
  'Rollouts1763794800000',
  'RevisionVetoes1796187600000',
];

describe('migrations against a real PostgreSQL', () => {
  const open: DataSource[] = [];
  async function connect(url: string): Promise<DataSource> {
    const dataSource = await createDataSource({ url, poolSize: 2 }).initialize();
    open.push(dataSource);
    return dataSource;
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((ds) => ds.destroy()));
  });

  it('creates the schema on an empty database, and a second run applies nothing', async () => {
    const db = await connect(await createTestDatabase());

    expect(await runMigrationsExclusively(db)).toEqual(ALL_MIGRATIONS);
    const tables = await db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'api_token',
      'application',
      'bundle',
      'cluster',
      'cluster_assignment',
      'cluster_bundle_status',
      'event',
      'registration_token',
      'revision',
      'revision_veto',
      'rollout',
      'rollout_cluster',
      'rollout_wave',
      'schema_migration',
    ]);
    expect(await runMigrationsExclusively(db)).toEqual([]);
  });

  it('enforces the schema in the server: unique names and the cluster status vocabulary', async () => {
    const db = await connect(await createTestDatabase());
    await runMigrationsExclusively(db);

    await db.query(`INSERT INTO cluster (name, kube_system_uid) VALUES ('east', 'uid-1')`);
    const [row] = await db.query<{ status: string; labels: object }[]>(`SELECT status, labels FROM cluster`);
    expect(row).toEqual({ status: 'Pending', labels: {} });
    await expect(
      db.query(`INSERT INTO cluster (name, kube_system_uid) VALUES ('east', 'uid-2')`),
    ).rejects.toThrow(/cluster_name_unique/);
    await expect(
      db.query(`INSERT INTO cluster (name, kube_system_uid, status) VALUES ('west', 'uid-3', 'Sleeping')`),
    ).rejects.toThrow(/check constraint/);
  });

  it('lets replicas that start together migrate once, under the advisory lock', async () => {
    const url = await createTestDatabase();
    const replicas = await Promise.all([connect(url), connect(url), connect(url)]);

    const applied = await Promise.all(replicas.map((db) => runMigrationsExclusively(db)));

    expect(applied.flat()).toEqual(ALL_MIGRATIONS);
    const rows = await replicas[0]!.query<{ count: string }[]>(`SELECT count(*) FROM schema_migration`);
    expect(rows).toEqual([{ count: String(ALL_MIGRATIONS.length) }]);
  });

  it('reverts cleanly (every migration has a down)', async () => {
    const db = await connect(await createTestDatabase());
    await runMigrationsExclusively(db);

    for (const _ of ALL_MIGRATIONS) await db.undoLastMigration({ transaction: 'each' });

    const tables = await db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration'`,
    );
    expect(tables).toEqual([]);
  });
});
