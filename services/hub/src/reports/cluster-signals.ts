import { Injectable } from '@nestjs/common';
import { type Placement } from './bundle-status-changes.js';

/** What moved, after the change committed. */
export interface ClusterSignal {
  /** Clusters whose own status or maintenance moved (or that went silent): all their rollouts. */
  clusterIds: readonly string[];
  /** (cluster, application) pairs whose reported digest or phase moved: those applications' rollouts. */
  placements: readonly Placement[];
}

export type ClusterSignalListener = (signal: ClusterSignal) => void;

/**
 * "These clusters' reports moved something (or they went silent)", after the change committed. The
 * rollout engine listens to run passes at once instead of waiting for its periodic one; report
 * ingestion does not need to know who listens.
 */
@Injectable()
export class ClusterSignals {
  private readonly listeners = new Set<ClusterSignalListener>();

  subscribe(listener: ClusterSignalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(signal: ClusterSignal): void {
    if (signal.clusterIds.length === 0 && signal.placements.length === 0) return;
    for (const listener of this.listeners) listener(signal);
  }
}
