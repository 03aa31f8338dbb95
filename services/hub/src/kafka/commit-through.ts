import { type Consumer } from 'kafkajs';

/**
 * For consumers that commit by hand after their work committed: marks the partition's messages up to
 * `lastOffset` processed and commits the next offset, so a crash before this redelivers them.
 */
export async function commitThrough(
  consumer: Consumer,
  batch: { topic: string; partition: number },
  lastOffset: string,
  resolveOffset: (offset: string) => void,
): Promise<void> {
  resolveOffset(lastOffset);
  await consumer.commitOffsets([
    { topic: batch.topic, partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() },
  ]);
}
