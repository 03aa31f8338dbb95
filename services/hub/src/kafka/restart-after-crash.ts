import { type Consumer } from 'kafkajs';
import { type Logger } from 'pino';

/**
 * kafkajs restarts a consumer after retriable errors by itself; after any other it stays down for
 * good. One such error is "The coordinator is not aware of this member": a replica so loaded that
 * its group heartbeats missed the session timeout (measured: the restart scenario at 1,000 × 100 on
 * a shared machine). A group consumer that stays down ingests nothing more while the replica still
 * looks alive, so it is disconnected and `start` runs again.
 */
export function restartAfterCrash(
  consumer: Consumer,
  options: { name: string; logger: Logger; stopped: () => boolean; start: () => Promise<void> },
): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || options.stopped()) return;
    options.logger.warn({ err: payload.error.message }, `${options.name} stopped; starting it again`);
    void consumer
      .disconnect()
      .catch(() => undefined)
      .then(() => options.start());
  });
}
