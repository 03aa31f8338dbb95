import { Inject, Injectable } from '@nestjs/common';
import { type DeletionPolicy, type HealthCheck, type RecreatePolicy } from '@fleetwave/contracts';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { type Collected, collectUnreferenced } from '../database/unreferenced.js';
import { FLEET_KINDS, type JoinPolicy, type WavePlan } from '../rollouts/engine/index.js';
import {
  type ChartSource,
  type HelmSettings,
  type ResolvedChart,
  type SignatureFinding,
  type Values,
  type VerifyPolicy,
} from '../git/index.js';
import { type ApplicationSpec, type SyncPolicy, type ValuesRule } from './application-input.js';

export interface ApplicationRecord extends ApplicationSpec {
  id: string;
  name: string;
  /** Normalised repository URL, for matching webhooks. */
  repoKey: string;
  latestCommit: string | null;
  lastSyncedAt: Date | null;
  lastSyncError: string | null;
  /** Manual sync: clusters whose bundle of the settled commit a label or values change altered. */
  outOfSyncClusters: number;
  createdAt: Date;
  updatedAt: Date;
  /** Set once deletion was asked for: the application is Deleting until every cluster confirmed. */
  deletion: ApplicationDeletion | null;
  /** Set when the last cluster confirmed: the row stays for its history, its name is free again. */
  deletedAt: Date | null;
}

export interface ApplicationDeletion {
  policy: DeletionPolicy;
  requestedAt: Date;
  requestedBy: string;
}

export interface RevisionRecord {
  applicationId: string;
  /**
   * The revision's id, what rollouts and assignments name: the git commit, or for an application
   * with a pulled chart sha1 of the commit and the chart (`chartRevisionId`).
   */
  commit: string;
  /** The git commit a revision with a pulled chart was read at; null: `commit` is the git commit. */
  gitCommit: string | null;
  /** The chart pulled from a Helm repository or OCI registry into its artifact, if any. */
  chart: ResolvedChart | null;
  author: string;
  authorEmail: string;
  committedAt: Date;
  message: string;
  /**
   * The digest of the artifact holding every file under the application's path at this commit
   * (read it with findArtifact); null when the files could not be read, and then `error` says why.
   */
  artifactDigest: string | null;
  /** Set when the source is unusable (unreadable, malformed YAML, bad placeholder): no rollout from it. */
  error: string | null;
  /**
   * `render-failed: …` when the last render of this revision for a rollout failed for some cluster
   * (the tool's first error lines): no rollout starts while it fails; cleared by a render that works.
   */
  renderError: string | null;
  fetchedAt: Date;
  /**
   * When the garbage collector removed its artifact (nothing referenced it for the retention
   * period); `artifactDigest` is then null. The revision's history stays; its files are gone.
   */
  sourceCollectedAt: Date | null;
  /**
   * What checking its commit's signature found, and against which policy (`policyFingerprint` of the
   * application's `verify`); null when it was never checked (the application did not verify).
   */
  signature: RevisionSignature | null;
}

export interface RevisionSignature extends SignatureFinding {
  policy: string;
}

/** A revision without its source: what lists and commit metadata show. */
export type RevisionInfo = Omit<RevisionRecord, 'artifactDigest'>;

interface ApplicationRow {
  id: string;
  name: string;
  renderer: string;
  repo_url: string;
  repo_key: string;
  credentials_ref: string | null;
  ref: string;
  path: string;
  target_selector: string;
  values_rules: ValuesRule[];
  values: Values;
  values_files: string[];
  helm: HelmSettings;
  chart: ChartSource | null;
  plan: WavePlan;
  sync_policy: SyncPolicy;
  poll_interval_seconds: number;
  default_namespace: string | null;
  prune: boolean;
  join_policy: JoinPolicy;
  deletion_policy: DeletionPolicy;
  deletion_requested_at: Date | null;
  deletion_requested_by: string | null;
  deletion_requested_policy: DeletionPolicy | null;
  deleted_at: Date | null;
  allow_empty: boolean;
  health_checks: HealthCheck[];
  recreate: RecreatePolicy;
  verify: VerifyPolicy | null;
  project: string;
  latest_commit: string | null;
  last_synced_at: Date | null;
  last_sync_error: string | null;
  out_of_sync_clusters: number;
  created_at: Date;
  updated_at: Date;
}

interface RevisionInfoRow {
  application_id: string;
  commit: string;
  author: string;
  author_email: string;
  committed_at: Date;
  message: string;
  error: string | null;
  render_error: string | null;
  fetched_at: Date;
  source_collected_at: Date | null;
  git_commit: string | null;
  chart_name: string | null;
  chart_version: string | null;
  chart_digest: string | null;
  signature: RevisionSignature | null;
}

interface RevisionRow extends RevisionInfoRow {
  artifact_digest: string | null;
}

const APPLICATION_COLUMN_NAMES = [
  'id',
  'name',
  'renderer',
  'repo_url',
  'repo_key',
  'credentials_ref',
  'ref',
  'path',
  'target_selector',
  'values_rules',
  'values',
  'values_files',
  'helm',
  'chart',
  'plan',
  'sync_policy',
  'poll_interval_seconds',
  'default_namespace',
  'prune',
  'join_policy',
  'deletion_policy',
  'deletion_requested_at',
  'deletion_requested_by',
  'deletion_requested_policy',
  'deleted_at',
  'allow_empty',
  'health_checks',
  'recreate',
  'verify',
  'project',
  'latest_commit',
  'last_synced_at',
  'last_sync_error',
  'out_of_sync_clusters',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof ApplicationRow)[];
const APPLICATION_COLUMNS = APPLICATION_COLUMN_NAMES.join(', ');

const REVISION_INFO_COLUMN_NAMES = [
  'application_id',
  'commit',
  'author',
  'author_email',
  'committed_at',
  'message',
  'error',
  'render_error',
  'fetched_at',
  'source_collected_at',
  'git_commit',
  'chart_name',
  'chart_version',
  'chart_digest',
  'signature',
] as const satisfies readonly (keyof RevisionInfoRow)[];
const REVISION_INFO_COLUMNS = REVISION_INFO_COLUMN_NAMES.join(', ');

/**
 * The application columns of table alias `alias`, each named `<prefix><column>`: for a query of
 * another repository that joins the application in (one statement instead of one more per request).
 * Read back with {@link applicationFromRow}.
 */
export function applicationColumnsAs(alias: string, prefix: string): string {
  return columnsAs(APPLICATION_COLUMN_NAMES, alias, prefix);
}

export function applicationFromRow(row: Record<string, unknown>, prefix: string): ApplicationRecord {
  return toRecord(unprefixed(row, APPLICATION_COLUMN_NAMES, prefix) as unknown as ApplicationRow);
}

/** Like {@link applicationColumnsAs}, for a revision's commit metadata (a LEFT JOIN: may find none). */
export function revisionInfoColumnsAs(alias: string, prefix: string): string {
  return columnsAs(REVISION_INFO_COLUMN_NAMES, alias, prefix);
}

export function revisionInfoFromRow(row: Record<string, unknown>, prefix: string): RevisionInfo | null {
  if (row[`${prefix}commit`] === null || row[`${prefix}commit`] === undefined) return null;
  return toRevisionInfo(unprefixed(row, REVISION_INFO_COLUMN_NAMES, prefix) as unknown as RevisionInfoRow);
}

/**
 * The artifacts still referenced at `$1` (the retention cutoff; `$2` the fleet-moving rollout
 * kinds), the garbage collector's rule: the artifact of every revision that is its application's
 * newest (`latest_commit`) or settled one (newest Succeeded rollout or rollback: catch-ups render
 * it), that a cluster is assigned now, that a rollout unfinished or finished at or after the cutoff
 * rolls out, targets or would roll back to, or that was fetched at or after the cutoff.
 */
const REFERENCED_ARTIFACTS = `
  WITH kept (application_id, commit) AS (
    SELECT id, latest_commit FROM application WHERE latest_commit IS NOT NULL
    UNION
    SELECT * FROM (SELECT DISTINCT ON (application_id) application_id, commit FROM rollout
                    WHERE state = 'Succeeded' AND kind = ANY($2::text[])
                    ORDER BY application_id, created_at DESC, id DESC) settled
    UNION
    SELECT application_id, commit FROM cluster_assignment
    UNION
    SELECT r.application_id, c.commit
      FROM rollout r
      CROSS JOIN LATERAL (SELECT r.commit
                          UNION SELECT rc.target_commit FROM rollout_cluster rc WHERE rc.rollout_id = r.id
                          UNION SELECT rc.previous_commit FROM rollout_cluster rc WHERE rc.rollout_id = r.id) c
     WHERE (r.finished_at IS NULL OR r.finished_at >= $1) AND c.commit IS NOT NULL)
  SELECT rv.artifact_digest AS digest FROM revision rv
   WHERE rv.artifact_digest IS NOT NULL
     AND (rv.fetched_at >= $1
          OR EXISTS (SELECT 1 FROM kept k WHERE k.application_id = rv.application_id AND k.commit = rv.commit))`;

/** The only code that queries the application, revision and artifact tables (bundles: bundles/). */
@Injectable()
export class ApplicationsRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  async insert(
    tx: EntityManager,
    name: string,
    repoKey: string,
    spec: ApplicationSpec,
  ): Promise<ApplicationRecord> {
    const rows = await tx.query<ApplicationRow[]>(
      `INSERT INTO application (name, repo_url, repo_key, credentials_ref, ref, path, target_selector, values_rules,
                                plan, sync_policy, poll_interval_seconds, default_namespace, prune, join_policy,
                                deletion_policy, allow_empty, renderer, values, values_files, helm, health_checks, chart,
                                recreate, verify, project)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
               $24, $25)
       ON CONFLICT (name) WHERE deleted_at IS NULL DO NOTHING
       RETURNING ${APPLICATION_COLUMNS}`,
      [name, spec.repoUrl, repoKey, ...specParams(spec).slice(1)],
    );
    const row = rows[0];
    if (row === undefined) throw new ApplicationExistsError(name);
    return toRecord(row);
  }

  async update(
    tx: EntityManager,
    id: string,
    repoKey: string,
    spec: ApplicationSpec,
  ): Promise<ApplicationRecord> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows] = await tx.query<[ApplicationRow[], number]>(
      `UPDATE application
          SET repo_url = $2, repo_key = $3, credentials_ref = $4, ref = $5, path = $6, target_selector = $7,
              values_rules = $8, plan = $9, sync_policy = $10, poll_interval_seconds = $11,
              default_namespace = $12, prune = $13, join_policy = $14, deletion_policy = $15, allow_empty = $16,
              renderer = $17, values = $18, values_files = $19, helm = $20, health_checks = $21, chart = $22,
              recreate = $23, verify = $24, project = $25, updated_at = now()
        WHERE id = $1
        RETURNING ${APPLICATION_COLUMNS}`,
      [id, spec.repoUrl, repoKey, ...specParams(spec).slice(1)],
    );
    return toRecord(rows[0]!);
  }

  /** The application becomes Deleting: nothing new starts for it, its clusters are sent withdrawals. */
  async requestDeletion(
    tx: EntityManager,
    id: string,
    deletion: ApplicationDeletion,
  ): Promise<ApplicationRecord> {
    const [rows] = await tx.query<[ApplicationRow[], number]>(
      `UPDATE application
          SET deletion_requested_at = $2, deletion_requested_by = $3, deletion_requested_policy = $4
        WHERE id = $1
        RETURNING ${APPLICATION_COLUMNS}`,
      [id, deletion.requestedAt, deletion.requestedBy, deletion.policy],
    );
    return toRecord(rows[0]!);
  }

  /** Every cluster confirmed: the application is deleted (kept for its history; its name is free). */
  async markDeleted(tx: EntityManager, id: string, now: Date): Promise<ApplicationRecord> {
    const [rows] = await tx.query<[ApplicationRow[], number]>(
      `UPDATE application SET deleted_at = $2 WHERE id = $1 RETURNING ${APPLICATION_COLUMNS}`,
      [id, now],
    );
    return toRecord(rows[0]!);
  }

  /** Applications being deleted (not yet deleted), oldest request first. */
  async deletingIds(): Promise<string[]> {
    const rows = await this.transactions.manager.query<{ id: string }[]>(
      `SELECT id FROM application WHERE deletion_requested_at IS NOT NULL AND deleted_at IS NULL
        ORDER BY deletion_requested_at`,
    );
    return rows.map((r) => r.id);
  }

  async findByName(
    name: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<ApplicationRecord | null> {
    const rows = await tx.query<ApplicationRow[]>(
      `SELECT ${APPLICATION_COLUMNS} FROM application WHERE name = $1 AND deleted_at IS NULL`,
      [name],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The project of each live application among `names` (absent: no such application). */
  async projectsOf(names: readonly string[]): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const rows = await this.transactions.manager.query<{ name: string; project: string }[]>(
      `SELECT name, project FROM application WHERE name = ANY($1::text[]) AND deleted_at IS NULL`,
      [[...names]],
    );
    return new Map(rows.map((r) => [r.name, r.project]));
  }

  async findById(
    id: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<ApplicationRecord | null> {
    const rows = await tx.query<ApplicationRow[]>(
      `SELECT ${APPLICATION_COLUMNS} FROM application WHERE id = $1`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Locks the application row: starting rollouts of one application is serialised across replicas. */
  async lockById(tx: EntityManager, id: string): Promise<ApplicationRecord | null> {
    const rows = await tx.query<ApplicationRow[]>(
      `SELECT ${APPLICATION_COLUMNS} FROM application WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findByIds(ids: readonly string[]): Promise<ApplicationRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.transactions.manager.query<ApplicationRow[]>(
      `SELECT ${APPLICATION_COLUMNS} FROM application WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toRecord);
  }

  /**
   * One page in name order with the count of all applications and each one's latest commit
   * metadata: one statement (the count row comes back even when the page is empty). `projects` set:
   * only those projects' applications.
   */
  async page(
    afterName: string | undefined,
    limit: number,
    projects: readonly string[] | null = null,
  ): Promise<{
    rows: { application: ApplicationRecord; latestRevision: RevisionInfo | null }[];
    hasMore: boolean;
    total: number;
  }> {
    const rows = await this.transactions.manager.query<Record<string, unknown>[]>(
      `SELECT t.total, p.*
         FROM (SELECT count(*)::int AS total FROM application
                WHERE deleted_at IS NULL AND ($3::text[] IS NULL OR project = ANY($3))) t
         LEFT JOIN LATERAL (
           SELECT ${applicationColumnsAs('a', 'app_')}, ${revisionInfoColumnsAs('rv', 'rev_')}
             FROM application a
             LEFT JOIN revision rv ON rv.application_id = a.id AND rv.commit = a.latest_commit
            WHERE a.deleted_at IS NULL AND ($1::text IS NULL OR a.name > $1)
              AND ($3::text[] IS NULL OR a.project = ANY($3))
            ORDER BY a.name LIMIT $2) p ON true
        ORDER BY p.app_name`,
      [afterName ?? null, limit + 1, projects],
    );
    const found = rows.filter((row) => row['app_id'] !== null);
    return {
      rows: found.slice(0, limit).map((row) => ({
        application: applicationFromRow(row, 'app_'),
        latestRevision: revisionInfoFromRow(row, 'rev_'),
      })),
      hasMore: found.length > limit,
      total: rows[0]!['total'] as number,
    };
  }

  /** Ids of a project's live (not deleted) applications. */
  async idsInProject(tx: EntityManager, project: string): Promise<string[]> {
    const rows = await tx.query<{ id: string }[]>(
      `SELECT id FROM application WHERE project = $1 AND deleted_at IS NULL ORDER BY id`,
      [project],
    );
    return rows.map((r) => r.id);
  }

  /** Live (not deleted) applications of a project: deleting it is refused while there are any. */
  async countInProject(tx: EntityManager, project: string): Promise<number> {
    const rows = await tx.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM application WHERE project = $1 AND deleted_at IS NULL`,
      [project],
    );
    return rows[0]!.n;
  }

  async findByRepoKey(repoKeys: readonly string[]): Promise<ApplicationRecord[]> {
    const rows = await this.transactions.manager.query<ApplicationRow[]>(
      `SELECT ${APPLICATION_COLUMNS} FROM application
        WHERE repo_key = ANY($1::text[]) AND deletion_requested_at IS NULL ORDER BY name`,
      [repoKeys],
    );
    return rows.map(toRecord);
  }

  /**
   * Claims the applications whose poll interval has passed (or never synced) by stamping their sync
   * time; SKIP LOCKED and the stamp keep replicas from fetching the same ones.
   */
  async claimDueForSync(now: Date, limit: number): Promise<ApplicationRecord[]> {
    const [rows] = await this.transactions.manager.query<[ApplicationRow[], number]>(
      `UPDATE application SET last_synced_at = $1
        WHERE id IN (SELECT id FROM application
                      WHERE deletion_requested_at IS NULL
                        AND (last_synced_at IS NULL OR last_synced_at + make_interval(secs => poll_interval_seconds) <= $1)
                      ORDER BY last_synced_at NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING ${APPLICATION_COLUMNS}`,
      [now, limit],
    );
    return rows.map(toRecord);
  }

  async recordSync(
    tx: EntityManager,
    id: string,
    result: { at: Date; latestCommit?: string; error: string | null },
  ): Promise<void> {
    await tx.query(
      `UPDATE application SET last_synced_at = $2, last_sync_error = $3, latest_commit = COALESCE($4, latest_commit)
        WHERE id = $1`,
      [id, result.at, result.error, result.latestCommit ?? null],
    );
  }

  /** What the reconfigure check found for a manual-sync application (0: in sync). */
  async setOutOfSync(id: string, clusters: number): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE application SET out_of_sync_clusters = $2 WHERE id = $1 AND out_of_sync_clusters <> $2`,
      [id, clusters],
    );
  }

  async findRevision(
    applicationId: string,
    commit: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<RevisionRecord | null> {
    const rows = await tx.query<RevisionRow[]>(
      `SELECT * FROM revision WHERE application_id = $1 AND commit = $2`,
      [applicationId, commit],
    );
    return rows[0] ? toRevision(rows[0]) : null;
  }

  /** Each application's newest revisions (by commit date) without their sources: one statement for all. */
  async listRevisions(
    applicationIds: readonly string[],
    limit: number,
  ): Promise<Map<string, RevisionInfo[]>> {
    const rows = await this.transactions.manager.query<RevisionInfoRow[]>(
      `SELECT rv.* FROM unnest($1::uuid[]) AS k(id)
        CROSS JOIN LATERAL (SELECT ${REVISION_INFO_COLUMNS} FROM revision WHERE application_id = k.id
                             ORDER BY committed_at DESC, fetched_at DESC LIMIT $2) rv
        ORDER BY rv.application_id, rv.committed_at DESC, rv.fetched_at DESC`,
      [applicationIds, limit],
    );
    const byApplication = new Map(applicationIds.map((id) => [id, [] as RevisionInfo[]]));
    for (const row of rows) byApplication.get(row.application_id)?.push(toRevisionInfo(row));
    return byApplication;
  }

  /** Commit metadata for many (application, commit) pairs at once (DataLoader batches). */
  async findRevisionInfos(
    keys: readonly { applicationId: string; commit: string }[],
  ): Promise<RevisionInfo[]> {
    if (keys.length === 0) return [];
    const rows = await this.transactions.manager.query<RevisionInfoRow[]>(
      `SELECT ${revisionInfoColumnsAs('r', '')}
         FROM revision r JOIN unnest($1::uuid[], $2::text[]) AS k(app, commit)
           ON r.application_id = k.app AND r.commit = k.commit`,
      [keys.map((k) => k.applicationId), keys.map((k) => k.commit)],
    );
    return rows.map(toRevisionInfo);
  }

  /**
   * Records how the revision's last render for a rollout went: `render-failed: …`, or null once one
   * works. Written only when it changes.
   */
  async setRenderError(applicationId: string, commit: string, renderError: string | null): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE revision SET render_error = $3
        WHERE application_id = $1 AND commit = $2 AND render_error IS DISTINCT FROM $3`,
      [applicationId, commit, renderError],
    );
  }

  async insertRevision(
    tx: EntityManager,
    revision: Omit<RevisionRecord, 'fetchedAt' | 'sourceCollectedAt' | 'renderError'> & {
      /** The renderer the source resolved to (`renderer: auto` decided by its files). */
      rendererKind?: string | null;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO revision (application_id, commit, author, author_email, committed_at, message, artifact_digest, error,
                             git_commit, chart_name, chart_version, chart_digest, renderer_kind, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (application_id, commit) DO NOTHING`,
      [
        revision.applicationId,
        revision.commit,
        revision.author,
        revision.authorEmail,
        revision.committedAt,
        revision.message,
        revision.artifactDigest,
        revision.error,
        revision.gitCommit,
        revision.chart?.name ?? null,
        revision.chart?.version ?? null,
        revision.chart?.digest ?? null,
        revision.rendererKind ?? null,
        revision.signature === null ? null : JSON.stringify(revision.signature),
      ],
    );
  }

  /**
   * Records a revision's signature checked again (the application's trusted keys changed): its
   * finding and error, and, for a revision whose source was never read because its signature failed,
   * the source read now.
   */
  async recordSignature(
    tx: EntityManager,
    applicationId: string,
    commit: string,
    change: {
      signature: RevisionSignature | null;
      error: string | null;
      source?: { artifactDigest: string | null; rendererKind: string | null };
    },
  ): Promise<void> {
    await tx.query(
      `UPDATE revision SET signature = $3, error = $4,
              artifact_digest = CASE WHEN $5 THEN $6 ELSE artifact_digest END,
              renderer_kind = CASE WHEN $5 THEN $7 ELSE renderer_kind END
        WHERE application_id = $1 AND commit = $2`,
      [
        applicationId,
        commit,
        change.signature === null ? null : JSON.stringify(change.signature),
        change.error,
        change.source !== undefined,
        change.source?.artifactDigest ?? null,
        change.source?.rendererKind ?? null,
      ],
    );
  }

  /**
   * Content-addressed: storing the same digest twice is a no-op. A stored artifact is locked
   * (`FOR KEY SHARE`) until `tx` commits, so the garbage collector cannot remove it before the
   * revision that references it is in; one it removed just before is stored again.
   */
  async storeArtifact(tx: EntityManager, artifact: { digest: string; bytes: Uint8Array }): Promise<void> {
    const stored = await tx.query<unknown[]>(`SELECT 1 FROM artifact WHERE digest = $1 FOR KEY SHARE`, [
      artifact.digest,
    ]);
    if (stored.length > 0) return;
    await tx.query(
      `INSERT INTO artifact (digest, content, size) VALUES ($1, $2, $3) ON CONFLICT (digest) DO NOTHING`,
      [artifact.digest, Buffer.from(artifact.bytes), artifact.bytes.byteLength],
    );
  }

  /** A revision whose source was collected gets it back (read again from git): it can roll out again. */
  async restoreSource(
    tx: EntityManager,
    applicationId: string,
    commit: string,
    digest: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE revision SET artifact_digest = $3, source_collected_at = NULL
        WHERE application_id = $1 AND commit = $2 AND artifact_digest IS NULL`,
      [applicationId, commit, digest],
    );
  }

  /**
   * Deletes up to `limit` artifacts stored before `cutoff` that no kept revision uses
   * ({@link REFERENCED_ARTIFACTS}), oldest first, in `tx` (the locking protocol:
   * {@link collectUnreferenced}); the revisions that used them keep their rows, marked collected at `now`.
   */
  collectArtifacts(tx: EntityManager, cutoff: Date, now: Date, limit: number): Promise<Collected> {
    return collectUnreferenced(
      tx,
      'artifact',
      REFERENCED_ARTIFACTS,
      [cutoff, FLEET_KINDS],
      limit,
      (digests) =>
        tx.query(
          `UPDATE revision SET artifact_digest = NULL, source_collected_at = $2 WHERE artifact_digest = ANY($1::text[])`,
          [digests, now],
        ),
    );
  }

  async findArtifact(digest: string, tx: EntityManager = this.transactions.manager): Promise<Buffer | null> {
    const rows = await tx.query<{ content: Buffer }[]>(`SELECT content FROM artifact WHERE digest = $1`, [
      digest,
    ]);
    return rows[0]?.content ?? null;
  }
}

export class ApplicationExistsError extends Error {
  constructor(readonly applicationName: string) {
    super(`application "${applicationName}" already exists`);
  }
}

/** Parameters $4.. of insert/update, after name/url/key (the first element is the URL). */
function specParams(spec: ApplicationSpec): unknown[] {
  return [
    spec.repoUrl,
    spec.credentialsRef,
    spec.ref,
    spec.path,
    spec.targetSelector,
    JSON.stringify(spec.valuesRules),
    JSON.stringify(spec.plan),
    spec.syncPolicy,
    spec.pollIntervalSeconds,
    spec.defaultNamespace,
    spec.prune,
    spec.joinPolicy,
    spec.deletionPolicy,
    spec.allowEmpty,
    spec.renderer,
    JSON.stringify(spec.values),
    JSON.stringify(spec.valuesFiles),
    JSON.stringify(spec.helm),
    JSON.stringify(spec.healthChecks),
    spec.chart === null ? null : JSON.stringify(spec.chart),
    spec.recreate,
    spec.verify === null ? null : JSON.stringify(spec.verify),
    spec.project,
  ];
}

function toRecord(row: ApplicationRow): ApplicationRecord {
  return {
    id: row.id,
    name: row.name,
    renderer: row.renderer,
    repoUrl: row.repo_url,
    repoKey: row.repo_key,
    credentialsRef: row.credentials_ref,
    ref: row.ref,
    path: row.path,
    targetSelector: row.target_selector,
    valuesRules: row.values_rules,
    values: row.values,
    valuesFiles: row.values_files,
    helm: row.helm,
    chart: row.chart,
    plan: row.plan,
    syncPolicy: row.sync_policy,
    pollIntervalSeconds: row.poll_interval_seconds,
    defaultNamespace: row.default_namespace,
    prune: row.prune,
    joinPolicy: row.join_policy,
    deletionPolicy: row.deletion_policy,
    deletion:
      row.deletion_requested_at === null
        ? null
        : {
            policy: row.deletion_requested_policy!,
            requestedAt: row.deletion_requested_at,
            requestedBy: row.deletion_requested_by ?? '',
          },
    deletedAt: row.deleted_at,
    allowEmpty: row.allow_empty,
    healthChecks: row.health_checks,
    recreate: row.recreate,
    verify: row.verify,
    project: row.project,
    latestCommit: row.latest_commit,
    lastSyncedAt: row.last_synced_at,
    lastSyncError: row.last_sync_error,
    outOfSyncClusters: row.out_of_sync_clusters,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRevision(row: RevisionRow): RevisionRecord {
  return { ...toRevisionInfo(row), artifactDigest: row.artifact_digest };
}

function toRevisionInfo(row: RevisionInfoRow): RevisionInfo {
  return {
    applicationId: row.application_id,
    commit: row.commit,
    author: row.author,
    authorEmail: row.author_email,
    committedAt: row.committed_at,
    message: row.message,
    error: row.error,
    renderError: row.render_error,
    fetchedAt: row.fetched_at,
    sourceCollectedAt: row.source_collected_at,
    gitCommit: row.git_commit?.trim() ?? null,
    chart:
      row.chart_name === null
        ? null
        : { name: row.chart_name, version: row.chart_version!, digest: row.chart_digest! },
    signature: row.signature,
  };
}

function columnsAs(columns: readonly string[], alias: string, prefix: string): string {
  return columns.map((column) => `${alias}.${column} AS ${prefix}${column}`).join(', ');
}

function unprefixed(
  row: Record<string, unknown>,
  columns: readonly string[],
  prefix: string,
): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column, row[`${prefix}${column}`]]));
}
