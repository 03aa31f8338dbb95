import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../common/actor.js';
import { invalidArgument } from '../../common/domain-error.js';
import { Transactions } from '../../database/transactions.js';
import { decodeCursor } from '../../graphql/cursor.js';
import { CurrentActor } from '../../graphql/graphql-context.js';
import { EventConnectionModel, EventModel, EventTargetKindEnum, toEventConnection } from './event.model.js';
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
      'The audit trail, newest first: every mutation (with its actor) and every state change, optionally of one target.',
  })
  async events(
    @CurrentActor('viewer') _actor: Actor,
    @Args('targetKind', { type: () => EventTargetKindEnum, nullable: true })
    targetKindArg: EventTargetKind | null | undefined,
    @Args('targetId', {
      type: () => String,
      nullable: true,
      description: 'The id of the cluster, token, application or rollout (needs targetKind).',
    })
    targetIdArg: string | null | undefined,
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: `At most ${MAX_PAGE_SIZE}.`,
    })
    first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'A cursor from a previous page.' })
    after: string | null,
  ): Promise<EventConnectionModel> {
    // An argument left out is undefined, one given as null is null: both mean "any".
    const targetKind = targetKindArg ?? undefined;
    const targetId = targetIdArg ?? undefined;
    const limit = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
      throw invalidArgument(`first must be between 0 and ${MAX_PAGE_SIZE}`);
    }
    if (targetId !== undefined && targetKind === undefined)
      throw invalidArgument('targetId: needs targetKind');
    if (targetId !== undefined && (targetId.length === 0 || targetId.length > MAX_TARGET_ID_LENGTH)) {
      throw invalidArgument(`targetId: must be 1 to ${MAX_TARGET_ID_LENGTH} characters`);
    }
    let beforeId: string | undefined;
    if (after) {
      beforeId = decodeCursor(after);
      if (!EVENT_ID.test(beforeId)) throw invalidArgument('after: not a valid cursor for events');
    }
    const page = await this.repository.page(this.transactions.manager, {
      targetKind,
      targetId,
      beforeId,
      limit,
    });
    return toEventConnection({ events: page.rows, hasNextPage: page.hasMore });
  }
}
