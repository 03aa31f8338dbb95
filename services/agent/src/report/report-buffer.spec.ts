import { describe, expect, it } from '@jest/globals';
import { type PendingReport, ReportBuffer } from './report-buffer.js';

const r = (kind: PendingReport['kind'], seq: number): PendingReport => ({
  kind,
  seq,
  value: Buffer.from(String(seq)),
});
const seqs = (b: ReportBuffer) => b.peek(100).map((p) => `${p.kind[0]}${p.seq}`);

describe('ReportBuffer', () => {
  it.each<[string, PendingReport[], number, string[], number]>([
    ['keeps everything under capacity, in order', [r('heartbeat', 1), r('status', 2)], 3, ['h1', 's2'], 0],
    [
      'drops the oldest heartbeat first when full',
      [r('status', 1), r('heartbeat', 2), r('status', 3), r('heartbeat', 4)],
      3,
      ['s1', 's3', 'h4'],
      1,
    ],
    [
      'drops the oldest status when only status reports remain',
      [r('status', 1), r('status', 2), r('status', 3)],
      2,
      ['s2', 's3'],
      1,
    ],
    [
      'keeps the newest state of a long outage',
      Array.from({ length: 50 }, (_, i) => r(i % 10 === 9 ? 'status' : 'heartbeat', i)),
      5,
      ['s9', 's19', 's29', 's39', 's49'],
      45,
    ],
  ])('%s', (_case, pushed, capacity, expected, dropped) => {
    const buffer = new ReportBuffer(capacity);
    for (const p of pushed) buffer.push(p);
    expect(seqs(buffer)).toEqual(expected);
    expect(buffer.dropped).toBe(dropped);
  });

  it('acknowledges from the front only', () => {
    const buffer = new ReportBuffer(10);
    [1, 2, 3].forEach((s) => buffer.push(r('status', s)));
    expect(buffer.peek(2).map((p) => p.seq)).toEqual([1, 2]);
    buffer.acknowledge(2);
    expect(seqs(buffer)).toEqual(['s3']);
  });
});
