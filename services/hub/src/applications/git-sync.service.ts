import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { DomainError } from '../common/domain-error.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import {
  ARTIFACT_MAX_BYTES,
  ArtifactError,
  type ArtifactFile,
  type ChartCandidate,
  ChartPuller,
  chartRevisionId,
  ChartSourceError,
  GitMirror,
  GitSourceError,
  loadTrustedKeys,
  type PackedArtifact,
  policyFingerprint,
  packArtifact,
  externalReferences,
  PULLED_CHART_DIR,
  PULLED_CHART_PATH,
  type PulledChart,
  rendererFor,
  verifyCommitSignature,
} from '../git/index.js';
import { LOGGER } from '../logging/logging.module.js';
import {
  type ApplicationRecord,
  ApplicationsRepository,
  type RevisionRecord,
  type RevisionSignature,
} from './applications.repository.js';
import { RepositorySources } from './repository-sources.js';
import { revisionProblem } from './revision-usable.js';
import { ROLLOUT_STARTER, type RolloutStarter } from './rollout-starter.js';

export interface SyncOutcome {
  /** The revision it settled on: the commit, or with a pulled chart the id of commit and chart version. */
  commit: string | null;
  /** Set when this sync started a rollout (auto policy, new commit). */
  rolloutId: string | null;
  error: string | null;
}

const SYNC_BATCH = 20;

/**
 * Keeps each application's revision current: fetch the mirror, resolve the ref, record a new
 * commit's metadata and source (an artifact), and (policy `auto`) start its rollout. Runs on a tick
 * over the applications whose own interval has passed (claimed with SKIP LOCKED, so replicas share
 * them) and at once when a push webhook names the repository.
 */
@Injectable()
export class GitSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private mirror: GitMirror | undefined;
  private charts: ChartPuller | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<SyncOutcome>>();
  private stopped = false;
  private readonly log: Logger;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(ROLLOUT_STARTER) private readonly rollouts: RolloutStarter,
    @Inject(RepositorySources) private readonly sources: RepositorySources,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'git-sync' });
  }

  onApplicationBootstrap(): void {
    this.mirror = this.sources.mirror;
    this.charts = new ChartPuller({
      credentials: (ref) => this.sources.credentials(ref),
      maxChartBytes: ARTIFACT_MAX_BYTES,
    });
    this.timer = setInterval(() => void this.tick(), this.config.git.syncTickSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Syncs the applications whose interval has passed. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const due = await this.applications.claimDueForSync(new Date(), SYNC_BATCH);
      await Promise.all(due.map((app) => this.sync(app)));
    } catch (error) {
      this.log.warn({ err: message(error) }, 'git sync tick failed');
    }
  }

  /** Syncs every application of these repositories now (push webhook). */
  async syncRepositories(repoKeys: readonly string[]): Promise<string[]> {
    const apps = await this.applications.findByRepoKey(repoKeys);
    await Promise.all(apps.map((app) => this.sync(app)));
    return apps.map((a) => a.name);
  }

  /** One sync of one application; concurrent calls for it share the one in flight. */
  sync(app: ApplicationRecord): Promise<SyncOutcome> {
    const running = this.inFlight.get(app.id);
    if (running) return running;
    const work = this.syncOnce(app).finally(() => this.inFlight.delete(app.id));
    this.inFlight.set(app.id, work);
    return work;
  }

  private async syncOnce(app: ApplicationRecord): Promise<SyncOutcome> {
    const mirror = this.mirror;
    if (mirror === undefined) throw new Error('git sync is not started');
    const at = new Date();
    let commit: string;
    let chart: ChartCandidate | null = null;
    let pulled: PulledChart | null = null;
    try {
      await mirror.fetch(app.repoUrl, app.credentialsRef);
      commit = await mirror.resolveRef(app.repoUrl, app.ref);
      if (app.chart !== null) {
        chart = await this.charts!.resolve(app.chart);
        // An index without digests: the archive itself says which chart this is.
        if (chart.digest === null) pulled = await this.charts!.pull(chart);
      }
    } catch (error) {
      return this.failed(app, at, error);
    }
    const revisionId =
      chart === null
        ? commit
        : chartRevisionId(
            commit,
            pulled?.chart ?? { name: chart.name, version: chart.version, digest: chart.digest! },
          );

    if ((await this.applications.findRevision(app.id, revisionId)) === null) {
      if (chart !== null && pulled === null) {
        try {
          pulled = await this.charts!.pull(chart);
        } catch (error) {
          return this.failed(app, at, error);
        }
      }
      const info = await mirror.commitInfo(app.repoUrl, commit);
      const signature = await this.checkSignature(mirror, app, commit);
      // An unverified commit's files are not even read: nothing of it is stored, rendered or rolled out.
      const { artifact, problem, rendererKind } =
        signature !== null && signature.status !== 'verified'
          ? { artifact: null, problem: signatureError(signature), rendererKind: null }
          : await this.readSource(mirror, app, commit, pulled);
      await this.audited.run(async (tx) => {
        if (artifact !== null) await this.applications.storeArtifact(tx, artifact);
        await this.applications.insertRevision(tx, {
          applicationId: app.id,
          commit: revisionId,
          gitCommit: pulled === null ? null : commit,
          chart: pulled?.chart ?? null,
          author: info.author,
          authorEmail: info.authorEmail,
          committedAt: info.committedAt,
          message: info.message,
          artifactDigest: artifact?.digest ?? null,
          error: problem,
          rendererKind,
          signature,
        });
        return {
          result: undefined,
          events: [
            {
              actor: 'git',
              action: 'application.revisionFetched',
              targetKind: 'application' as const,
              targetId: app.id,
              after: {
                application: app.name,
                commit: revisionId,
                ...(pulled === null
                  ? {}
                  : { gitCommit: commit, chart: pulled.chart.name, chartVersion: pulled.chart.version }),
                author: info.author,
                message: info.message.split('\n', 1)[0],
                error: problem,
                ...(signature === null ? {} : { signature: signatureSummary(signature) }),
              },
            },
          ],
        };
      });
    }
    let revision = (await this.applications.findRevision(app.id, revisionId))!;
    if ((revision.signature?.policy ?? 'none') !== policyFingerprint(app.verify)) {
      revision = await this.verifyAgain(mirror, app, revision);
    }
    if (revision.sourceCollectedAt !== null) revision = await this.restoreSource(mirror, app, revision);
    let rolloutId: string | null = null;
    let error = revisionProblem(app, revision);
    if (app.syncPolicy === 'auto' && error === null) {
      try {
        rolloutId = await this.startIfNew(app, revisionId);
      } catch (failure) {
        if (!(failure instanceof DomainError)) throw failure;
        error = failure.message;
      }
    }
    await this.applications.recordSync(this.audited.manager, app.id, {
      at,
      latestCommit: revisionId,
      error,
    });
    if (rolloutId !== null) this.rollouts.kick([rolloutId]);
    return { commit: revisionId, rolloutId, error };
  }

  /**
   * The commit's signature checked against the application's trusted keys; null when it verifies
   * nothing. Keys are parsed for each new commit: they were checked when saved, and a key openpgp
   * cannot read now (a library update) fails closed, as an invalid signature.
   */
  private async checkSignature(
    mirror: GitMirror,
    app: ApplicationRecord,
    commit: string,
  ): Promise<RevisionSignature | null> {
    if (app.verify === null) return null;
    const policy = policyFingerprint(app.verify);
    let trusted: Awaited<ReturnType<typeof loadTrustedKeys>>;
    try {
      trusted = await loadTrustedKeys(app.verify);
    } catch (error) {
      return { status: 'invalid', format: null, keyId: null, signer: null, reason: message(error), policy };
    }
    const found = await verifyCommitSignature(trusted, await mirror.signedCommit(app.repoUrl, commit));
    return { ...found, policy };
  }

  /**
   * The application's trusted keys changed since the revision was checked (or verification was
   * turned on or off): its signature is checked again, and the result recorded and audited. A
   * revision that becomes usable has its source read now (it was never read while its signature
   * failed); one that stops being usable gets the signature error and never rolls out.
   */
  private async verifyAgain(
    mirror: GitMirror,
    app: ApplicationRecord,
    revision: RevisionRecord,
  ): Promise<RevisionRecord> {
    const gitCommit = revision.gitCommit ?? revision.commit;
    const signature = app.verify === null ? null : await this.checkSignature(mirror, app, gitCommit);
    const wasRefused = isSignatureError(revision.error);
    const refused = signature !== null && signature.status !== 'verified';
    let error = refused ? signatureError(signature) : wasRefused ? null : revision.error;
    let source: { artifact: PackedArtifact | null; rendererKind: string | null } | undefined;
    if (wasRefused && !refused) {
      let pulled: PulledChart | null = null;
      if (revision.chart !== null) pulled = await this.pullAgain(app, revision);
      if (revision.chart !== null && pulled === null) {
        error = `chart-not-found: the chart ${revision.chart.name} ${revision.chart.version} cannot be pulled again with digest ${revision.chart.digest}`;
      } else {
        const read = await this.readSource(mirror, app, gitCommit, pulled);
        error = read.problem;
        source = read;
      }
    }
    await this.audited.run(async (tx) => {
      if (source?.artifact) await this.applications.storeArtifact(tx, source.artifact);
      await this.applications.recordSignature(tx, app.id, revision.commit, {
        signature,
        error,
        ...(source === undefined
          ? {}
          : {
              source: { artifactDigest: source.artifact?.digest ?? null, rendererKind: source.rendererKind },
            }),
      });
      return {
        result: undefined,
        events: [
          {
            actor: 'git',
            action: 'application.revisionVerified',
            targetKind: 'application' as const,
            targetId: app.id,
            before: { signature: revision.signature === null ? null : signatureSummary(revision.signature) },
            after: {
              application: app.name,
              commit: revision.commit,
              signature: signature === null ? null : signatureSummary(signature),
              error,
            },
          },
        ],
      };
    });
    return (await this.applications.findRevision(app.id, revision.commit))!;
  }

  /** A sync that could not read git or the chart: recorded on the application, nothing else changes. */
  private async failed(app: ApplicationRecord, at: Date, error: unknown): Promise<SyncOutcome> {
    const text =
      error instanceof GitSourceError || error instanceof ChartSourceError
        ? `${error.code}: ${error.message}`
        : message(error);
    await this.applications.recordSync(this.audited.manager, app.id, { at, error: text });
    this.log.warn({ application: app.name, err: text }, 'git sync failed');
    return { commit: null, rolloutId: null, error: text };
  }

  /**
   * The ref points at a commit again whose source the garbage collector removed (a branch reset,
   * say): its files are read from git again, so it can roll out as when it was first fetched.
   */
  private async restoreSource(
    mirror: GitMirror,
    app: ApplicationRecord,
    revision: RevisionRecord,
  ): Promise<RevisionRecord> {
    let pulled: PulledChart | null = null;
    if (revision.chart !== null) {
      pulled = await this.pullAgain(app, revision);
      if (pulled === null) return revision;
    }
    const { artifact } = await this.readSource(mirror, app, revision.gitCommit ?? revision.commit, pulled);
    if (artifact === null) return revision;
    await this.audited.manager.transaction(async (tx) => {
      await this.applications.storeArtifact(tx, artifact);
      await this.applications.restoreSource(tx, app.id, revision.commit, artifact.digest);
    });
    this.log.info({ application: app.name, commit: revision.commit }, 'collected source read again from git');
    return (await this.applications.findRevision(app.id, revision.commit))!;
  }

  /** The chart version a collected revision was made with, downloaded again; null when it is gone or changed. */
  private async pullAgain(app: ApplicationRecord, revision: RevisionRecord): Promise<PulledChart | null> {
    const recorded = revision.chart!;
    if (app.chart === null) return null;
    try {
      const pulled = await this.charts!.pull(
        await this.charts!.resolve({ ...app.chart, version: recorded.version }),
      );
      return pulled.chart.digest === recorded.digest ? pulled : null;
    } catch (error) {
      if (!(error instanceof ChartSourceError)) throw error;
      this.log.warn(
        { application: app.name, err: `${error.code}: ${error.message}` },
        'collected chart not pulled again',
      );
      return null;
    }
  }

  /**
   * The files under the application's path packed as an artifact (with the pulled chart, if any,
   * at {@link PULLED_CHART_PATH} under the path, so the artifact's digest covers it), and what its renderer finds wrong
   * with them (at most 10 problems, as one line); no artifact when the files cannot be read.
   */
  private async readSource(
    mirror: GitMirror,
    app: ApplicationRecord,
    commit: string,
    chart: PulledChart | null,
  ): Promise<{ artifact: PackedArtifact | null; problem: string | null; rendererKind: string | null }> {
    let files: ArtifactFile[];
    let artifact: PackedArtifact;
    try {
      files = await mirror.readFiles(app.repoUrl, commit, app.path);
      if (rendererFor(app.renderer, { root: app.path, files }).kind === 'kustomize') {
        files = await withKustomizeReferences(mirror, app, commit, files);
      }
      if (chart !== null) {
        const prefix = app.path === '' ? '' : `${app.path}/`;
        if (files.some((file) => file.path.startsWith(`${prefix}${PULLED_CHART_DIR}`))) {
          return {
            artifact: null,
            problem: `${prefix}${PULLED_CHART_DIR} is in git, but an application with a chart keeps its pulled chart there: move it`,
            rendererKind: null,
          };
        }
        files = [...files, { path: `${prefix}${PULLED_CHART_PATH}`, content: chart.archive }];
      }
      artifact = packArtifact(files);
    } catch (error) {
      if (error instanceof GitSourceError || error instanceof ArtifactError) {
        return { artifact: null, problem: `${error.code}: ${error.message}`, rendererKind: null };
      }
      throw error;
    }
    const source = { root: app.path, files };
    const renderer = rendererFor(app.renderer, source);
    const problems = renderer.check(source);
    const problem =
      problems.length > 0
        ? problems
            .slice(0, 10)
            .map((p) => p.message)
            .join('; ')
        : null;
    return { artifact, problem, rendererKind: renderer.kind };
  }

  /**
   * Starts a rollout of `commit` unless one was already started for it (by any replica). Checked
   * before rendering, so a commit already rolled out is not rendered again on every poll, and again
   * under the application's lock, which decides.
   */
  private startIfNew(app: ApplicationRecord, commit: string): Promise<string | null> {
    return this.rollouts.startIfNew(app.id, commit);
  }
}

/** Rounds of following references: bases of bases of … deeper than this are not a real layout. */
const MAX_REFERENCE_ROUNDS = 8;

/**
 * The application's files plus what its kustomizations reference outside its path (an overlay's
 * `../../base`, a shared component), read at the same commit, until nothing more is referenced.
 * A referenced file (not a directory) is read with its directory and kept alone. A path that does
 * not exist is left out: kustomize then names it in the render error.
 */
async function withKustomizeReferences(
  mirror: GitMirror,
  app: ApplicationRecord,
  commit: string,
  files: ArtifactFile[],
): Promise<ArtifactFile[]> {
  const all = new Map(files.map((f) => [f.path, f]));
  const tried = new Set<string>();
  for (let round = 0; round < MAX_REFERENCE_ROUNDS; round++) {
    const wanted = externalReferences({ root: app.path, files: [...all.values()] }).filter(
      (p) => !tried.has(p),
    );
    if (wanted.length === 0) break;
    for (const target of wanted) {
      tried.add(target);
      for (const file of await readPath(mirror, app.repoUrl, commit, target)) all.set(file.path, file);
    }
  }
  return [...all.values()];
}

async function readPath(
  mirror: GitMirror,
  url: string,
  commit: string,
  target: string,
): Promise<ArtifactFile[]> {
  try {
    return await mirror.readFiles(url, commit, target);
  } catch (error) {
    if (!(error instanceof GitSourceError) || error.code !== 'path-not-found') throw error;
  }
  const dir = target.includes('/') ? target.slice(0, target.lastIndexOf('/')) : '';
  try {
    return (await mirror.readFiles(url, commit, dir)).filter((file) => file.path === target);
  } catch (error) {
    if (error instanceof GitSourceError && error.code === 'path-not-found') return [];
    throw error;
  }
}

/** The revision error of a commit whose signature did not verify: `signature-invalid: …`. */
function signatureError(signature: RevisionSignature): string {
  const key = signature.keyId === null ? '' : ` (key ${signature.keyId})`;
  return `signature-invalid: ${signature.status}${key}: ${signature.reason ?? 'not verified'}`;
}

function isSignatureError(error: string | null): boolean {
  return error?.startsWith('signature-invalid:') ?? false;
}

/** What the audit trail records of a signature check. */
function signatureSummary(signature: RevisionSignature) {
  return { status: signature.status, keyId: signature.keyId, signer: signature.signer };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
