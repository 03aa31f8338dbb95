import { readFile } from 'node:fs/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { type GitCredentials, GitMirror, GitSourceError } from '../git/index.js';
import { ApplicationsRepository } from './applications.repository.js';

const CredentialsFileSchema = z.record(
  z.string(),
  z.strictObject({ username: z.string().min(1), password: z.string().min(1) }),
);

/**
 * This hub's git mirror of the applications' repositories and the credentials it fetches with
 * (HUB_GIT_CREDENTIALS_FILE), shared by git sync (which fetches and records revisions) and by
 * whoever reads a file of an application at a revision (verification Job manifests). A provider
 * of its own so that readers do not depend on git sync, which starts rollouts.
 */
@Injectable()
export class RepositorySources implements OnModuleInit {
  private current: GitMirror | undefined;
  private loaded = new Map<string, GitCredentials>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.loaded = await loadCredentials(this.config.git.credentialsFile);
    this.current = new GitMirror({
      baseDir: this.config.git.dir,
      credentials: (ref) => this.loaded.get(ref),
    });
  }

  get mirror(): GitMirror {
    if (this.current === undefined) throw new Error('the git mirror is not started');
    return this.current;
  }

  /** Credentials by reference name; never logged or echoed. */
  credentials(ref: string): GitCredentials | undefined {
    return this.loaded.get(ref);
  }

  /**
   * One file of an application's repository at a revision (`commit` as rollouts name it; for a
   * chart application, its git commit), at most `maxBytes`. This hub's mirror is fetched first when
   * it lacks the repository or the commit (another hub may have synced it). Throws GitSourceError
   * (path-not-found, too-large, repository-unreachable, …) with a message for people.
   */
  async readFileAt(
    applicationId: string,
    commit: string,
    filePath: string,
    maxBytes: number,
  ): Promise<Uint8Array> {
    const app = await this.applications.findById(applicationId);
    if (app === null) throw new GitSourceError('repository-unreachable', 'the application no longer exists');
    const gitCommit = (await this.applications.findRevision(app.id, commit))?.gitCommit ?? commit;
    try {
      return await this.mirror.readFile(app.repoUrl, gitCommit, filePath, maxBytes);
    } catch (error) {
      // Not fetched here yet, or the commit is not in this mirror yet: fetch once and read again.
      if (
        !(error instanceof GitSourceError) ||
        error.code === 'path-not-found' ||
        error.code === 'too-large'
      ) {
        throw error;
      }
    }
    await this.mirror.fetch(app.repoUrl, app.credentialsRef);
    return this.mirror.readFile(app.repoUrl, gitCommit, filePath, maxBytes);
  }
}

async function loadCredentials(file: string | undefined): Promise<Map<string, GitCredentials>> {
  if (file === undefined) return new Map();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`HUB_GIT_CREDENTIALS_FILE: cannot read ${file} (${message(error)})`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text around the error, which holds passwords.
    throw new Error(`HUB_GIT_CREDENTIALS_FILE: ${file} is not valid JSON`);
  }
  const result = CredentialsFileSchema.safeParse(parsed);
  if (!result.success) {
    // Name the entries, never their contents.
    throw new Error(
      `HUB_GIT_CREDENTIALS_FILE: each entry must be {"username": "…", "password": "…"} (bad: ${result.error.issues
        .map((i) => String(i.path[0] ?? '?'))
        .join(', ')})`,
    );
  }
  return new Map(Object.entries(result.data));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
