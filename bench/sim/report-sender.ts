import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';

const MAX_MESSAGES_PER_REQUEST = 1000;
const MAX_BYTES_PER_REQUEST = 512 * 1024;

export interface OutgoingReport {
  topic: string;
  clusterId: string;
  seq: number;
  value: Buffer;
}

/**
 * One Kafka producer for the whole simulated fleet: reports queue up and go out in one produce
 * request every few milliseconds, as thousands of agents' separate producers would look to the
 * brokers in aggregate. A report's produce time is when it was queued (the figure includes the
 * batching delay, which makes produce→visible conservative).
 */
export class ReportSender {
  private readonly producer: Producer;
  private queue: OutgoingReport[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  /** `${clusterId}:${seq}` → performance.now() when queued; the observer takes entries out. */
  readonly producedAt = new Map<string, number>();
  sent = 0;
  failed = 0;

  constructor(
    brokers: readonly string[],
    private readonly flushMs = 10,
  ) {
    this.producer = new Kafka({
      clientId: 'fleetwave-sim',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
    }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  send(report: OutgoingReport, trackLatency: boolean): void {
    if (trackLatency) this.producedAt.set(`${report.clusterId}:${report.seq}`, performance.now());
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
    const byTopic = new Map<string, { key: string; value: Buffer }[]>();
    for (const r of batch) {
      const list = byTopic.get(r.topic) ?? [];
      byTopic.set(r.topic, list);
      list.push({ key: r.clusterId, value: r.value });
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
    clearTimeout(this.timer);
    this.flush();
    await this.inFlight;
    await this.producer.disconnect().catch(() => undefined);
  }
}
