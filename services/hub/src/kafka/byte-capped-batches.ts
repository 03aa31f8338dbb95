/**
 * Splits messages, in order, into batches of at most `maxBytes` of values (a message bigger than
 * that goes alone): one produce request per batch stays under the broker's message size limit,
 * which a single send of many large messages (say 150 dead letters of 25 KB) would pass.
 */
export function byteCappedBatches<T extends { value: Buffer | string }>(
  messages: readonly T[],
  maxBytes: number,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = typeof message.value === 'string' ? Buffer.byteLength(message.value) : message.value.length;
    if (current.length > 0 && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
