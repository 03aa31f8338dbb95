import { Injectable } from '@nestjs/common';

export type ClusterSignalListener = (clusterIds: readonly string[]) => void;

/**
 * "These clusters just reported (or went silent)", after the change committed. The rollout engine
 * listens to run passes at once instead of waiting for its periodic one; report ingestion does not
 * need to know who listens.
 */
@Injectable()
export class ClusterSignals {
  private readonly listeners = new Set<ClusterSignalListener>();

  subscribe(listener: ClusterSignalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(clusterIds: readonly string[]): void {
    if (clusterIds.length === 0) return;
    for (const listener of this.listeners) listener(clusterIds);
  }
}
