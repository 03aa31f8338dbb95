import { labelKeyError, labelValueError } from './label.js';
import { parseInt64 } from './selector-integer.js';
import {
  compareRequirements,
  isSelectorOperator,
  sortedUnique,
  type Requirement,
  type Selector,
} from './selector-types.js';

/**
 * Canonical selector text in apimachinery's style (`a=b,c!=d,e in (x,y),f notin (z),g,!h,n>1,m<9`), with
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
    // A list holding only the empty value comes out as `()`, as apimachinery's String() writes it.
    case 'In':
      return `${key} in (${values.join(',')})`;
    case 'NotIn':
      return `${key} notin (${values.join(',')})`;
    case 'Gt':
      return `${key}>${values.join('')}`;
    case 'Lt':
      return `${key}<${values.join('')}`;
    default:
      throw new TypeError(`unknown selector operator ${JSON.stringify(operator satisfies never)}`);
  }
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
  if (operator === 'Gt' || operator === 'Lt') {
    if (count !== 1) return `operator ${operator} takes exactly one value`;
    if (values.some((value) => parseInt64(value) === undefined)) {
      return `operator ${operator} takes an integer, not ${JSON.stringify(values[0])}`;
    }
  }
  for (const value of values) {
    const valueProblem = labelValueError(value);
    if (valueProblem !== undefined) return `invalid label value ${JSON.stringify(value)}: ${valueProblem}`;
  }
  return undefined;
}
