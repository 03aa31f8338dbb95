import { parseInt64 } from './selector-integer.js';
import type { Requirement, Selector } from './selector-types.js';

/**
 * True when the labels satisfy every requirement (Kubernetes semantics: `!=` and `notin` also match
 * when the key is absent; `=`/`in` need the key present; `>`/`<` need the key present with an integer
 * value, as in apimachinery's Requirement.Matches). Only own properties count as labels, so
 * keys such as `constructor` or `toString` are not inherited from Object.prototype.
 */
export function matchesSelector(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  return selector.every((requirement) => requirementMatches(requirement, labels));
}

function requirementMatches(requirement: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Equals':
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    case 'NotEquals':
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Gt':
    case 'Lt':
      return value !== undefined && compares(requirement, value);
    default:
      throw new TypeError(
        `unknown selector operator ${JSON.stringify(requirement.operator satisfies never)}`,
      );
  }
}

/** `value > bound` or `value < bound`; false when either is not an int64, like apimachinery. */
function compares({ operator, values }: Requirement, value: string): boolean {
  const actual = parseInt64(value);
  const bound = values.length === 1 && values[0] !== undefined ? parseInt64(values[0]) : undefined;
  if (actual === undefined || bound === undefined) return false;
  return operator === 'Gt' ? actual > bound : actual < bound;
}
