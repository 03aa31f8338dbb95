import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, Int, Query, Resolver } from '@nestjs/graphql';
import { type Actor, projectsInView } from '../../common/actor.js';
import { invalidArgument } from '../../common/domain-error.js';
import { Transactions } from '../../database/transactions.js';
import { decodeCursor } from '../../graphql/cursor.js';
import { CurrentCaller } from '../../graphql/graphql-context.js';
import { EventConnectionModel, EventModel, EventTargetKindEnum, toEventConnection } from './event.model.js';
import { EventFilterInput } from './event-filter.input.js';
import { type EventTargetKind } from '../event.entity.js';
import { EventsRepository } from '../events.repository.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const EVENT_ID = /^[1-9][0-9]{0,18}$/;
const MAX_TARGET_ID_LENGTH = 255;

/** The audit trail, read-only. Thin: arguments checked here, one query in EventsRepository.page. */
@Resolver(() => EventModel)
export class EventsResolver {
  constructor(
    @Inject(EventsRepository) private readonly repository: EventsRepository,
    @Inject(Transactions) private readonly transactions: Transactions,
  ) {}

  @Query(() => EventConnectionModel, {
    description:
      'The audit trail, newest first: every mutation (with its actor) and every state change; every filter given must hold. A caller bound to a project sees only the events of its project.',
  })
  async events(
    @CurrentCaller() caller: Actor,
    @Args('targetKind', { type: () => EventTargetKindEnum, nullable: true })
    targetKindArg: EventTargetKind | null | undefined,
    @Args('targetId', {
      type: () => String,
      nullable: true,
      description: 'The id of the cluster, token, application or rollout (needs targetKind).',
    })
    targetIdArg: string | null | undefined,
    @Args('actor', { type: () => String, nullable: true, description: 'Audit name, e.g. token:ci, engine.' })
    actorArg: string | null | undefined,
    @Args('action', {
      type: () => String,
      nullable: true,
      description: 'An action (rollout.started), or every action under a prefix ending in a dot (rollout.).',
    })
    actionArg: string | null | undefined,
    @Args('application', {
      type: () => String,
      nullable: true,
      description:
        'Application name: events about it, its rollouts and its placements (also of deleted applications of that name).',
    })
    applicationArg: string | null | undefined,
    @Args('cluster', {
      type: () => String,
      nullable: true,
      description: 'Cluster name: events about it and its placements.',
    })
    clusterArg: string | null | undefined,
    @Args('project', {
      type: () => String,
      nullable: true,
      description:
        'Project name: events of the project, its applications, their rollouts and placements (as recorded when each happened).',
    })
    projectArg: string | null | undefined,
    @Args('since', { type: () => GraphQLISODateTime, nullable: true, description: 'At or after this time.' })
    sinceArg: Date | null | undefined,
    @Args('until', { type: () => GraphQLISODateTime, nullable: true, description: 'Before this time.' })
    untilArg: Date | null | undefined,
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: `At most ${MAX_PAGE_SIZE}.`,
    })
    first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'A cursor from a previous page.' })
    after: string | null,
    @Args('filter', {
      type: () => EventFilterInput,
      nullable: true,
      description:
        'The same filters as one input (target is targetId); each given here or as an argument, not both.',
    })
    filter: EventFilterInput | null | undefined,
  ): Promise<EventConnectionModel> {
    const f = filter ?? {};
    // An argument left out is undefined, one given as null is null: both mean "any".
    const targetKind = oneOf('targetKind', targetKindArg, f.targetKind);
    const targetId = oneOf('targetId', targetIdArg, f.target);
    const limit = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
      throw invalidArgument(`first must be between 0 and ${MAX_PAGE_SIZE}`);
    }
    if (targetId !== undefined && targetKind === undefined)
      throw invalidArgument('targetId: needs targetKind');
    if (targetId !== undefined && (targetId.length === 0 || targetId.length > MAX_TARGET_ID_LENGTH)) {
      throw invalidArgument(`targetId: must be 1 to ${MAX_TARGET_ID_LENGTH} characters`);
    }
    const actor = textFilter('actor', oneOf('actor', actorArg, f.actor));
    const action = textFilter('action', oneOf('action', actionArg, f.action));
    const application = textFilter('application', oneOf('application', applicationArg, f.application));
    const cluster = textFilter('cluster', oneOf('cluster', clusterArg, f.cluster));
    const project = textFilter('project', oneOf('project', projectArg, f.project));
    const since = oneOf('since', sinceArg, f.since);
    const until = oneOf('until', untilArg, f.until);
    if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) {
      throw invalidArgument('since: must be before until');
    }
    let beforeId: string | undefined;
    if (after) {
      beforeId = decodeCursor(after);
      if (!EVENT_ID.test(beforeId)) throw invalidArgument('after: not a valid cursor for events');
    }
    const page = await this.repository.page(this.transactions.manager, {
      targetKind,
      targetId,
      actor,
      action,
      application,
      cluster,
      project,
      visibleProjects: projectsInView(caller),
      since,
      until,
      beforeId,
      limit,
    });
    return toEventConnection({ events: page.rows, hasNextPage: page.hasMore });
  }
}

/** A filter given as an argument or in `filter` (undefined: neither); both is a mistake worth saying. */
function oneOf<T>(
  name: string,
  argument: T | null | undefined,
  inFilter: T | null | undefined,
): T | undefined {
  const a = argument ?? undefined;
  const b = inFilter ?? undefined;
  if (a !== undefined && b !== undefined) {
    throw invalidArgument(`${name}: given both as an argument and in filter; give it once`);
  }
  return a ?? b;
}

/** A text filter: absent or null means any; an empty or overlong one is a mistake worth saying. */
function textFilter(name: string, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length === 0 || value.length > MAX_TARGET_ID_LENGTH) {
    throw invalidArgument(`${name}: must be 1 to ${MAX_TARGET_ID_LENGTH} characters`);
  }
  return value;
}
