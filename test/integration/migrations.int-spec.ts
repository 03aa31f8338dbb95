import { afterEach, describe, expect, it } from '@jest/globals';
import { type DataSource } from 'typeorm';
import { createDataSource, runMigrationsExclusively } from '../../services/hub/src/database/data-source.js';
import { packArtifact } from '../../services/hub/src/git/index.js';
import { createTestDatabase } from './support/backing-services.js';

const ALL_MIGRATIONS = [
  'InitialSchema1763773200000',
  'RegistrationAndReports1763780400000',
  'ApiTokenNames1763787600000',
  'Rollouts1763794800000',
  'RendererAndArtifacts1763802000000',
  'ClusterMaintenance1763809200000',
  'CatchupLane1763810100000',
  'RevisionVetoes1796187600000',
  'Withdrawals1796190000000',
  'PlacementDrift1796191000000',
  'GarbageCollection1796192000000',
  'Reconfigure1796193000000',
  'FinishedRolloutReports1796193600000',
  'FleetFreeze1796194000000',
  'ApplicationRecreate1796195000000',
  'ApplicationHealthChecks1796196000000',
  'StructuredSources1796197000000',
  'PulledCharts1796198000000',
  'RevisionRendererKind1796199000000',
  'Notifications1796200000000',
  'VerificationRuns1796201000000',
  'RolloutWatch1796202000000',
  'EventTrailIndexes1796206000000',
  'SignedCommits1796212000000',
  'VerificationJobs1796213000000',
  'Projects1796214000000',
  'ExpiringCredentials1796215000000',
  'EventProjects1796216000000',
  'NotificationProjects1796221000000',
];

const ARTIFACTS = 'RendererAndArtifacts1763802000000';

/** Undoes the newest migrations down to and including `name` (later ones may be appended any time). */
async function undoDownTo(db: DataSource, name: string): Promise<void> {
  for (let i = ALL_MIGRATIONS.length - 1; i >= ALL_MIGRATIONS.indexOf(name); i--) {
    await db.undoLastMigration({ transaction: 'each' });
  }
}

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
      'artifact',
      'bundle',
      'cluster',
      'cluster_assignment',
      'cluster_bundle_status',
      'event',
      'fleet_freeze',
      'notification_delivery',
      'notification_subscription',
      'placement_drift',
      'placement_drift_minute',
      'placement_withdrawal',
      'project',
      'registration_token',
      'render_cache',
      'revision',
      'revision_veto',
      'rollout',
      'rollout_cluster',
      'rollout_wave',
      'schema_migration',
      'verification_runs',
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

  it('turns the YAML texts of existing revisions into artifacts packed as the hub packs them, and back', async () => {
    const db = await connect(await createTestDatabase());
    await runMigrationsExclusively(db);
    await undoDownTo(db, ARTIFACTS); // the schema with jsonb sources
    const [app] = await db.query<{ id: string }[]>(
      `INSERT INTO application (name, repo_url, repo_key, ref, plan)
       VALUES ('web', 'https://git.example.com/web.git', 'git.example.com/web', 'main', '{}') RETURNING id`,
    );
    // Paths JSON must escape, multi-byte text, and content long enough for wrapped base64 lines.
    const sources = [
      { path: 'apps/web/z.yaml', content: `name: "héllo"\n${'x: 1\n'.repeat(40)}` },
      { path: 'apps/web/tab\t"quoted".yaml', content: 'a: 1\n' },
      { path: 'apps/web/B.yml', content: '' },
    ];
    const insert = (commit: string, files: unknown, error: string | null) =>
      db.query(
        `INSERT INTO revision (application_id, commit, author, author_email, committed_at, message, sources, error)
         VALUES ($1, $2, 'Ada', 'ada@example.com', now(), 'm', $3, $4)`,
        [app!.id, commit, JSON.stringify(files), error],
      );
    await insert('a'.repeat(40), sources, null);
    await insert('b'.repeat(40), [...sources].reverse(), null);
    await insert('c'.repeat(40), [], 'path-not-found: no directory "apps/web"');

    expect(await runMigrationsExclusively(db)).toEqual(
      ALL_MIGRATIONS.slice(ALL_MIGRATIONS.indexOf(ARTIFACTS)),
    );

    const packed = packArtifact(sources.map((f) => ({ path: f.path, content: Buffer.from(f.content) })));
    const empty = packArtifact([]);
    const revisions = await db.query<{ commit: string; artifact_digest: string }[]>(
      `SELECT commit, artifact_digest FROM revision ORDER BY commit`,
    );
    expect(revisions.map((r) => r.artifact_digest)).toEqual([packed.digest, packed.digest, empty.digest]);
    const artifacts = await db.query<{ digest: string; content: Buffer; size: number }[]>(
      `SELECT digest, content, size FROM artifact ORDER BY size DESC`,
    );
    expect(artifacts).toEqual([
      { digest: packed.digest, content: packed.bytes, size: packed.bytes.length },
      { digest: empty.digest, content: empty.bytes, size: 2 },
    ]);
    // RendererAndArtifacts gave every application the template renderer; StructuredSources made it `auto`.
    expect(await db.query(`SELECT renderer FROM application`)).toEqual([{ renderer: 'auto' }]);
    await expect(
      db.query(
        `INSERT INTO revision (application_id, commit, author, author_email, committed_at, message)
         VALUES ($1, $2, 'Ada', 'ada@example.com', now(), 'neither source nor error')`,
        [app!.id, 'd'.repeat(40)],
      ),
    ).rejects.toThrow(/revision_source_or_error/);

    await undoDownTo(db, ARTIFACTS);
    const restored = await db.query<{ sources: unknown }[]>(`SELECT sources FROM revision ORDER BY commit`);
    const sorted = [...sources].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    expect(restored.map((r) => r.sources)).toEqual([sorted, sorted, []]);
  });
});
