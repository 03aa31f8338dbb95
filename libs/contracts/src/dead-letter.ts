import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { decodeJson, IsoDateTimeSchema, truncateUtf8 } from './common.js';

/**
 * Reports the hub could not accept go to `fleetwave.reports.dlq.v1` with the reason and where they
 * came from, so an operator can see (and replay) them. The original value is kept, up to 64 KiB.
 */

/** How much of the original message value a dead letter keeps. */
export const DEAD_LETTER_PAYLOAD_MAX_BYTES = 64 * 1024;
/** `detail` is cut to this many UTF-8 bytes. */
export const DEAD_LETTER_DETAIL_MAX_BYTES = 1024;
/** The source message key is cut to this many UTF-8 bytes. */
export const DEAD_LETTER_KEY_MAX_BYTES = 256;

export const DeadLetterReasonSchema = z.enum([
  'oversized',
  'malformed-json',
  'invalid-schema',
  'bad-signature',
  'unknown-cluster',
  'replayed-sequence',
  /** Signed with a key an admin revoked (with the cluster's credential). */
  'revoked-credential',
  /** Signed with a key past its credential's expiry, or replaced by a rotation and past the grace. */
  'expired-signing-key',
]);
export type DeadLetterReason = z.infer<typeof DeadLetterReasonSchema>;

export const DeadLetterSourceSchema = z.object({
  topic: z.string().min(1),
  partition: z.int().min(0),
  /** Kafka offset as a decimal string (offsets are 64-bit). */
  offset: z.string().regex(/^\d+$/, 'must be a non-negative decimal integer'),
  key: z.string().nullable(),
});
export type DeadLetterSource = z.infer<typeof DeadLetterSourceSchema>;

export const DeadLetterSchema = z.object({
  v: z.literal(1),
  reason: DeadLetterReasonSchema,
  detail: z.string(),
  source: DeadLetterSourceSchema,
  receivedAt: IsoDateTimeSchema,
  /** Standard base64 of the original value's first 64 KiB ('' for a tombstone). */
  payloadBase64: z.base64().max(Math.ceil(DEAD_LETTER_PAYLOAD_MAX_BYTES / 3) * 4),
  payloadTruncated: z.boolean(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export interface BuildDeadLetterInput {
  reason: DeadLetterReason;
  detail: string;
  source: {
    topic: string;
    partition: number;
    offset: string;
    /** Kafka message key as received; buffers are read as UTF-8. */
    key: Buffer | string | null;
  };
  /** The original message value, `null` for a tombstone. */
  value: Buffer | null;
  /** Defaults to now. */
  receivedAt?: Date;
}

/** Builds a dead letter: truncates the payload (64 KiB), detail (1 KiB) and key (256 bytes). */
export function buildDeadLetter(input: BuildDeadLetterInput): DeadLetter {
  const value = input.value ?? Buffer.alloc(0);
  const payloadTruncated = value.length > DEAD_LETTER_PAYLOAD_MAX_BYTES;
  const payload = payloadTruncated ? value.subarray(0, DEAD_LETTER_PAYLOAD_MAX_BYTES) : value;
  const key = input.source.key;
  return {
    v: 1,
    reason: input.reason,
    detail: truncateUtf8(input.detail, DEAD_LETTER_DETAIL_MAX_BYTES),
    source: {
      topic: input.source.topic,
      partition: input.source.partition,
      offset: input.source.offset,
      key:
        key === null
          ? null
          : truncateUtf8(typeof key === 'string' ? key : key.toString('utf8'), DEAD_LETTER_KEY_MAX_BYTES),
    },
    receivedAt: (input.receivedAt ?? new Date()).toISOString(),
    payloadBase64: payload.toString('base64'),
    payloadTruncated,
  };
}

/** Validates (throws a ZodError when invalid) and encodes a dead letter as a message value. */
export function encodeDeadLetter(deadLetter: DeadLetter): Buffer {
  return Buffer.from(canonicalJson(DeadLetterSchema.parse(deadLetter)), 'utf8');
}

/** Decodes a dead-letter message value; undefined when it is not one. */
export function decodeDeadLetter(value: Buffer | null): DeadLetter | undefined {
  return decodeJson(value, DeadLetterSchema);
}
