import { describe, expect, it } from '@jest/globals';
import { type Consumer } from 'kafkajs';
import { type Logger } from 'pino';
import { restartAfterCrash } from './restart-after-crash.js';

type CrashListener = (event: { payload: { error: Error; restart: boolean } }) => void;

/** A consumer that only records its CRASH listener and its disconnects. */
function fakeConsumer() {
  const calls: string[] = [];
  let listener: CrashListener | undefined;
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (event: string, l: CrashListener) => {
      if (event === 'consumer.crash') listener = l;
    },
    disconnect: async () => {
      calls.push('disconnect');
    },
  };
  return {
    consumer: consumer as unknown as Consumer,
    calls,
    crash: (restart: boolean) =>
      listener!({ payload: { error: new Error('The coordinator is not aware of this member'), restart } }),
  };
}

const warnings: string[] = [];
const logger = { warn: (_: unknown, message: string) => warnings.push(message) } as unknown as Logger;

describe('restartAfterCrash', () => {
  it.each([
    [
      'a crash kafkajs does not restart from: disconnect, then start again',
      false,
      false,
      ['disconnect', 'start'],
    ],
    ['a crash kafkajs restarts from by itself: nothing', true, false, []],
    ['a crash after the service stopped: nothing', false, true, []],
  ])('%s', async (_name, restart, stopped, expected) => {
    const fake = fakeConsumer();
    let started!: () => void;
    const startedOnce = new Promise<void>((resolve) => (started = resolve));
    restartAfterCrash(fake.consumer, {
      name: 'report consumer',
      logger,
      stopped: () => stopped,
      start: async () => {
        fake.calls.push('start');
        started();
      },
    });
    fake.crash(restart);
    if (expected.includes('start')) await startedOnce;
    // Nothing else is pending: the listener either returned or its chain has run to `start`.
    await Promise.resolve();
    expect(fake.calls).toEqual(expected);
  });
});
