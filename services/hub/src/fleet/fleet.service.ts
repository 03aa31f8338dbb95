import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Actor } from '../common/actor.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { failedPrecondition, invalidArgument } from '../common/domain-error.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import { FleetRepository, type StoredFreeze } from './fleet.repository.js';

const MAX_REASON = 500;
/** Target of the fleet's audit events. */
const FLEET = { targetKind: 'fleet', targetId: 'fleet' } as const;

/**
 * Fleet-wide controls: the freeze. While it holds, no rollout's next wave and no catch-up starts
 * (the rollout engine's freeze gate reads it once per pass); it lifts by itself at `until`, or when
 * an admin unfreezes. Every change is audited (`fleet.frozen`, `fleet.unfrozen`).
 */
@Injectable()
export class FleetService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(FleetRepository) private readonly fleet: FleetRepository,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
  ) {}

  /** The freeze holding now (one that ended by itself reads as none). */
  async freeze(tx?: EntityManager): Promise<StoredFreeze | null> {
    return holding(await this.fleet.freeze(tx), this.clock.now());
  }

  /** Freezes the fleet (or replaces the freeze): `until` in the future, or null for "until unfrozen". */
  async freezeFleet(actor: Actor, reason: string, until: Date | null): Promise<StoredFreeze> {
    const words = reason.trim();
    if (words === '' || words.length > MAX_REASON) {
      throw invalidArgument(`reason: must be 1 to ${MAX_REASON} characters (say why the fleet is frozen)`);
    }
    const now = this.clock.now();
    if (until !== null && (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime())) {
      throw invalidArgument('until: must be in the future (or left out to freeze until unfrozen)');
    }
    return this.audited.run(async (tx) => {
      const before = holding(await this.fleet.freeze(tx), now);
      const freeze: StoredFreeze = { reason: words, by: actor.name, since: now, until };
      await this.fleet.setFreeze(tx, freeze);
      return { result: freeze, events: [event(actor, 'fleet.frozen', before, freeze)] };
    });
  }

  /** Lifts the freeze; FAILED_PRECONDITION when the fleet is not frozen. */
  async unfreezeFleet(actor: Actor): Promise<StoredFreeze> {
    const now = this.clock.now();
    return this.audited.run(async (tx) => {
      const removed = holding(await this.fleet.clearFreeze(tx), now);
      if (removed === null) throw failedPrecondition('the fleet is not frozen');
      return { result: removed, events: [event(actor, 'fleet.unfrozen', removed, null)] };
    });
  }
}

function holding(freeze: StoredFreeze | null, now: Date): StoredFreeze | null {
  if (freeze === null) return null;
  return freeze.until === null || now.getTime() < freeze.until.getTime() ? freeze : null;
}

function event(
  actor: Actor,
  action: string,
  before: StoredFreeze | null,
  after: StoredFreeze | null,
): NewEvent {
  return { actor: actor.name, action, ...FLEET, before: { freeze: before }, after: { freeze: after } };
}
