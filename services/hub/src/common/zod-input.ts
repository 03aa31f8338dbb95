import { type z } from 'zod';
import { invalidArgument } from './domain-error.js';

/** Parses untrusted input; a failure is an INVALID_ARGUMENT naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw invalidArgument(`invalid request: ${problems.join('; ')}`);
}
