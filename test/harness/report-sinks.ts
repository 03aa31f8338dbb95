import { Kafka, logLevel, Partitioners, type Producer, type RecordMetadata } from 'kafkajs';

/** One signed report (or, in a test, any bytes) on its way to the reports topic. */
export interface OutgoingReport {
  topic: string;
  /** The message key: the cluster id. */
  key: string;
  value: Buffer | string;
  /** Set on heartbeats, whose produce→visible latency a batching sink can track. */
  heartbeatSeq?: number;
}

/** Where a simulated agent's reports go: straight to a producer, or into a shared batch. */
export interface ReportSink {
  /** A promise when the caller may wait for the send (errors reach it); nothing when it is queued. */
  send(report: OutgoingReport): Promise<void> | void;
}

/** A connected producer that places messages as agents' producers do (by key: the cluster id). */
export async function connectReportProducer(brokers: readonly string[], clientId: string): Promise<Producer> {
  const producer = reportProducer(brokers, clientId);
  await producer.connect();
  return producer;
}

function reportProducer(brokers: readonly string[], clientId: string): Producer {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/**
 * Every report is its own produce request, awaited: what tests want (a failed send is an error).
 * `onAcked` sees each report with what Kafka answered (its partition and offset).
 */
export function producerSink(
  producer: Producer,
  onAcked?: (report: OutgoingReport, metadata: RecordMetadata[]) => void,
): ReportSink {
  return {
    async send(report) {
      const metadata = await producer.send({
        topic: report.topic,
        messages: [{ key: report.key, value: report.value }],
      });
      onAcked?.(report, metadata);
    },
  };
}

const MAX_MESSAGES_PER_REQUEST = 1000;
const MAX_BYTES_PER_REQUEST = 512 * 1024;

/**
 * One Kafka producer for a whole simulated fleet: reports queue up and go out in one produce
 * request every few milliseconds, as thousands of agents' separate producers would look to the
 * brokers in aggregate. A heartbeat's produce time is when it was queued (the figure includes the
 * batching delay, which makes produce→visible conservative).
 */
export class BatchingReportSink implements ReportSink {
  private readonly producer: Producer;
  private queue: OutgoingReport[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  /** `${clusterId}:${seq}` → performance.now() when queued; the observer takes entries out. */
  readonly producedAt = new Map<string, number>();
  /**
   * The same heartbeats by the wall clock (Date.now()), when queued and when handed to the producer:
   * compared with the hub's own ingestion time, they split a heartbeat's way into the simulator's
   * part (queued → sent) and the hub's (sent → ingested), whatever the observer's event loop does.
   */
  readonly queuedAtMs = new Map<string, number>();
  readonly sentAtMs = new Map<string, number>();
  sent = 0;
  failed = 0;

  constructor(
    brokers: readonly string[],
    private readonly flushMs = 10,
  ) {
    this.producer = reportProducer(brokers, 'fleetwave-sim');
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  send(report: OutgoingReport): void {
    if (report.heartbeatSeq !== undefined) {
      const key = `${report.key}:${report.heartbeatSeq}`;
      this.producedAt.set(key, performance.now());
      this.queuedAtMs.set(key, Date.now());
    }
    this.queue.push(report);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  private flush(): void {
    this.timer = undefined;
    // Chunks keep each produce request well under the brokers' message.max.bytes (1 MiB) per
    // partition: status reports of clusters with 100 applications are ~35 KB each.
    while (this.queue.length > 0) {
      let bytes = 0;
      let n = 0;
      while (n < this.queue.length && n < MAX_MESSAGES_PER_REQUEST && bytes < MAX_BYTES_PER_REQUEST) {
        bytes += this.queue[n]!.value.length;
        n++;
      }
      this.produce(this.queue.splice(0, n));
    }
  }

  private produce(batch: OutgoingReport[]): void {
    const sentAt = Date.now();
    for (const r of batch)
      if (r.heartbeatSeq !== undefined) this.sentAtMs.set(`${r.key}:${r.heartbeatSeq}`, sentAt);
    const byTopic = new Map<string, { key: string; value: Buffer | string }[]>();
    for (const r of batch) {
      const list = byTopic.get(r.topic) ?? [];
      byTopic.set(r.topic, list);
      list.push({ key: r.key, value: r.value });
    }
    // Sends go out one after another so a slow broker builds one backlog, not many requests.
    this.inFlight = this.inFlight.then(async () => {
      try {
        await this.producer.sendBatch({
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        this.sent += batch.length;
      } catch {
        this.failed += batch.length;
      }
    });
  }

  /** Resolves when everything queued so far has been produced (or failed). */
  async flushed(): Promise<void> {
    clearTimeout(this.timer);
    this.flush();
    await this.inFlight;
  }

  async close(): Promise<void> {
    await this.flushed();
    await this.producer.disconnect().catch(() => undefined);
  }
}
