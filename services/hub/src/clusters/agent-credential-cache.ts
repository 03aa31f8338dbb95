import { type AgentCluster } from './clusters.repository.js';

/** A verified credential's cluster row, and when it was read (performance.now()). */
export interface CachedAgentCluster {
  cluster: AgentCluster;
  readAt: number;
}

/**
 * The cluster rows agent credentials resolved to, for `ttlMs` after each was read: an agent
 * long-polls about twice a minute, and each poll would otherwise cost a credential lookup. Only
 * the lookup is cached — the credential's refusal (revoked, expired, past the grace) is judged
 * again on every request by the hub clock from the cached lifetime. A credential change
 * (revocation, rotation, registration, deregistration) forgets the cluster at once on the replica
 * that made it and, through the audit events every replica consumes, on the others; the TTL bounds
 * what a replica that missed those events can accept. At most `maxEntries` (oldest read dropped
 * first). Pure apart from `now`, a monotonic clock in ms.
 */
export class AgentCredentialCache {
  private readonly byHash = new Map<string, CachedAgentCluster>();
  private readonly hashesByCluster = new Map<string, Set<string>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The cluster the credential hash resolved to, if read less than the TTL ago. */
  get(credentialHash: string): CachedAgentCluster | undefined {
    const entry = this.byHash.get(credentialHash);
    if (entry === undefined) return undefined;
    if (this.now() - entry.readAt < this.ttlMs) return entry;
    this.delete(credentialHash, entry.cluster.id);
    return undefined;
  }

  /** Remembers a lookup that found a cluster (`readAt`: just before the read). */
  set(credentialHash: string, cluster: AgentCluster, readAt: number): void {
    if (!this.enabled) return;
    const previous = this.byHash.get(credentialHash);
    if (previous) this.delete(credentialHash, previous.cluster.id);
    this.byHash.set(credentialHash, { cluster, readAt });
    const hashes = this.hashesByCluster.get(cluster.id) ?? new Set<string>();
    hashes.add(credentialHash);
    this.hashesByCluster.set(cluster.id, hashes);
    // Maps iterate in insertion order: the first entry is the oldest read.
    while (this.byHash.size > this.maxEntries) {
      const [oldestHash, oldest] = this.byHash.entries().next().value!;
      this.delete(oldestHash, oldest.cluster.id);
    }
  }

  /** Drops every cached credential of these clusters (their credentials or rows changed). */
  forgetClusters(clusterIds: Iterable<string>): void {
    for (const id of clusterIds) {
      const hashes = this.hashesByCluster.get(id);
      if (!hashes) continue;
      for (const hash of hashes) this.byHash.delete(hash);
      this.hashesByCluster.delete(id);
    }
  }

  private delete(credentialHash: string, clusterId: string): void {
    this.byHash.delete(credentialHash);
    const hashes = this.hashesByCluster.get(clusterId);
    hashes?.delete(credentialHash);
    if (hashes?.size === 0) this.hashesByCluster.delete(clusterId);
  }
}
