import { usageError } from '../errors.js';

export interface HealthCheckRule {
  apiVersion: string;
  kind: string;
  current: string;
  failed?: string;
  inProgress?: string;
}

const FIELDS = ['apiVersion', 'kind', 'current', 'failed', 'inProgress'] as const;
const REQUIRED: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'current']);

/**
 * Pure: the rules of a --health-check-file, a list of `{ apiVersion, kind, current, failed?,
 * inProgress? }` (an empty file: no rules). Only the shape is checked here; the hub compiles the
 * expressions and names any that does not, with its position.
 */
export function healthChecksFrom(data: unknown, source: string): HealthCheckRule[] {
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) {
    throw usageError(`${source}: expected a list of { apiVersion, kind, current, failed, inProgress } rules`);
  }
  return data.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw usageError(`${source}: rule ${i} must be a mapping with apiVersion, kind and current`);
    }
    const record = entry as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !(FIELDS as readonly string[]).includes(key));
    if (unknown.length > 0) throw usageError(`${source}: rule ${i}: unknown field "${unknown[0]}"`);
    const rule: Record<string, string> = {};
    for (const field of FIELDS) {
      const value = record[field];
      if (value === undefined || value === null) {
        if (REQUIRED.has(field)) throw usageError(`${source}: rule ${i}: ${field} is required`);
        continue;
      }
      if (typeof value !== 'string') throw usageError(`${source}: rule ${i}: ${field} must be a string`);
      rule[field] = value;
    }
    return rule as unknown as HealthCheckRule;
  });
}
