import { invalidArgument } from '../common/domain-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IDs of tokens are UUIDs; anything else is INVALID_ARGUMENT rather than a database error. */
export function uuidArgument(id: string, argument = 'id'): string {
  if (!UUID.test(id))
    throw invalidArgument(`${argument}: ${JSON.stringify(id.slice(0, 80))} is not a valid ID`);
  return id.toLowerCase();
}

/** An optional DateTime argument; Invalid Date (an unparseable string) is INVALID_ARGUMENT. */
export function dateArgument(value: Date | null | undefined, argument: string): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (Number.isNaN(value.getTime())) throw invalidArgument(`${argument}: not a valid ISO 8601 date-time`);
  return value;
}
