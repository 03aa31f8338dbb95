import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { byKey, groupBy } from '../../graphql/batching.js';
import { type GraphqlContext } from '../../graphql/graphql-context.js';
import { type RequestLoaderFactory, requestLoaders } from '../../graphql/request-loaders.js';
import { type ApplicationRecord, type RevisionInfo } from '../applications.repository.js';
import { ApplicationsService } from '../applications.service.js';
import { type RevisionVeto } from '../revision-veto.js';
import { RevisionVetoesService } from '../revision-vetoes.service.js';

export interface RevisionKey {
  applicationId: string;
  commit: string;
}

/** Batching and caching of applications and their revisions for one request: each kind costs one query. */
export interface ApplicationRequestLoaders {
  /** Commit metadata by (application, commit); null when the hub has not fetched that commit. */
  revision: DataLoader<RevisionKey, RevisionInfo | null, string>;
  application: DataLoader<string, ApplicationRecord | null>;
  /** Newest revisions by application, keyed with the page size. */
  revisions: DataLoader<{ applicationId: string; first: number }, RevisionInfo[], string>;
  /** Every veto of an application, newest first (Application.vetoes, Revision.veto, heldAt). */
  vetoes: DataLoader<string, RevisionVeto[]>;
}

/** Makes this feature's per-request loaders (registered in the request's loader registry). */
@Injectable()
export class ApplicationLoaders implements RequestLoaderFactory<ApplicationRequestLoaders> {
  constructor(
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(RevisionVetoesService) private readonly vetoes: RevisionVetoesService,
  ) {}

  of(context: GraphqlContext): ApplicationRequestLoaders {
    return requestLoaders(context, this);
  }

  /** The latest commits' metadata that came with a page of applications (`revisions[i]` is of `applications[i]`). */
  rememberLatestRevisions(
    context: GraphqlContext,
    applications: readonly ApplicationRecord[],
    revisions: readonly (RevisionInfo | null)[],
  ): void {
    const loader = this.of(context).revision;
    applications.forEach((app, i) => {
      if (app.latestCommit !== null)
        loader.prime({ applicationId: app.id, commit: app.latestCommit }, revisions[i] ?? null);
    });
  }

  create(): ApplicationRequestLoaders {
    return {
      revision: new DataLoader(
        async (keys) => {
          const found = byKey(await this.applications.revisionInfos(keys), revisionKey);
          return keys.map((key) => found.get(revisionKey(key)) ?? null);
        },
        { cacheKeyFn: revisionKey },
      ),
      application: new DataLoader(async (ids) => {
        const found = byKey(await this.applications.findByIds(ids), (a) => a.id);
        return ids.map((id) => found.get(id) ?? null);
      }),
      revisions: new DataLoader(
        async (keys) => {
          const answers = new Map<string, RevisionInfo[]>();
          for (const group of groupBy(keys, (key) => String(key.first)).values()) {
            const lists = await this.applications.revisions(
              group.map((key) => key.applicationId),
              group[0]!.first,
            );
            for (const key of group) answers.set(revisionsKey(key), lists.get(key.applicationId) ?? []);
          }
          return keys.map((key) => answers.get(revisionsKey(key))!);
        },
        { cacheKeyFn: revisionsKey },
      ),
      vetoes: new DataLoader(async (ids) => {
        const found = await this.vetoes.ofApplications(ids);
        return ids.map((id) => found.get(id) ?? []);
      }),
    };
  }
}

function revisionKey(key: RevisionKey): string {
  return `${key.applicationId}/${key.commit}`;
}

function revisionsKey(key: { applicationId: string; first: number }): string {
  return `${key.applicationId}/${key.first}`;
}
