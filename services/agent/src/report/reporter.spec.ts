import { describe, expect, it } from '@jest/globals';
import {
  decodeReportMessage,
  generateSigningKey,
  REPORT_MAX_BYTES,
  type Report,
  verifySignedReport,
} from '@fleetwave/contracts';
import { type Kafka } from 'kafkajs';
import pino from 'pino';
import { SequenceNumbers } from '../identity/sequence.js';
import { type ReportExtras, Reporter } from './reporter.js';

/** A Kafka whose producer keeps what it was sent. */
function recordingKafka() {
  const values: Buffer[] = [];
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (record: { messages: { value: Buffer }[] }) =>
      void values.push(...record.messages.map((m) => m.value)),
  };
  return { kafka: { producer: () => producer } as unknown as Kafka, values };
}

/** A reporter producing to `kafka`, sequence numbers from 0. */
function reporterOn(kafka: Kafka): Reporter {
  return new Reporter(
    kafka,
    {
      clusterId: '00000000-0000-4000-8000-000000000001',
      signingKey: generateSigningKey(),
      reportsTopic: 'r',
    },
    new SequenceNumbers(async () => 0),
    '0.1.0',
    pino({ level: 'silent' }),
    10,
  );
}

const maintenance = { reason: 'node pool upgrade', since: '2026-12-02T05:00:00.000Z' };

describe('Reporter', () => {
  it.each<[string, ReportExtras, Partial<Report> | undefined]>([
    ['no extras', {}, undefined],
    ['maintenance null: left out, as agents always sent it', { maintenance: null }, undefined],
    ['maintenance', { maintenance }, { maintenance }],
    [
      'facts and maintenance',
      { facts: { nodeCount: 3 }, maintenance },
      { facts: { nodeCount: 3 }, maintenance },
    ],
  ])('sends a heartbeat and a status report with %s', async (_case, extras, expected) => {
    const { kafka, values } = recordingKafka();
    const reporter = reporterOn(kafka);
    await reporter.heartbeat('Ready', extras);
    await reporter.status('Ready', [], extras);
    await reporter.close();

    const reports = values.map((v) => {
      const decoded = decodeReportMessage(v, REPORT_MAX_BYTES);
      if (!decoded.ok) throw new Error(decoded.detail);
      return decoded.envelope.report;
    });
    expect(reports.map((r) => r.kind)).toEqual(['heartbeat', 'status']);
    for (const report of reports) {
      if (expected) expect(report).toMatchObject(expected);
      else {
        expect(report).not.toHaveProperty('maintenance');
        expect(report).not.toHaveProperty('facts');
      }
    }
  });

  it.each<[string, string[] | undefined]>([
    ['absent', undefined],
    ['empty', []],
  ])('leaves removed out of a status report when it is %s', async (_case, removed) => {
    const { kafka, values } = recordingKafka();
    const reporter = reporterOn(kafka);
    await reporter.status('Ready', [], removed === undefined ? {} : { removed });
    await reporter.status('Ready', [], { removed: ['shop', 'web'] });
    await reporter.close();

    const [without, listed] = values.map((v) => {
      const decoded = decodeReportMessage(v, REPORT_MAX_BYTES);
      if (!decoded.ok) throw new Error(decoded.detail);
      return decoded.envelope.report;
    });
    expect(without).not.toHaveProperty('removed');
    expect(listed).toMatchObject({ kind: 'status', removed: ['shop', 'web'] });
  });

  it('returns once a report is buffered while Kafka holds the send, and delivers in order when it answers', async () => {
    // A stopped broker holds a send until its request timeout; a reconcile pass must not wait for it.
    const values: Buffer[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const producer = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async (record: { messages: { value: Buffer }[] }) => {
        await held;
        values.push(...record.messages.map((m) => m.value));
      },
    };
    const reporter = reporterOn({ producer: () => producer } as unknown as Kafka);

    await reporter.heartbeat('Ready');
    await reporter.status('Ready', []);
    await reporter.heartbeat('NotReady');
    expect(values).toEqual([]);
    expect(reporter.pending).toBe(3);

    release();
    await reporter.close();
    const seqs = values.map((v) => {
      const decoded = decodeReportMessage(v, REPORT_MAX_BYTES);
      if (!decoded.ok) throw new Error(decoded.detail);
      return decoded.envelope.report.seq;
    });
    expect(seqs).toEqual([0, 1, 2]);
    expect(reporter.pending).toBe(0);
  });

  it('signs reports still buffered with the rotated key, and new ones too, order and sequence kept', async () => {
    const values: Buffer[] = [];
    let kafkaUp = false;
    const producer = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async (record: { messages: { value: Buffer }[] }) => {
        if (!kafkaUp) throw new Error('broker down');
        values.push(...record.messages.map((m) => m.value));
      },
    };
    const oldKey = generateSigningKey();
    const newKey = generateSigningKey();
    const reporter = new Reporter(
      { producer: () => producer } as unknown as Kafka,
      { clusterId: '00000000-0000-4000-8000-000000000001', signingKey: oldKey, reportsTopic: 'r' },
      new SequenceNumbers(async () => 0),
      '0.1.0',
      pino({ level: 'silent' }),
      10,
    );
    await reporter.heartbeat('Ready');
    await reporter.status('Ready', []);
    await reporter.flush();
    expect(reporter.pending).toBe(2);

    reporter.useSigningKey(newKey);
    await reporter.heartbeat('Ready');
    await reporter.flush(); // still down: all three stay buffered
    expect(reporter.pending).toBe(3);
    kafkaUp = true;
    await reporter.close();

    const envelopes = values.map((v) => {
      const decoded = decodeReportMessage(v, REPORT_MAX_BYTES);
      if (!decoded.ok) throw new Error(decoded.detail);
      return decoded.envelope;
    });
    expect(envelopes.map((e) => [e.report.seq, e.report.kind])).toEqual([
      [0, 'heartbeat'],
      [1, 'status'],
      [2, 'heartbeat'],
    ]);
    expect(envelopes.every((e) => verifySignedReport(e, newKey))).toBe(true);
    expect(envelopes.some((e) => verifySignedReport(e, oldKey))).toBe(false);
  });
});
