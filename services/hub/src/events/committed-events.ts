import { Injectable } from '@nestjs/common';
import { type EventEntity } from './event.entity.js';

export type CommittedEventsListener = (events: readonly EventEntity[]) => void;

/**
 * Audit events of this replica's transactions, in-process, after they committed: a feature that must
 * react to another's changes (the catch-up lane to cluster registrations, relabels and cordons)
 * listens here without importing it. Other replicas learn of them from their own periodic sweeps.
 */
@Injectable()
export class CommittedEvents {
  private readonly listeners = new Set<CommittedEventsListener>();

  subscribe(listener: CommittedEventsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(events: readonly EventEntity[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) listener(events);
  }
}
