/**
 * A timestamp as PostgreSQL's JSON carries it (ISO text) as the Date the pg driver would have made
 * of the column: parsed to the millisecond. Reads that fetch many rows as one JSON value use it.
 */
export function dateFromJson(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
