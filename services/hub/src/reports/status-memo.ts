import { type BundleStatus } from '@fleetwave/contracts';

/** One cluster's stored statuses (as decoded) by the fingerprint of the bytes they were reported in. */
export type MemoSet = ReadonlyMap<string, BundleStatus>;

interface Entry {
  /** The cluster's `last_seq` when this replica committed the set: the memo holds only while it stays. */
  seq: number;
  statuses: MemoSet;
}

/**
 * Statuses kept in all (~450 bytes each with their fingerprints: ~65 MiB at most); clusters beyond
 * it take the ordinary path.
 */
export const STATUS_MEMO_MAX_STATUSES = 150_000;

/**
 * What this replica last stored of each cluster's bundle statuses, fingerprinted by their exact
 * report bytes, so a status sent again byte for byte (an agent resends every bundle in every report)
 * is recognised without being parsed, validated, read back or compared again. Only report ingestion writes
 * `cluster_bundle_status`, and every report it accepts moves the cluster's `last_seq`, under the
 * cluster's row lock: so an entry is used only when the locked `last_seq` is still the one it was
 * committed with — another replica's report, a rolled-back batch or a restart leaves it unused.
 * Entries are set after the transaction commits. Bounded: the least recently stored go first.
 */
export class StatusMemo {
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  constructor(private readonly maxStatuses = STATUS_MEMO_MAX_STATUSES) {}

  /** The cluster's stored set, when this replica's memo of it is current at `lastSeq`. */
  current(clusterId: string, lastSeq: number): MemoSet | undefined {
    const entry = this.entries.get(clusterId);
    return entry?.seq === lastSeq ? entry.statuses : undefined;
  }

  /** The set a committed batch stored for the cluster, at the cluster's new `last_seq`. */
  remember(clusterId: string, seq: number, statuses: MemoSet): void {
    this.forget(clusterId);
    if (statuses.size > this.maxStatuses) return;
    this.entries.set(clusterId, { seq, statuses });
    this.size += statuses.size;
    for (const [id, entry] of this.entries) {
      if (this.size <= this.maxStatuses) break;
      this.forget(id, entry);
    }
  }

  forget(clusterId: string, entry = this.entries.get(clusterId)): void {
    if (entry === undefined) return;
    this.entries.delete(clusterId);
    this.size -= entry.statuses.size;
  }
}
