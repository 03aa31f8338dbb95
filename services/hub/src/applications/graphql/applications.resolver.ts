import { Inject } from '@nestjs/common';
import { type DeletionPolicy } from '@fleetwave/contracts';
import { DeletionPolicyEnum } from '../../clusters/graphql/deletion-policy.enum.js';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor, projectsInView } from '../../common/actor.js';
import { notFound } from '../../common/domain-error.js';
import { decodeCursor } from '../../graphql/cursor.js';
import { CurrentCaller, type GraphqlContext } from '../../graphql/graphql-context.js';
import { ApplicationsService, DEFAULT_PAGE_SIZE } from '../applications.service.js';
import { GitSyncService } from '../git-sync.service.js';
import { ApplicationLoaders } from './application.loaders.js';
import {
  ApplicationConnectionModel,
  applicationInput,
  ApplicationModel,
  CreateApplicationInput,
  RevisionModel,
  SyncApplicationPayload,
  toApplicationConnection,
  toApplicationModel,
  toRevisionModel,
  UpdateApplicationInput,
} from './application.model.js';

const nameArg = { type: () => String, description: 'The application name.' } as const;

/**
 * Thin: arguments → ApplicationsService / GitSyncService → GraphQL models. Who may do what is decided by the application's project (ApplicationsService).
 * A page of applications comes with each one's latest commit metadata; their revisions are batched
 * over the page (application.loaders.ts): one statement, not one per application. Application.rollouts
 * belongs to the rollouts feature (rollouts/graphql/application-rollouts.resolver.ts).
 */
@Resolver(() => ApplicationModel)
export class ApplicationsResolver {
  constructor(
    @Inject(ApplicationsService) private readonly service: ApplicationsService,
    @Inject(GitSyncService) private readonly git: GitSyncService,
    @Inject(ApplicationLoaders) private readonly loaders: ApplicationLoaders,
  ) {}

  @Query(() => ApplicationConnectionModel, { description: 'Applications in name order.' })
  async applications(
    @CurrentCaller() actor: Actor,
    @Context() context: GraphqlContext,
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: 'At most 500.',
    })
    first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'A cursor from a previous page.' })
    after: string | null,
  ): Promise<ApplicationConnectionModel> {
    const page = await this.service.list(
      first ?? undefined,
      after ? decodeCursor(after) : undefined,
      projectsInView(actor),
    );
    this.loaders.rememberLatestRevisions(context, page.applications, page.latestRevisions);
    return toApplicationConnection(page);
  }

  @Query(() => ApplicationModel, { nullable: true, description: 'One application by name; null when none.' })
  async application(
    @CurrentCaller() actor: Actor,
    @Args('name', nameArg) name: string,
  ): Promise<ApplicationModel | null> {
    const app = await this.service.findVisible(actor, name);
    return app ? toApplicationModel(app) : null;
  }

  @Mutation(() => ApplicationModel, {
    description: 'INVALID_ARGUMENT names every bad field; CONFLICT when the name is taken.',
  })
  async createApplication(
    @CurrentCaller() actor: Actor,
    @Args('input', { type: () => CreateApplicationInput }) input: CreateApplicationInput,
  ): Promise<ApplicationModel> {
    return toApplicationModel(await this.service.create(actor, applicationInput(input, true)));
  }

  @Mutation(() => ApplicationModel, {
    description: 'Changes only the fields given. Rollouts already started keep their plan and revision.',
  })
  async updateApplication(
    @CurrentCaller() actor: Actor,
    @Args('name', nameArg) name: string,
    @Args('input', { type: () => UpdateApplicationInput }) input: UpdateApplicationInput,
  ): Promise<ApplicationModel> {
    return toApplicationModel(await this.service.update(actor, name, applicationInput(input, false)));
  }

  @Mutation(() => ApplicationModel, {
    description:
      'Deletes the application explicitly: its running rollouts are aborted, every cluster it is assigned to is sent a withdrawal with deletionPolicy, and it shows deletion (Deleting) until every cluster confirmed; then it is deleted, kept for its rollouts and audit trail, its name free again (at once when no cluster runs it). Returns the application after the call.',
  })
  async deleteApplication(
    @CurrentCaller() actor: Actor,
    @Args('name', nameArg) name: string,
    @Args('deletionPolicy', {
      type: () => DeletionPolicyEnum,
      nullable: true,
      description: 'prune (default): agents delete its objects; orphan: they leave them in place.',
    })
    deletionPolicy: DeletionPolicy | null,
  ): Promise<ApplicationModel> {
    return toApplicationModel(await this.service.delete(actor, name, deletionPolicy ?? 'prune'));
  }

  @Mutation(() => SyncApplicationPayload, {
    description:
      "Fetches the repository now and records the commit the ref points at (starting its rollout under the auto policy). A failed fetch is not an error of the mutation: it is in `error` and the application's lastSyncError.",
  })
  async syncApplication(
    @CurrentCaller() actor: Actor,
    @Args('name', nameArg) name: string,
  ): Promise<SyncApplicationPayload> {
    const app = await this.service.findVisible(actor, name);
    if (app === null) throw notFound(`application "${name}" not found`);
    await this.service.requireOperator(actor, app);
    const outcome = await this.git.sync(app);
    const after = await this.service.findByName(name);
    if (after === null) throw notFound(`application "${name}" was deleted during the sync`);
    return {
      application: toApplicationModel(after),
      commit: outcome.commit,
      rolloutId: outcome.rolloutId,
      error: outcome.error,
    };
  }

  @ResolveField('latestRevision', () => RevisionModel, {
    nullable: true,
    description: 'Commit metadata of latestCommit.',
  })
  async latestRevision(
    @Parent() app: ApplicationModel,
    @Context() context: GraphqlContext,
  ): Promise<RevisionModel | null> {
    if (app.latestCommit === null) return null;
    const revision = await this.loaders
      .of(context)
      .revision.load({ applicationId: app.id, commit: app.latestCommit });
    return revision ? toRevisionModel(revision) : null;
  }

  @ResolveField('revisions', () => [RevisionModel], {
    description: 'Fetched commits, newest commit date first.',
  })
  async revisions(
    @Parent() app: ApplicationModel,
    @Context() context: GraphqlContext,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20, description: 'At most 200.' })
    first: number | null,
  ): Promise<RevisionModel[]> {
    const revisions = await this.loaders
      .of(context)
      .revisions.load({ applicationId: app.id, first: first ?? 20 });
    return revisions.map(toRevisionModel);
  }
}
