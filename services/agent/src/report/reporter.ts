import {
  type ClusterFacts,
  type ClusterStatus,
  decodeReportMessage,
  encodeSignedReport,
  type BundleStatus,
  type Maintenance,
  REPORT_MAX_BYTES,
} from '@fleetwave/contracts';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import { type Logger } from 'pino';
import { type SequenceNumbers } from '../identity/sequence.js';
import { ReportBuffer } from './report-buffer.js';

/** Optional fields any report can carry. */
export interface ReportExtras {
  facts?: ClusterFacts;
  /** Null or absent: not in maintenance (and then left out of the report, which old hubs require). */
  maintenance?: Maintenance | null;
}

/** What only a status report carries, besides the {@link ReportExtras}. */
export interface StatusExtras extends ReportExtras {
  /** Applications whose withdrawal was carried out; left out of the report when empty. */
  removed?: string[];
}

export interface ReporterIdentity {
  clusterId: string;
  signingKey: string;
  reportsTopic: string;
}

/**
 * Produces signed, sequenced reports (key = cluster id). Every report goes through the buffer, so
 * order holds whether Kafka is up or not; a failed send leaves it buffered and is retried. Queuing a
 * report returns once it is buffered; `close` waits for the buffer to drain (or the send to fail).
 */
export class Reporter {
  private readonly buffer: ReportBuffer;
  private producer: Producer | undefined;
  private flushing: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Starts as the identity's; a credential rotation replaces it (`useSigningKey`). */
  private signingKey: string;
  sent = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly identity: ReporterIdentity,
    private readonly sequence: SequenceNumbers,
    private readonly agentVersion: string,
    private readonly logger: Logger,
    capacity: number,
  ) {
    this.buffer = new ReportBuffer(capacity);
    this.signingKey = identity.signingKey;
  }

  /**
   * After a credential rotation: new reports are signed with `key`, and so are the ones still
   * buffered (Kafka down for longer than the hub's grace would otherwise see them refused). A batch
   * already on its way keeps the old key, which the hub accepts for the grace period.
   */
  useSigningKey(key: string): void {
    this.signingKey = key;
    this.buffer.rewrite((pending) => {
      const decoded = decodeReportMessage(pending.value, REPORT_MAX_BYTES);
      // Only reports this reporter encoded are buffered, so they always decode.
      return decoded.ok ? encodeSignedReport(decoded.envelope.report, key) : pending.value;
    });
  }

  async heartbeat(clusterStatus: ClusterStatus, extras: ReportExtras = {}): Promise<void> {
    await this.enqueue({ kind: 'heartbeat', clusterStatus, ...present(extras) });
  }

  async status(
    clusterStatus: ClusterStatus,
    bundles: BundleStatus[],
    extras: StatusExtras = {},
  ): Promise<void> {
    await this.enqueue({
      kind: 'status',
      clusterStatus,
      bundles,
      ...present(extras),
      ...(extras.removed && extras.removed.length > 0 ? { removed: extras.removed } : {}),
    });
  }

  get pending(): number {
    return this.buffer.size;
  }

  get dropped(): number {
    return this.buffer.dropped;
  }

  private async enqueue(
    body:
      | ({ kind: 'heartbeat'; clusterStatus: ClusterStatus } & ReportExtras)
      | ({ kind: 'status'; clusterStatus: ClusterStatus; bundles: BundleStatus[] } & StatusExtras),
  ): Promise<void> {
    const seq = await this.sequence.take();
    const value = encodeSignedReport(
      {
        schemaVersion: 1,
        clusterId: this.identity.clusterId,
        seq,
        sentAt: new Date().toISOString(),
        agentVersion: this.agentVersion,
        ...body,
      },
      this.signingKey,
    );
    if (value.length > REPORT_MAX_BYTES) {
      this.logger.error({ seq, bytes: value.length }, 'report exceeds the size limit; not sent');
      return;
    }
    this.buffer.push({ kind: body.kind, seq, value });
    // Not awaited: a reconcile pass must not wait for Kafka (a stopped broker holds a send for its
    // request timeout, and drift correction would wait with it). The buffer keeps the order.
    void this.flush();
  }

  /** Sends what is buffered, oldest first. Never throws: failures stay buffered and are retried. */
  flush(): Promise<void> {
    this.flushing ??= this.sendBuffered().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async sendBuffered(): Promise<void> {
    while (!this.closed && this.buffer.size > 0) {
      const batch = this.buffer.peek(100);
      try {
        const producer = await this.connected();
        await producer.send({
          topic: this.identity.reportsTopic,
          acks: -1,
          messages: batch.map((r) => ({ key: this.identity.clusterId, value: r.value })),
        });
        this.buffer.acknowledge(batch.length);
        this.sent += batch.length;
      } catch (error) {
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error), buffered: this.buffer.size },
          'Kafka unreachable; reports stay buffered',
        );
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => void this.flush(), 2_000);
        return;
      }
    }
  }

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      // One request in flight keeps per-cluster order across retries.
      const producer = this.kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        maxInFlightRequests: 1,
        retry: { retries: 2, maxRetryTime: 3_000 },
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.producer?.disconnect().catch(() => undefined);
  }
}

/** Only the extras that say something: a report without them is what agents always sent. */
function present(extras: ReportExtras): ReportExtras {
  return {
    ...(extras.facts ? { facts: extras.facts } : {}),
    ...(extras.maintenance ? { maintenance: extras.maintenance } : {}),
  };
}
