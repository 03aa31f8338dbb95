import { usageError } from '../errors.js';

export interface ValuesRule {
  selector: string;
  values: unknown;
}

/**
 * Pure: the values rules of a --values-file: a mapping is the values of every cluster (one rule,
 * selector ""); a list is rules `{ selector, values }`, first match wins. The hub checks the values.
 */
export function valuesRulesFrom(data: unknown, source: string): ValuesRule[] {
  if (data === null || data === undefined) return [];
  if (Array.isArray(data)) {
    return data.map((rule: unknown, i) => {
      if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
        throw usageError(`${source}: rule ${i} must be a mapping with selector and values`);
      }
      const { selector = '', values, ...rest } = rule as Record<string, unknown>;
      const unknown = Object.keys(rest);
      if (unknown.length > 0) throw usageError(`${source}: rule ${i}: unknown field "${unknown[0]}"`);
      if (typeof selector !== 'string') throw usageError(`${source}: rule ${i}: selector must be a string`);
      if (typeof values !== 'object' || values === null || Array.isArray(values)) {
        throw usageError(`${source}: rule ${i}: values must be a mapping`);
      }
      return { selector, values };
    });
  }
  if (typeof data === 'object') return [{ selector: '', values: data }];
  throw usageError(`${source}: expected a mapping of values or a list of { selector, values } rules`);
}
