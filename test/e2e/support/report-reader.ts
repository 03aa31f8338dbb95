import { randomUUID } from 'node:crypto';
import { decodeReportMessage, type Report, verifySignedReport } from '@fleetwave/contracts';
import { type Consumer, Kafka, logLevel } from 'kafkajs';

/** Reads an agent's reports from real Kafka, checking each signature like the hub does. */
export class ReportReader {
  readonly reports: Report[] = [];
  readonly invalid: string[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly brokers: string[],
    private readonly topic: string,
    private readonly signingKey: string,
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'e2e-report-reader',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: `e2e-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeReportMessage(message.value, 256 * 1024);
        if (!decoded.ok) return void this.invalid.push(decoded.reason);
        if (!verifySignedReport(decoded.envelope, this.signingKey))
          return void this.invalid.push('bad-signature');
        this.reports.push(decoded.envelope.report);
      },
    });
  }

  /** The newest status report's entry for an application, if any. */
  latestBundle(application: string) {
    for (let i = this.reports.length - 1; i >= 0; i--) {
      const r = this.reports[i]!;
      if (r.kind === 'status') return r.bundles.find((b) => b.application === application);
    }
    return undefined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
