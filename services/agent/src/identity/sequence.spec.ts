import { describe, expect, it } from '@jest/globals';
import { SequenceNumbers } from './sequence.js';

/** A fake of the ConfigMap-backed reservation: an in-memory high-water mark. */
function reservations() {
  let reservedUntil = 0;
  let calls = 0;
  return {
    reserve: async (size: number) => {
      calls++;
      const start = reservedUntil;
      reservedUntil += size;
      return start;
    },
    get calls() {
      return calls;
    },
  };
}

describe('SequenceNumbers', () => {
  it('counts up within a block and reserves only when a block is used up', async () => {
    const store = reservations();
    const seq = new SequenceNumbers(store.reserve, 3);
    const taken = [];
    for (let i = 0; i < 7; i++) taken.push(await seq.take());
    expect(taken).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(store.calls).toBe(3);
  });

  it('never repeats a number across a restart, even mid-block', async () => {
    const store = reservations();
    const before = new SequenceNumbers(store.reserve, 10);
    const first = [await before.take(), await before.take()];
    const after = new SequenceNumbers(store.reserve, 10); // a restarted agent, same store
    const next = await after.take();
    expect(next).toBeGreaterThan(Math.max(...first));
    expect(next).toBe(10);
  });

  it('takes at once (a heartbeat and a status report at start-up) share one reservation', async () => {
    const store = reservations();
    const seq = new SequenceNumbers(store.reserve, 10);
    const taken = await Promise.all([seq.take(), seq.take(), seq.take()]);
    expect(store.calls).toBe(1);
    expect([...taken].sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });

  it('a failed reservation fails its takes and the next take tries again', async () => {
    let fail = true;
    const store = reservations();
    const seq = new SequenceNumbers(async (size) => {
      if (fail) throw new Error('configmaps "fleetwave-agent-state" already exists');
      return store.reserve(size);
    }, 10);
    await expect(Promise.all([seq.take(), seq.take()])).rejects.toThrow(/already exists/);
    fail = false;
    expect(await seq.take()).toBe(0);
  });
});
