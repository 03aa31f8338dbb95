import { labelKeyError, labelValueError } from './label.js';
import {
  compareRequirements,
  isSelectorOperator,
  sortedUnique,
  type Requirement,
  type Selector,
} from './selector-types.js';

/**
 * Canonical selector text in apimachinery's style (`a=b,c!=d,e in (x,y),f notin (z),g,!h`), with
 * requirements sorted by key/operator/values and values sorted and deduplicated, so that
 * `parseSelector(formatSelector(s))` deep-equals any `s` returned by `parseSelector`.
 * Throws TypeError for a requirement that could not be parsed back (invalid key or value, wrong
 * number of values, unknown operator).
 */
export function formatSelector(selector: Selector): string {
  return [...selector].sort(compareRequirements).map(formatRequirement).join(',');
}

function formatRequirement(requirement: Requirement): string {
  const { key, operator } = requirement;
  const problem = requirementProblem(requirement);
  if (problem !== undefined) {
    throw new TypeError(`cannot format requirement on key ${JSON.stringify(key)}: ${problem}`);
  }
  const values = sortedUnique(requirement.values);
  switch (operator) {
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    case 'Equals':
      return `${key}=${values.join('')}`;
    case 'NotEquals':
      return `${key}!=${values.join('')}`;
    case 'In':
      return `${key} in (${formatList(values)})`;
    case 'NotIn':
      return `${key} notin (${formatList(values)})`;
    default:
      throw new TypeError(`unknown selector operator ${JSON.stringify(operator satisfies never)}`);
  }
}

/** `()` does not parse, so a list holding only the empty value is written `(,)`. */
function formatList(values: readonly string[]): string {
  return values.length === 1 && values[0] === '' ? ',' : values.join(',');
}

function requirementProblem({ key, operator, values }: Requirement): string | undefined {
  if (!isSelectorOperator(operator)) return `unknown operator ${JSON.stringify(operator)}`;
  const keyProblem = labelKeyError(key);
  if (keyProblem !== undefined) return `invalid label key: ${keyProblem}`;
  const count = new Set(values).size;
  if ((operator === 'Exists' || operator === 'DoesNotExist') && count !== 0) {
    return `operator ${operator} takes no values`;
  }
  if ((operator === 'Equals' || operator === 'NotEquals') && count !== 1) {
    return `operator ${operator} takes exactly one value`;
  }
  if ((operator === 'In' || operator === 'NotIn') && count === 0) {
    return `operator ${operator} takes at least one value`;
  }
  for (const value of values) {
    const valueProblem = labelValueError(value);
    if (valueProblem !== undefined) return `invalid label value ${JSON.stringify(value)}: ${valueProblem}`;
  }
  return undefined;
}
