import { describe, expect, it } from '@jest/globals';
import { StopWaiting, waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first value that is neither undefined nor false, retrying errors', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls++;
        if (calls === 1) throw new Error('not yet');
        return calls === 2 ? false : `after ${calls}`;
      },
      { description: 'a value', timeoutMs: 5_000, intervalMs: 1 },
    );
    expect(value).toBe('after 3');
  });

  it('times out with the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { description: 'the hub', timeoutMs: 20, intervalMs: 1 },
      ),
    ).rejects.toThrow('timed out after 20 ms waiting for the hub: last error: connection refused');
  });

  it('ends at once when the probe throws StopWaiting', async () => {
    let calls = 0;
    const wait = waitFor(
      () => {
        calls++;
        throw new StopWaiting('the hub exited');
      },
      { description: 'the hub', timeoutMs: 60_000, intervalMs: 1 },
    );
    await expect(wait).rejects.toThrow(new StopWaiting('the hub exited'));
    expect(calls).toBe(1);
  });
});
